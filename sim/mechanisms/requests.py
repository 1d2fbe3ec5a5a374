"""The request at the end of an activity (seed 000 §4.2.2, Hangzhou sachets).

In Hangzhou residents took part in a sachet-making activity; at the end a social
worker asked them to leave some sachets for poor families, and met collective
silence and refusal (「等到活动结束时,社区民政社工提出将部分香囊留给社区走访困难家庭,
遭到居民集体沉默与拒绝」), because the purpose had not been explained beforehand
(「未在活动前说明制作香囊的意义与用途」).

Here a share ``end_request_share`` of activities ends with such a request, a step
separate from the invitation: the participants, who already took part, may
refuse it. With ``prior_communication`` the request was announced with the
activity; without it, it comes unannounced: more refuse, and being asked
unannounced costs trust in organisations (for everyone asked), which in turn
makes later invitations more likely to be refused (organisations.py).
"""

from __future__ import annotations

from typing import override

from sim.agents.resident import T_ORGS
from sim.mechanisms.base import Mechanism, Outcome, Param, coef

SEED = "seed 000 §4.2.2"


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit=""):
    return coef("requests", name, default, meaning, zh, lo, hi, plausible, unit)


PARAMS: tuple[Param, ...] = (
    Param(
        "end_request_share",
        "requests",
        0.0,
        "float",
        "share of activities that end with a request to give what was made to others (e.g. sachets for poor families)",
        f"{SEED} 「提出将部分香囊留给社区走访困难家庭」; value a lever",
        lo=0.0,
        hi=1.0,
        lever=True,
        label_zh="活动结束时的捐赠请求比例",
    ),
    _c(
        "request_refusal_unannounced",
        0.6,
        "chance a participant with no trust in organisations refuses a request nobody announced",
        "未事先说明请求的拒绝率",
        plausible=(0.3, 0.9),
    ),
    _c(
        "request_refusal_announced",
        0.1,
        "chance a participant with no trust in organisations refuses a request announced with the activity",
        "事先说明请求的拒绝率",
        plausible=(0.02, 0.3),
    ),
    _c(
        "surprise_trust_cost",
        0.05,
        "share of trust in organisations lost by a participant asked unannounced",
        "意外请求的信任损失",
        plausible=(0.01, 0.15),
    ),
)

OUTCOMES = (
    Outcome(
        "end_requests",
        "participants asked at the end of an activity to give what they made, so far",
        "residents",
        "End-of-activity requests so far",
        "累计活动结束时请求人次",
        "cumulative",
        "neutral",
        counter="end_requests",
    ),
    Outcome(
        "request_refusals",
        "end-of-activity requests refused so far",
        "residents",
        "End-of-activity requests refused so far",
        "累计拒绝活动结束时请求人次",
        "cumulative",
        "lower",
        counter="request_refusals",
    ),
)


class Requests(Mechanism):
    """Ask some of today's activities' participants to give; they may refuse."""

    name = "requests"
    params = PARAMS
    outcomes = OUTCOMES
    counters = ("end_requests", "request_refusals")
    after = ("organisations",)  # today's participants

    @override
    def active(self, p: dict) -> bool:
        """Runs when some activities end with a request."""
        return p["end_request_share"] > 0 and p["activities_per_month"] > 0

    @override
    def step(self) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        today = getattr(m.mech["organisations"], "joined_today", None)
        if today is None or today[0] != m.tick or len(today[1]) == 0:
            return
        _, who, activity = today
        asks = self.rng.random(int(activity.max()) + 1) < p["end_request_share"]
        asked = who[asks[activity]]
        if len(asked) == 0:
            return
        trust = res.trust[asked, T_ORGS]
        if p["prior_communication"]:
            refuse_p = p["request_refusal_announced"] * (1 - trust)
        else:
            refuse_p = p["request_refusal_unannounced"] * (1 - trust) + p["request_refusal_announced"] * trust
            res.trust[asked, T_ORGS] *= 1 - p["surprise_trust_cost"]
        refused = self.rng.random(len(asked)) < refuse_p
        m.count("end_requests", len(asked))
        m.count("request_refusals", int(refused.sum()))
        # silence and refusal are not lost on the others: a refusal leaves the refuser less trusting
        res.trust[asked[refused], T_ORGS] *= p["refusal_trust_keep"]
