"""Agent types, one module each.

Resident state lives in arrays; the few institutional actors are Mesa agents
whose state is also kept in arrays, so mechanisms can act on all of them at once.
"""

from sim.agents.committees import Committee, HomeownersCommittee
from sim.agents.government import Government
from sim.agents.grid_worker import GridWorker
from sim.agents.party_member import PartyMemberView
from sim.agents.property_firm import PropertyFirm
from sim.agents.resident import ResidentView
from sim.agents.social_org import SocialOrganisation

__all__ = [
    "Committee",
    "Government",
    "GridWorker",
    "HomeownersCommittee",
    "PartyMemberView",
    "PropertyFirm",
    "ResidentView",
    "SocialOrganisation",
]
