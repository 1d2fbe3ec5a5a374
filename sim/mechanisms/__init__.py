"""The registered mechanisms, in tick order (``PIPELINE``).

Adding a built-in mechanism is one line here: its class, at its place in the
tick. Everything else (parameters, state, counters, outcomes, dependencies) is
declared in the mechanism's own module and assembled from there; the model
checks the order against each mechanism's declared ``after`` dependencies.
"""

from __future__ import annotations

from sim.mechanisms.alliance import Alliance
from sim.mechanisms.appraisal import Appraisal
from sim.mechanisms.attitudes import Attitudes
from sim.mechanisms.base import Mechanism
from sim.mechanisms.capacity import Capacity
from sim.mechanisms.channels import Channels
from sim.mechanisms.cofunding import CoFunding
from sim.mechanisms.collaboration import Collaboration
from sim.mechanisms.consultation import Consultation
from sim.mechanisms.delivery import Delivery
from sim.mechanisms.disputes import Disputes
from sim.mechanisms.donations import Donations
from sim.mechanisms.funding import Funding
from sim.mechanisms.habit import Habit
from sim.mechanisms.incentives import Incentives
from sim.mechanisms.matters import Needs
from sim.mechanisms.mediation import Mediation
from sim.mechanisms.microgrid import MicroGrid
from sim.mechanisms.norms import Norms
from sim.mechanisms.organisations import Organisations
from sim.mechanisms.outreach import Outreach
from sim.mechanisms.participation import Participation
from sim.mechanisms.partners import Partners
from sim.mechanisms.party import PartyDuties
from sim.mechanisms.prices import Prices
from sim.mechanisms.projects import Projects
from sim.mechanisms.property import Property
from sim.mechanisms.requests import Requests
from sim.mechanisms.responsibility import Responsibility
from sim.mechanisms.routing import Handling
from sim.mechanisms.rules import Rules
from sim.mechanisms.service_trust import ServiceTrust
from sim.mechanisms.shocks import PolicyShock
from sim.mechanisms.supervision import Supervision
from sim.mechanisms.technology import Technology
from sim.mechanisms.thresholds import Thresholds
from sim.mechanisms.turnover import Turnover
from sim.mechanisms.waste import Waste

PIPELINE: tuple[type[Mechanism], ...] = (
    PolicyShock,
    Turnover,
    Outreach,
    Waste,
    Funding,
    Collaboration,
    Capacity,
    Technology,
    Supervision,
    Needs,
    Prices,
    Norms,
    PartyDuties,
    Channels,
    MicroGrid,
    Responsibility,
    Handling,
    ServiceTrust,
    Consultation,
    Rules,
    Appraisal,
    Delivery,
    Projects,
    CoFunding,
    Donations,
    Property,
    Organisations,
    Requests,
    Alliance,
    Thresholds,
    Participation,
    Partners,
    Incentives,
    Mediation,
    Disputes,
    Attitudes,
    Habit,
)
