"""Residents' pre-evaluation of projects and the resident supervision engineer (seed 002 §2 三是).

X community evaluates a project over its whole course: 「在项目确定前,组织群众进行事前预评,
并将群众评价作为事前决策的重要依据;在项目实施过程中,社区规划师则变身为工程监理师,协助群众监督
项目实施」. Two levers:

- *Pre-evaluation* (``pre_evaluation``, 事前预评). Before a funded project starts, a panel
  of ``preassess_panel`` adults of its estate rates the plan. Each supports it with a
  chance equal to the plan's legitimacy (how far it reflects what residents want: the
  meeting's decision rule and representativeness, consultation.py). A plan with less
  than ``preassess_drop_below`` support is dropped before any money is spent (its
  matters go back on the agenda); one with less than ``preassess_change_below`` is
  changed after the residents' comments, which moves its legitimacy a step
  ``preassess_change_gain`` towards 1. A project's legitimacy decides what its
  completion does for the estate (projects.py), so pre-evaluation spends money on the
  plans residents want. Panel members take part (an activity). The assessment is
  assumed to take place before the start date, without delaying it.
- *Supervision engineer* (``supervision_engineer``, 工程监理师). The community planner
  watches every funded project on site: a contractor nobody with power holds to its
  deadline gives up only ``1 − engineer_slack_cut`` of the slack it would otherwise
  (contractor_slack, delivery.py), and blockers on site are cleared
  ``engineer_clear_factor`` times as fast (the engineer reports them at once). Both
  shorten overruns. Defects of finished work are not modelled.

Both levers are read where the state lives (``start_project`` in projects.py, the
pace and blockers in delivery.py); this module declares them and holds the rules.
"""

from __future__ import annotations

import numpy as np

from sim.mechanisms.base import Mechanism, Outcome, Param, coef

SEED = "seed 002 §2 三是"

LEVERS: tuple[Param, ...] = (
    Param(
        "pre_evaluation",
        "projects",
        False,
        "bool",
        "residents evaluate a funded project's plan before it starts; weak plans are dropped or changed",
        f"{SEED} 「在项目确定前,组织群众进行事前预评」",
        lever=True,
        label_zh="事前预评",
        meaning_zh="项目确定前组织群众预评，支持不足的方案被否决或修改",
    ),
    Param(
        "supervision_engineer",
        "projects",
        False,
        "bool",
        "the community planner acts as resident supervision engineer on every funded project",
        f"{SEED} 「社区规划师则变身为工程监理师,协助群众监督项目实施」",
        lever=True,
        label_zh="工程监理师",
        meaning_zh="社区规划师驻场监督施工，减少拖延、及时报告现场障碍",
    ),
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit="", kind="float"):
    return coef("projects", name, default, meaning, zh, lo, hi, plausible, unit, kind=kind)


PARAMS = (
    _c(
        "preassess_panel",
        15,
        "adults of the estate on a project's pre-evaluation panel",
        "事前预评群众人数",
        lo=1,
        hi=500,
        plausible=(8, 30),
        unit="residents",
        kind="int",
    ),
    _c(
        "preassess_drop_below",
        0.4,
        "a plan supported by less than this share of the panel is dropped",
        "预评否决阈值（支持率）",
        plausible=(0.25, 0.5),
    ),
    _c(
        "preassess_change_below",
        0.7,
        "a plan supported by less than this share (and not dropped) is changed after the panel's comments",
        "预评修改阈值（支持率）",
        plausible=(0.55, 0.85),
    ),
    _c(
        "preassess_change_gain",
        0.5,
        "step of a changed plan's legitimacy towards 1",
        "预评修改后的合法性提升",
        plausible=(0.25, 0.75),
    ),
    _c(
        "engineer_slack_cut",
        0.5,
        "share of an unenforced contractor's slack removed by a resident supervision engineer",
        "监理师减少的施工拖延比例",
        plausible=(0.25, 0.75),
    ),
    _c(
        "engineer_clear_factor",
        1.5,
        "a supervision engineer multiplies the daily chance of clearing a blocker on site",
        "监理师的障碍消除倍数",
        lo=1.0,
        hi=10.0,
        plausible=(1.0, 3.0),
        unit="×",
    ),
)

OUTCOMES = (
    Outcome(
        "projects_pre_dropped",
        "funded project plans dropped at residents' pre-evaluation so far",
        "projects",
        "Plans dropped at pre-evaluation",
        "累计预评否决项目",
        "cumulative",
        "neutral",
        counter="projects_pre_dropped",
    ),
    Outcome(
        "projects_pre_changed",
        "funded project plans changed after residents' pre-evaluation so far",
        "projects",
        "Plans changed at pre-evaluation",
        "累计预评修改项目",
        "cumulative",
        "neutral",
        counter="projects_pre_changed",
    ),
)


def slack_factor(p: dict) -> float:
    """Multiplier on the contractor's slack: a supervision engineer removes part of it."""
    return 1.0 - p["engineer_slack_cut"] if p["supervision_engineer"] else 1.0


def clear_factor(p: dict) -> float:
    """Multiplier on the daily chance of clearing a blocker: an engineer on site reports it at once."""
    return p["engineer_clear_factor"] if p["supervision_engineer"] else 1.0


class Appraisal(Mechanism):
    """Pre-evaluation of project plans by residents (called by ``start_project``); no daily work."""

    name = "appraisal"
    section = "projects"
    params = LEVERS + PARAMS
    outcomes = OUTCOMES
    counters = ("projects_pre_dropped", "projects_pre_changed", "preassess_panellists")

    def active(self, p: dict) -> bool:
        """Nothing to do each day: the assessment happens when a project would start."""
        return False

    def assess(self, estate: int, legitimacy: float) -> float | None:
        """The panel's verdict on a plan: None when dropped, else the plan's (possibly raised) legitimacy."""
        m, p, res = self.model, self.model.p, self.model.residents
        lo, hi = m.estate_range(estate)
        adults = lo + np.flatnonzero(res.adult[lo:hi])
        if len(adults) == 0:
            return legitimacy
        panel = self.rng.choice(adults, size=min(p["preassess_panel"], len(adults)), replace=False)
        m.record_activity(panel)
        m.count("preassess_panellists", len(panel))
        support = float((self.rng.random(len(panel)) < legitimacy).mean())
        if support < p["preassess_drop_below"]:
            m.count("projects_pre_dropped", 1)
            return None
        if support < p["preassess_change_below"]:
            m.count("projects_pre_changed", 1)
            legitimacy += p["preassess_change_gain"] * (1.0 - legitimacy)
        return legitimacy
