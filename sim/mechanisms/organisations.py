"""Social organisations' activities, and refusal without prior communication.

Each organisation launches activities (micro-services) and invites residents
of its community. Invited residents who trust organisations join; when an
activity is launched without prior communication, many refuse (seed 000
§4.2.2, the Hangzhou sachets). Uneven skill shows in what a joined activity
does for the participants' satisfaction. Money offered for accepting a
request may crowd out the civic reason to accept (prices.py).
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import T_ORGS
from sim.mechanisms.base import Mechanism

INVITED = 20  # residents invited to an activity (assumption)


class Organisations(Mechanism):
    """Launch today's activities and record who joins or refuses."""

    name = "organisations"

    @override
    def active(self, p: dict) -> bool:
        """Runs when organisations launch activities."""
        return p["activities_per_month"] > 0

    @override
    def step(self) -> None:
        m, p, orgs, res = self.model, self.model.p, self.model.orgs, self.model.residents
        if orgs.n == 0:
            return
        launched = np.repeat(np.arange(orgs.n), self.rng.poisson(p["activities_per_month"] / 30, orgs.n))
        if len(launched) == 0:
            return
        m.count("org_activities", len(launched))
        lo = m.community_start[orgs.community[launched]]
        size = m.community_sizes[orgs.community[launched]]
        invited = (lo[:, None] + (self.rng.random((len(launched), INVITED)) * size[:, None]).astype(np.int64)).ravel()
        org = np.repeat(launched, INVITED)
        keep = res.adult[invited]
        invited, org = invited[keep], org[keep]
        trust = res.trust[invited, T_ORGS]
        if p["prior_communication"]:
            refuse_p = 0.1 * (1 - trust)
        else:
            refuse_p = p["refusal_without_communication"] * (1 - trust) + 0.1 * trust
        u = self.rng.random((2, len(invited)))
        refused = u[0] < refuse_p
        accept = 0.2 + 0.4 * trust * (1 - orgs.friction[org])
        if p["request_reward"] > 0:  # a paid request (prices.py)
            accept, offered = m.mech["prices"].request_acceptance(accept, invited)
        joined = ~refused & (u[1] < accept)
        if p["request_reward"] > 0:
            m.mech["prices"].pay_requests(invited[joined & offered])
        m.count("invitations", len(invited))
        m.count("refusals", int(refused.sum()))
        m.count("acceptances", int(joined.sum()))
        res.trust[invited[refused], T_ORGS] *= 0.97
        who = invited[joined]
        m.record_activity(np.unique(who))
        gain = 0.03 * orgs.skill[org[joined]]
        res.satisfaction[who] += gain * (1 - res.satisfaction[who])
        res.trust[who, T_ORGS] += gain * (1 - res.trust[who, T_ORGS])
