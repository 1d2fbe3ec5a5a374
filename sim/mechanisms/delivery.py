"""Project delivery: what makes a project's work go on or stall (seed 000 §4.1.3, Xi'an).

The Xi'an renovation planned for 3 months took 8 (「使计划3个月完成的项目耗时8个月」). The
seed names the causes; each is a separate term here, so each can be removed:

- *Funds in hand.* Work is paid as it goes: a project can progress only as far as
  the money in hand covers. The community's share is paid at the start; the
  government's co-funding share (30% in Xi'an) arrives after a delay, so the share
  decides where the work stalls until it comes.
- *Enforcement of deadlines.* A contractor nobody holds to its deadline works at
  1 − ``contractor_slack`` of full pace. A site inspection (``inspections_per_month``,
  by the government, which has the power) that finds the project behind plan
  restores full pace for ``enforcement_days``. The residents' committee also looks
  (``committee_checks_per_month``) but can enforce only with ``committee_enforcement``
  (「缺乏资金与执法权」).
- *Communication among committee, firm and contractor.* Problems on site (access,
  residents' objections, the firm's cooperation) block the work; a blocker is
  cleared faster with a working three-party channel (``three_party_channel``,
  「三方未建立有效的沟通机制」) and with a responsibility list (clear duties,
  「责任不清、权责不明」).
- *The property firm's part.* The firm's share of the work (clean-up, access,
  green areas) goes at the firm's effort (「物业公司仅着眼于收取物业费」).

Implementations that need no funded project are done by the handlers: only the
blockers apply to them.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.calendar import DAYS_PER_MONTH
from sim.mechanisms.appraisal import clear_factor, slack_factor
from sim.mechanisms.base import Mechanism, Param, coef

SEED = "seed 000 §4.1.3"

LEVERS: tuple[Param, ...] = (
    Param(
        "three_party_channel",
        "projects",
        True,
        "bool",
        "committee, property firm and contractor have a working channel to settle problems on site",
        f"{SEED} 「三方未建立有效的沟通机制」 (its absence in Xi'an)",
        lever=True,
        label_zh="三方沟通机制",
    ),
    Param(
        "committee_enforcement",
        "projects",
        False,
        "bool",
        "the residents' committee can hold a contractor to its deadlines (enforcement power)",
        f"{SEED} 「社区居委会有心推进整治却因缺乏资金与执法权」",
        lever=True,
        label_zh="居委会执法权",
    ),
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit="", source="assumption", kind="float"):
    return coef("projects", name, default, meaning, zh, lo, hi, plausible, unit, source, kind)


PARAMS = (
    _c(
        "cofunding_delay",
        60.0,
        "mean days from a project's start until the government's co-funding share is in hand",
        "政府配套资金到位平均天数",
        hi=3650.0,
        plausible=(20.0, 180.0),
        unit="days",
        source="assumption (evidence O1, docs/dev/evidence-behaviour.md §5.2: under half of approved money in "
        "place years on; no figure on delay)",
    ),
    _c(
        "contractor_slack",
        0.4,
        "share of full pace a contractor gives up while nobody enforces its deadline",
        "无人督促时施工减速比例",
        plausible=(0.2, 0.6),
    ),
    _c(
        "enforcement_days",
        14,
        "days a contractor keeps full pace after an inspection with power found it behind plan",
        "督促后保持全速天数",
        lo=1,
        hi=365,
        plausible=(7, 30),
        unit="days",
        kind="int",
    ),
    _c(
        "committee_checks_per_month",
        4.0,
        "site checks a month by the residents' committee (they enforce only with committee_enforcement)",
        "居委会每月现场查看次数",
        hi=60.0,
        plausible=(2.0, 8.0),
        unit="1/month",
    ),
    _c(
        "block_rate",
        0.04,
        "daily chance that a problem on site blocks a project's work",
        "施工受阻日概率",
        plausible=(0.02, 0.08),
        unit="1/day",
    ),
    _c(
        "block_clear_rate",
        0.07,
        "daily chance a blocker is cleared without a three-party channel and without a list",
        "无沟通机制时障碍消除日概率",
        plausible=(0.04, 0.15),
        unit="1/day",
        source="calibrated: the Xi'an overrun 8/3 (seed 000 §4.1.3) with the other causes at their values",
    ),
    _c(
        "channel_clear_factor",
        4.0,
        "a three-party channel multiplies the daily chance of clearing a blocker",
        "沟通机制的障碍消除倍数",
        lo=1.0,
        hi=20.0,
        plausible=(2.0, 8.0),
        unit="×",
    ),
    _c(
        "list_clear_factor",
        2.0,
        "a responsibility list multiplies the daily chance of clearing a blocker",
        "责任清单的障碍消除倍数",
        lo=1.0,
        hi=20.0,
        plausible=(1.5, 4.0),
        unit="×",
    ),
    _c(
        "firm_part",
        0.3,
        "share of a funded project's work that goes at the property firm's effort",
        "物业承担的工作比例",
        plausible=(0.1, 0.5),
    ),
)


class Delivery(Mechanism):
    """Daily state of open projects: money arriving, inspections, blockers; the pace they allow."""

    name = "delivery"
    section = "projects"
    params = LEVERS + PARAMS
    counters = ("cofunding_arrived", "project_blockers", "deadline_enforcements")

    def on_start(self, pid: int, funded: bool) -> None:
        """A project just started: the community's share is in hand, the government's comes later."""
        m, p, ps = self.model, self.model.p, self.model.projects
        if not funded:
            ps.column("in_hand")[pid] = 1.0
            ps.column("money_due")[pid] = -1
            return
        ps.column("in_hand")[pid] = 1.0 - p["government_cofunding"]
        delay = self.rng.exponential(p["cofunding_delay"]) if p["cofunding_delay"] > 0 else 0.0
        ps.column("money_due")[pid] = m.tick + int(round(delay))

    @override
    def step(self) -> None:
        m, p, ps = self.model, self.model.p, self.model.projects
        ids = ps.open_ids
        if len(ids) == 0:
            return
        due = ps.column("money_due")
        arrived = ids[(due[ids] >= 0) & (due[ids] <= m.tick)]
        if len(arrived):
            ps.column("in_hand")[arrived] = 1.0
            due[arrived] = -1
            m.count("cofunding_arrived", len(arrived))
        # blockers on site: cleared faster with a three-party channel and a list of duties
        blocked = ps.column("blocked")
        clear = p["block_clear_rate"]
        clear *= p["channel_clear_factor"] if p["three_party_channel"] else 1.0
        clear *= p["list_clear_factor"] if p["responsibility_list"] else 1.0
        clear *= clear_factor(p)  # a supervision engineer on site (appraisal.py)
        u = self.rng.random(len(ids))
        was = blocked[ids].astype(bool)
        now = np.where(was, u >= min(clear, 1.0), u < p["block_rate"])
        blocked[ids] = now
        m.count("project_blockers", int((now & ~was).sum()))
        # inspections by whoever has the power to enforce a deadline
        funded = ps.column("cost")[ids] > 0
        looks = p["inspections_per_month"] + (p["committee_checks_per_month"] if p["committee_enforcement"] else 0.0)
        n_looks = self.rng.poisson(looks / DAYS_PER_MONTH, len(ids))
        elapsed = (m.tick - ps.column("start")[ids]) / ps.column("planned")[ids]
        behind = ps.column("progress")[ids] < np.minimum(elapsed, 1.0)
        enforce = ids[(n_looks > 0) & behind & funded]
        if len(enforce):
            ps.column("enforced_until")[enforce] = m.tick + p["enforcement_days"]
            m.count("deadline_enforcements", len(enforce))

    def pace(self, ids: np.ndarray) -> np.ndarray:
        """Today's pace of projects ``ids`` as a share of full pace."""
        m, p, ps = self.model, self.model.p, self.model.projects
        funded = ps.column("cost")[ids] > 0
        enforced = ps.column("enforced_until")[ids] >= m.tick
        slack = p["contractor_slack"] * slack_factor(p)  # less with a supervision engineer (appraisal.py)
        contractor = np.where(enforced | ~funded, 1.0, 1.0 - slack)
        firm = 1.0 - p["firm_part"] * (1.0 - m.firms.effort[ps.column("estate")[ids]])
        firm = np.where(funded, firm, 1.0)
        return np.where(ps.column("blocked")[ids].astype(bool), 0.0, contractor * firm)

    def in_hand(self, ids: np.ndarray) -> np.ndarray:
        """The share of each project's cost in hand: work cannot go beyond it."""
        return self.model.projects.column("in_hand")[ids]
