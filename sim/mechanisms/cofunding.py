"""Resident co-funding of shared micro-projects: a public-goods game with peer sanctions.

Co-funded building renovation (seed 000 §4.1.3: government paid 30%, the
rest fell to others) and sharing the burden (seed 003 §1(三) 义务共担; seed
002 §2 二是 责任共担) raise a social dilemma: every member gains from the shared
project whoever pays. With ``cofunding`` on, adult residents (or one adult per
household) form groups of ``group_size`` and, every ``cofunding_round_days``
days, each contributes a share of an ``endowment`` to the group's micro-project;
each member gets back ``mpcr`` × the group's total (a linear public good).

Behaviour (documented, see docs/ODD.md §7 and docs/validation.md, case 3):

- a share ``cc_share`` of members are *conditional cooperators* (the members
  with the most intrinsic public spirit): they give ``cc_slope`` × what they
  expect the others to give; the rest free-ride (Fischbacher & Gächter 2010,
  AER 100(1): most people cooperate conditionally, and imperfectly);
- beliefs move a share ``belief_weight`` towards what the group's others gave
  in the last round;
- in fixed groups members add a ``reputation_premium`` to keep others
  cooperating, fading to 0 in an announced last round (partners contribute
  more than strangers: Andreoni & Croson 2008);
- trembles of sd ``contribution_noise``.

With ``peer_sanctions`` (the mutual supervision of seed 000 §3.4, 熟人关系,
face and reputation), after each round every member who gave more than
member *j* assigns *j* ``sanction_rate`` points per unit of endowment by which
*j* fell below the mean of *j*'s others; a point costs the sanctioner
``sanction_cost`` and the sanctioned ``sanction_impact``. A sanctioned member
raises later contributions by ``sanction_response`` × the loss (as a share of
the endowment); in rematched groups only ``rematch_memory`` of that raise
carries over to the next group. Fehr & Gächter 2000 (AER 90(4)) is the
pattern: without sanctions contributions decay, with them they stay high,
and fixed groups cooperate more than rematched ones.

In the community a round's pot funds the group's micro-project: members'
satisfaction rises with what the group gave; being sanctioned costs a little
belonging (loss of face). Nothing here runs, or draws, while ``cofunding``
is off.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.mechanisms.base import A, Mechanism, ModelLike, Outcome, Param, coef, param, segment_starts
from sim.mechanisms.rules import deliberation_shift

# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [cofunding])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "cofunding",
        "cofunding",
        False,
        "bool",
        "residents co-fund shared building micro-projects in small groups, round by round (a public-goods game)",
        "seed 000 §4.1.3 (co-funded renovation); seed 003 §1(三) (义务共担); behaviour: Fehr & Gächter 2000, AER 90(4)",
        lever=True,
        zh="居民众筹微项目",
    ),
    param(
        "cofunding_unit",
        "cofunding",
        "resident",
        "choice",
        "who contributes: every adult resident, or one adult per household",
        A,
        choices=("resident", "household"),
        zh="出资单位",
    ),
    param(
        "group_size",
        "cofunding",
        4,
        "int",
        "members per co-funding group",
        "Fehr & Gächter 2000 (groups of 4); for communities an assumption",
        "members",
        2,
        50,
        lever=True,
        zh="众筹小组人数",
    ),
    param(
        "endowment",
        "cofunding",
        20.0,
        "float",
        "money each member can give per round",
        "Fehr & Gächter 2000 (20 tokens); for communities an assumption",
        "yuan",
        0.01,
        1e6,
        zh="每轮可出资额",
    ),
    param(
        "mpcr",
        "cofunding",
        0.4,
        "float",
        "marginal per-capita return: what each member gets back per unit the group gives",
        "Fehr & Gächter 2000 (0.4)",
        "",
        0.0,
        1.0,
        zh="边际人均回报",
    ),
    param(
        "cofunding_groups",
        "cofunding",
        "fixed",
        "choice",
        "fixed groups of neighbours, or groups rematched at random within the community every round",
        "Fehr & Gächter 2000 (partner and stranger treatments)",
        choices=("fixed", "rematched"),
        lever=True,
        zh="小组构成",
    ),
    param(
        "cofunding_round_days",
        "cofunding",
        30,
        "int",
        "days between co-funding rounds",
        A,
        "days",
        1,
        3650,
        zh="众筹轮次间隔",
    ),
    param(
        "cofunding_rounds",
        "cofunding",
        0,
        "int",
        "rounds played, known to members (0: no announced end)",
        "Fehr & Gächter 2000 (10 rounds); default assumption",
        "rounds",
        0,
        100_000,
        zh="公布的轮数",
    ),
    param(
        "peer_sanctions",
        "cofunding",
        False,
        "bool",
        "members may sanction low contributors at a cost to themselves (mutual supervision)",
        "seed 000 §3.4 (熟人关系, face and reputation; 相互监督); Fehr & Gächter 2000",
        lever=True,
        zh="同伴惩罚",
    ),
    param(
        "sanction_rate",
        "cofunding",
        0.2,
        "float",
        "sanction points a member who gave more assigns per unit of endowment another falls below "
        "the mean of that one's group mates",
        "Fehr & Gächter 2000 (sanctions grow with the shortfall below the others' mean); value assumption",
        "points/yuan",
        0.0,
        10.0,
        zh="惩罚强度",
    ),
    param(
        "sanction_cost",
        "cofunding",
        1.0,
        "float",
        "cost of one sanction point to the sanctioner",
        "Fehr & Gächter 2002, Nature 415 (1:3 technology); value assumption",
        "yuan",
        0.0,
        1000.0,
        zh="惩罚成本",
    ),
    param(
        "sanction_impact",
        "cofunding",
        3.0,
        "float",
        "loss one sanction point inflicts on the sanctioned",
        "Fehr & Gächter 2002 (1:3 technology)",
        "yuan",
        0.0,
        1000.0,
        zh="惩罚损失",
    ),
    param(
        "sanction_response",
        "cofunding",
        1.2,
        "float",
        "how much a sanctioned member raises later contributions, per unit of loss (both as shares of the endowment)",
        A,
        "",
        0.0,
        10.0,
        zh="受罚后的出资回应",
    ),
    param(
        "rematch_memory",
        "cofunding",
        0.7,
        "float",
        "share of the sanction-induced raise a member keeps when groups are rematched",
        "assumption (chosen so rematched groups with sanctions give ≈58% as in Fehr & Gächter 2000)",
        "",
        0.0,
        1.0,
        zh="重组后保留的回应",
    ),
    param(
        "cc_share",
        "cofunding",
        0.55,
        "float",
        "share of members who cooperate conditionally (those with most public spirit); the rest free-ride",
        "Fischbacher & Gächter 2010, AER 100(1) (55% conditional cooperators); Fischbacher, Gächter & Fehr 2001 (50%)",
        "",
        0.0,
        1.0,
        zh="条件合作者比例",
    ),
    param(
        "cc_slope",
        "cofunding",
        0.9,
        "float",
        "what a conditional cooperator gives per unit they expect the others to give (below 1: "
        "imperfect conditional cooperation)",
        "Fischbacher & Gächter 2010 (most contribute somewhat less than others); value assumption",
        "",
        0.0,
        1.5,
        zh="条件合作斜率",
    ),
    param(
        "initial_belief",
        "cofunding",
        0.75,
        "float",
        "first-round belief about the others' contributions (share of the endowment)",
        A,
        "",
        0.0,
        1.0,
        zh="初始预期",
    ),
    param(
        "belief_weight",
        "cofunding",
        0.6,
        "float",
        "weight of the group mates' last contributions when beliefs are updated",
        "Fischbacher & Gächter 2010 (beliefs follow others' past contributions); value assumption",
        "",
        0.0,
        1.0,
        zh="预期更新权重",
    ),
    param(
        "contribution_noise",
        "cofunding",
        0.15,
        "float",
        "sd of trembles in contributions (share of the endowment)",
        A,
        "",
        0.0,
        1.0,
        zh="出资随机扰动",
    ),
    param(
        "reputation_premium",
        "cofunding",
        0.1,
        "float",
        "extra contribution in fixed groups to keep the others cooperating (share of endowment), "
        "fading to 0 by an announced last round",
        "Andreoni & Croson 2008 (partners give more than strangers); Kreps et al. 1982 (reputation); value assumption",
        "",
        0.0,
        1.0,
        zh="声誉溢价",
    ),
)


PARAMS = (
    coef(
        "cofunding",
        "project_satisfaction",
        0.02,
        "satisfaction gain from a fully funded group project",
        "集资项目满意度增益",
        0.0,
        0.5,
        (0.005, 0.05),
    ),
    coef(
        "cofunding",
        "face_cost",
        0.02,
        "belonging lost by a member sanctioned the whole endowment's worth",
        "被惩罚的面子损失",
        0.0,
        0.5,
        (0.005, 0.05),
    ),
    coef(
        "cofunding",
        "belief_spread",
        0.15,
        "sd of first-round beliefs around initial_belief",
        "初始预期离散度",
        0.0,
        0.5,
        (0.05, 0.25),
    ),
)


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "sanction_points",
        "peer-sanction points assigned in co-funding rounds so far",
        "points",
        "Sanction points so far",
        "累计同伴惩罚点数",
        "cumulative",
        "neutral",
        counter="sanction_points",
        zero=0.0,
    ),
)


class CoFunding(Mechanism):
    """Play a co-funding round on round days; keep per-round statistics in ``history``."""

    name = "cofunding"
    params = CORE_PARAMS + PARAMS
    counters = ("cofunding_rounds", "cofunding_money", "cofunding_endowment", "sanction_points")
    outcomes = OUTCOMES + (
        Outcome(
            "cofunding_contribution",
            "mean contribution in the latest co-funding round (share of endowment; 0 before any)",
            "share",
            "Co-funding contribution (latest round)",
            "最近一轮集资平均出资比例",
            "stock",
            "higher",
            compute=lambda m: m.mech["cofunding"].latest_contribution(),
        ),
    )

    def __init__(self, model: ModelLike):
        super().__init__(model)
        self.rounds_played = 0
        self.next_round = -1
        self.history: list[dict[str, float]] = []
        self.last: dict[str, np.ndarray] = {}
        self._state: dict[str, np.ndarray] | None = None
        self._groups: np.ndarray | None = None  # group id per member of the last round
        self._members: np.ndarray | None = None
        self._last_tick = 0

    @override
    def active(self, p: dict) -> bool:
        """Runs only while co-funding is on (and rounds are left)."""
        return p["cofunding"] and (p["cofunding_rounds"] == 0 or self.rounds_played < p["cofunding_rounds"])

    def latest_contribution(self) -> float:
        """Mean contribution of the latest round as a share of the endowment (0 before any round)."""
        return self.history[-1]["mean_contribution"] if self.history else 0.0

    # --- state ------------------------------------------------------------------------
    def _members_now(self) -> np.ndarray:
        res = self.model.residents
        adults = np.flatnonzero(res.adult)
        if self.model.p["cofunding_unit"] == "household":
            _, first = np.unique(res.household[adults], return_index=True)
            adults = adults[np.sort(first)]
        return adults

    def _init(self, ids: np.ndarray) -> None:
        """Give residents ``ids`` a type, a first belief and no deterrence."""
        p, res, st = self.model.p, self.model.residents, self._state
        if len(ids) == 0:
            return
        # conditional cooperators: the cc_share of members with the most public spirit
        spirit = res.intrinsic[ids]
        k = int(round(p["cc_share"] * len(ids)))
        cc = np.zeros(len(ids), bool)
        if k > 0:
            cc[np.argsort(-spirit, kind="stable")[:k]] = True
        st["slope"][ids] = np.where(cc, p["cc_slope"], 0.0)
        st["belief"][ids] = np.clip(p["initial_belief"] + self.rng.normal(0, p["belief_spread"], len(ids)), 0, 1)
        st["deterrence"][ids] = 0.0

    def _ensure_state(self) -> None:
        n = self.model.residents.n
        if self._state is None:
            self._state = {"slope": np.zeros(n), "belief": np.zeros(n), "deterrence": np.zeros(n)}
            self._init(self._members_now())
            return
        # newcomers since the last round start afresh (turnover replaces residents in place)
        res = self.model.residents
        new = self.model.arrived_since(self._last_tick)
        self._init(new[res.adult[new]])

    def _group(self, members: np.ndarray, rematch: bool) -> np.ndarray:
        """Group id per member: consecutive neighbours, or a fresh random draw within each community."""
        g = self.model.p["group_size"]
        comm = self.model.residents.community[members]
        if rematch:
            order = np.lexsort((self.rng.random(len(members)), comm))
            members = members[order]
            comm = comm[order]
        start = np.r_[0, np.flatnonzero(np.diff(comm)) + 1]
        pos = np.arange(len(members)) - np.repeat(start, np.diff(np.r_[start, len(members)]))
        key = comm.astype(np.int64) * (len(members) + 1) + pos // g
        _, gid = np.unique(key, return_inverse=True)
        out = np.empty(len(members), np.int64)
        if rematch:
            out[order] = gid
        else:
            out[:] = gid
        return out

    # --- one round ---------------------------------------------------------------------
    @override
    def step(self) -> None:
        m = self.model
        if self.next_round < 0:
            self.next_round = m.tick
        if m.tick < self.next_round:
            return
        self.next_round = m.tick + m.p["cofunding_round_days"]
        self._ensure_state()
        self._round()
        self._last_tick = m.tick

    def _round(self) -> None:
        m, p, res, st = self.model, self.model.p, self.model.residents, self._state
        members = self._members_now()
        if len(members) == 0:
            return
        rematch = p["cofunding_groups"] == "rematched"
        same = self._members is not None and np.array_equal(members, self._members)
        if rematch and self._groups is not None:
            st["deterrence"][members] *= p["rematch_memory"]
        gid = self._group(members, rematch) if (rematch or not same) else self._groups
        self._members, self._groups = members, gid
        r, big_r = self.rounds_played, p["cofunding_rounds"]
        if rematch:
            premium = 0.0
        elif big_r == 0:
            premium = p["reputation_premium"]
        else:
            premium = p["reputation_premium"] * (big_r - 1 - r) / max(big_r - 1, 1)
        e = p["endowment"]
        x = (
            st["slope"][members] * st["belief"][members]
            + st["deterrence"][members]
            + premium
            + self.rng.normal(0, p["contribution_noise"], len(members))
        )
        if p["deliberation_cofund"]:
            x = x + deliberation_shift(m, members, gid)  # members who talked together give more (rules.py)
        x = np.clip(x, 0.0, 1.0)
        n_groups = int(gid.max()) + 1
        size = np.bincount(gid, minlength=n_groups)
        total = np.bincount(gid, weights=x, minlength=n_groups)
        alone = size[gid] <= 1
        others = np.where(alone, x, (total[gid] - x) / np.maximum(size[gid] - 1, 1))
        received = np.zeros(len(members))
        given = np.zeros(len(members))
        if p["peer_sanctions"] and p["sanction_rate"] > 0:
            received, given = self._sanctions(x, others, gid, size)
            raise_by = p["sanction_response"] * p["sanction_impact"] * received / max(e, 1e-9)
            st["deterrence"][members] = np.clip(st["deterrence"][members] + raise_by, 0.0, 1.0)
        lam = p["belief_weight"]
        st["belief"][members] = np.where(alone, st["belief"][members], (1 - lam) * st["belief"][members] + lam * others)
        payoff = e * (1 - x) + p["mpcr"] * e * total[gid] - p["sanction_cost"] * given - p["sanction_impact"] * received
        # the pot funds the group's micro-project; sanctions cost face
        share = total[gid] / size[gid]
        res.satisfaction[members] += (p["project_satisfaction"] * share * (1 - res.satisfaction[members])).astype(
            res.satisfaction.dtype
        )
        if received.any():
            lost = np.minimum(p["sanction_impact"] * received / max(e, 1e-9), 1.0)
            res.belonging[members] -= (p["face_cost"] * lost * res.belonging[members]).astype(res.belonging.dtype)
        self.rounds_played += 1
        self.last = {
            "members": members,
            "contribution": x,
            "others": others,
            "received": received,
            "given": given,
            "group": gid,
            "payoff": payoff,
        }
        self.history.append(
            {
                "round": self.rounds_played,
                "tick": m.tick,
                "mean_contribution": float(x.mean()),
                "sanction_points": float(received.sum()),
                "mean_payoff": float(payoff.mean()),
            }
        )
        m.count("cofunding_rounds", 1)
        m.count("cofunding_money", float(x.sum() * e))
        m.count("cofunding_endowment", float(len(x) * e))
        m.count("sanction_points", float(received.sum()))

    def _sanctions(
        self, x: np.ndarray, others: np.ndarray, gid: np.ndarray, size: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Points received and given per member: higher contributors punish the shortfall below the mean."""
        p = self.model.p
        n_groups, width = len(size), int(size.max())
        order = np.argsort(gid, kind="stable")
        sorted_gid = gid[order]
        slot = np.arange(len(gid)) - np.repeat(segment_starts(size), size)
        xm = np.full((n_groups, width), np.nan)
        xm[sorted_gid, slot] = x[order]
        short = np.zeros((n_groups, width))
        short[sorted_gid, slot] = np.maximum(others[order] - x[order], 0.0)
        # pts[g, i, j]: points i assigns j (i gave more than j); NaN slots compare False
        higher = xm[:, :, None] > xm[:, None, :]
        pts = higher * (p["sanction_rate"] * p["endowment"] * short)[:, None, :]
        rec_m, giv_m = pts.sum(axis=1), pts.sum(axis=2)
        received, given = np.empty(len(gid)), np.empty(len(gid))
        received[order] = rec_m[sorted_gid, slot]
        given[order] = giv_m[sorted_gid, slot]
        return received, given
