"""Outcomes: defined once, computed once a tick, used everywhere.

``OUTCOMES`` names every column of the per-tick table with its meaning; the
comparison report, sweeps and dashboard read the same names. ``HEADLINE``
lists the outcomes shown first in figures and reports.
"""

from __future__ import annotations

import numpy as np

from sim.agents.resident import ACTORS, ELDERLY, WORKING
from sim.mechanisms.matters import CLASSES
from sim.store import RecordStore

GROUPS = ("elderly", "working", "owner", "renter", "local", "migrant", "party", "nonparty")


def _outcome_table() -> dict[str, str]:
    out = {
        "tick": "day of the run (0 = initial state)",
        "participation": "share of adults who took part in an activity within the activity window",
        "activities": "activities joined today (all kinds)",
        "registered_volunteers": "residents registered as volunteers",
        "volunteer_share": "registered volunteers as a share of all residents",
        "active_volunteers": "registered volunteers active within the activity window",
        "meetings": "consultation meetings held today (all communities)",
        "meeting_attendance": "seats filled at today's meetings (1+3 institutional + residents)",
        "matters_raised": "matters raised so far",
        "matters_surfaced": "matters surfaced to a handler so far",
        "matters_resolved": "matters resolved so far",
        "backlog": "open matters (raised, not yet resolved)",
        "unsurfaced": "open matters nobody has heard of yet",
        "buck_passes": "handling attempts passed on instead of done so far",
        "disputes_new": "disputes opened today",
        "disputes_escalated": "disputes escalated today (petition, lawsuit)",
        "disputes_mediated": "disputes settled by mediation today",
        "disputes_open": "disputes currently open",
        "disputes_total": "disputes opened so far",
        "escalations_total": "disputes escalated so far",
        "mediated_total": "disputes mediated so far",
        "norm_breaches": "norm breaches today (litter, noise, parking, pets)",
        "refusals": "invitations to activities refused so far",
        "home_visits": "residents reached by Party members' home visits today",
        "satisfaction": "mean satisfaction of adults (0–1)",
        "belonging": "mean sense of belonging of adults (0–1)",
        "cohesion": "mean share of building neighbours active within the window (0–1)",
        "firm_effort": "mean service effort of property firms (0–1)",
        "firm_shirking": "mean effort withheld below the governance target (0–1)",
        "firm_profit": "property firms' cumulative profit (yuan)",
        "firm_complaints": "complaints about property service so far",
        "revenue_disputes": "shared-revenue disputes between firms and homeowners' committees so far",
        "fund_balance": "money in the community funds (yuan)",
        "points_budget_left": "money left for redeeming points this year (yuan)",
        "points_issued": "points issued so far",
        "points_redeemed": "points redeemed so far",
        "points_held": "points held by residents",
        "points_forfeited": "points lost when their holders moved away",
        "redemptions_refused": "redemptions refused for lack of budget so far",
        "incentive_cost_per_activity": "redemption cost so far per activity so far (yuan)",
        "paperwork_hours": "grid workers' hours on forms today",
        "grid_workers": "grid workers in post",
        "projects_started": "governance projects started so far",
        "projects_completed": "governance projects completed so far",
        "projects_open": "governance projects under way",
        "project_overrun": "mean actual/planned duration of completed projects (1 = on time)",
        "implementations_completed": "agreed problems implemented without a funded project so far",
        "implementation_overrun": "mean actual/planned duration of completed implementations (1 = on time)",
        "residents": "residents (conserved: leavers are replaced)",
        "households": "households (conserved)",
        "arrivals": "newcomers so far",
        "participation_gap_age": "participation of elderly minus working-age adults",
        "participation_gap_origin": "participation of locals minus migrants",
        "participation_gap_tenure": "participation of owners minus renters",
        "agenda_items": "problems deliberated at consultation meetings so far",
        "acceptances": "invitations to activities accepted so far",
        "breaches_total": "norm breaches so far",
        "fines": "norm breaches fined so far",
        "cofunding_contribution": "mean contribution in the latest co-funding round (share of endowment; 0 before any)",
        "sanction_points": "peer-sanction points assigned in co-funding rounds so far",
    }
    for c in CLASSES:
        out[f"raised_{c}"] = f"{c} matters raised so far"
        out[f"resolved_{c}"] = f"{c} matters resolved so far"
        out[f"backlog_{c}"] = f"open {c} matters"
        out[f"days_to_resolve_{c}"] = f"mean days from raising to resolution of {c} matters resolved so far"
    for a in ACTORS:
        out[f"trust_{a}"] = f"mean trust of adults in the {a.replace('_', ' ')} (0–1)"
    for g in GROUPS:
        out[f"participation_{g}"] = f"participation of {g} adults"
        out[f"satisfaction_{g}"] = f"mean satisfaction of {g} adults"
        out[f"trust_{g}"] = f"mean trust (all actors) of {g} adults"
    return out


OUTCOMES: dict[str, str] = _outcome_table()
# How each outcome accumulates over a run, which decides how a run is summarised
# (experiments.store.summary_row): a *flow* is a count for that day (summed over
# the run), a *stock* is a level at that day (averaged over the last days), a
# *cumulative* outcome is a running total or running mean since day 0 (read on
# the last day).
FLOW_OUTCOMES = frozenset(
    {
        "activities",
        "meetings",
        "meeting_attendance",
        "disputes_new",
        "disputes_escalated",
        "disputes_mediated",
        "norm_breaches",
        "home_visits",
        "paperwork_hours",
    }
)
CUMULATIVE_OUTCOMES = frozenset(
    {
        "matters_raised",
        "matters_surfaced",
        "matters_resolved",
        "buck_passes",
        "disputes_total",
        "escalations_total",
        "mediated_total",
        "refusals",
        "firm_profit",
        "firm_complaints",
        "revenue_disputes",
        "points_issued",
        "points_redeemed",
        "points_forfeited",
        "redemptions_refused",
        "incentive_cost_per_activity",
        "projects_started",
        "projects_completed",
        "project_overrun",
        "implementations_completed",
        "implementation_overrun",
        "arrivals",
        "agenda_items",
        "acceptances",
        "breaches_total",
        "fines",
        "sanction_points",
        *(f"{k}_{c}" for c in CLASSES for k in ("raised", "resolved", "days_to_resolve")),
    }
)
OUTCOME_KIND: dict[str, str] = {
    name: "flow" if name in FLOW_OUTCOMES else "cumulative" if name in CUMULATIVE_OUTCOMES else "stock"
    for name in OUTCOMES
    if name != "tick"
}
HEADLINE = (
    "participation",
    "volunteer_share",
    "backlog",
    "disputes_total",
    "escalations_total",
    "satisfaction",
    "trust_residents_committee",
    "belonging",
)


def _group_matrix() -> np.ndarray:
    """Membership of each of the 24 cells (age×tenure×origin×party) in each of GROUPS."""
    idx = np.arange(24)
    age, owner, migrant, party = idx // 8, (idx // 4) % 2, (idx // 2) % 2, idx % 2
    adult = age > 0
    rows = [
        age == ELDERLY,
        age == WORKING,
        (owner == 1) & adult,
        (owner == 0) & adult,
        (migrant == 0) & adult,
        (migrant == 1) & adult,
        (party == 1) & adult,
        (party == 0) & adult,
    ]
    return np.array(rows, dtype=np.float64)


_GROUPS_BY_CELL = _group_matrix()
_ACTOR_MEAN = np.full(len(ACTORS), 1 / len(ACTORS), np.float32)


def _group_means(res, code: np.ndarray, values: np.ndarray, counts: np.ndarray) -> dict[str, float]:
    """Means of ``values`` over adults in each of GROUPS, from one bincount over 24 cells."""
    sums = _GROUPS_BY_CELL @ np.bincount(code, weights=values, minlength=24)
    means = sums / np.maximum(_GROUPS_BY_CELL @ counts, 1)
    return dict(zip(GROUPS, means.tolist(), strict=True))


def _store_counts(store: RecordStore, column: str, ids: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(store.column(column)[ids], minlength=n)


def compute_row(m) -> dict[str, float]:
    """Every outcome of the current tick."""
    res, t, tot = m.residents, m.totals, m.today.get
    code, counts, w = m.group_code, m.group_counts, m.adult_weight
    recent = m.recent.astype(np.float32)
    n_adult = max(float(w.sum()), 1.0)
    ms = m.matters
    open_cls = _store_counts(ms, "cls", ms.open_ids, 3)
    unsurf = int((ms.column("surfaced")[ms.open_ids] < 0).sum())
    ds, ps = m.disputes, m.projects
    row = {
        "tick": m.tick,
        "participation": float(np.dot(recent, w) / n_adult),
        "activities": tot("activities", 0),
        "registered_volunteers": int(np.count_nonzero(res.volunteer)),
        "volunteer_share": np.count_nonzero(res.volunteer) / res.n,
        "active_volunteers": int(np.count_nonzero(res.volunteer & m.recent)),
        "meetings": tot("meetings", 0),
        "meeting_attendance": tot("meeting_attendance", 0),
        "matters_raised": sum(t.get(f"raised_{c}", 0) for c in CLASSES),
        "matters_surfaced": sum(t.get(f"surfaced_{c}", 0) for c in CLASSES),
        "matters_resolved": sum(t.get(f"resolved_{c}", 0) for c in CLASSES),
        "backlog": int(len(ms.open_ids)),
        "unsurfaced": unsurf,
        "buck_passes": t.get("buck_passes", 0),
        "disputes_new": tot("disputes_new", 0),
        "disputes_escalated": tot("disputes_escalated", 0),
        "disputes_mediated": tot("disputes_mediated", 0),
        "disputes_open": int(len(ds.open_ids)),
        "disputes_total": t.get("disputes_new", 0),
        "escalations_total": t.get("disputes_escalated", 0),
        "mediated_total": t.get("disputes_mediated", 0),
        "norm_breaches": tot("norm_breaches", 0),
        "refusals": t.get("refusals", 0),
        "home_visits": tot("home_visits", 0),
        "satisfaction": float(np.dot(res.satisfaction, w) / n_adult),
        "belonging": float(np.dot(res.belonging, w) / n_adult),
        "cohesion": float(m.building_activity.mean()),
        "firm_effort": float(m.firms.effort.mean()),
        "firm_shirking": float(m.firms.shirking.mean()),
        "firm_profit": float(m.firms.profit.sum()),
        "firm_complaints": t.get("firm_complaints", 0),
        "revenue_disputes": t.get("revenue_disputes", 0),
        "fund_balance": float(m.funds.community.sum()),
        "points_budget_left": float(m.funds.points_budget.sum()),
        "points_issued": t.get("points_issued", 0.0),
        "points_redeemed": t.get("points_redeemed", 0.0),
        "points_held": float(res.points.sum()),
        "points_forfeited": t.get("points_forfeited", 0.0),
        "redemptions_refused": t.get("redemptions_refused", 0),
        "incentive_cost_per_activity": t.get("redemption_cost", 0.0) / max(t.get("activities", 0), 1),
        "paperwork_hours": tot("paperwork_hours", 0.0),
        "grid_workers": m.grid_workers.n,
        "projects_started": t.get("projects_started", 0),
        "projects_completed": t.get("projects_completed", 0),
        "projects_open": int(len(ps.open_ids)),
        "project_overrun": t.get("project_overrun_sum", 0.0) / max(t.get("projects_completed", 0), 1),
        "implementations_completed": t.get("implementations_completed", 0),
        "implementation_overrun": (
            t.get("implementation_overrun_sum", 0.0) / max(t.get("implementations_completed", 0), 1)
        ),
        "residents": res.n,
        "households": m.struct.n_households,  # conserved; checked mode verifies it (invariants.py)
        "arrivals": t.get("arrivals", 0),
        "agenda_items": t.get("agenda_items", 0),
        "acceptances": t.get("acceptances", 0),
        "breaches_total": t.get("norm_breaches", 0),
        "fines": t.get("fines", 0),
        "cofunding_contribution": m.mech["cofunding"].latest_contribution(),
        "sanction_points": t.get("sanction_points", 0.0),
    }
    for c, label in enumerate(CLASSES):
        row[f"raised_{label}"] = t.get(f"raised_{label}", 0)
        row[f"resolved_{label}"] = t.get(f"resolved_{label}", 0)
        row[f"backlog_{label}"] = int(open_cls[c])
        row[f"days_to_resolve_{label}"] = t.get(f"days_to_resolve_{label}", 0.0) / max(t.get(f"resolved_{label}", 0), 1)
    trust_adult = (w @ res.trust) / n_adult
    for a, v in zip(ACTORS, trust_adult, strict=True):
        row[f"trust_{a}"] = float(v)
    part = _group_means(res, code, recent, counts)
    sat = _group_means(res, code, res.satisfaction, counts)
    tr = _group_means(res, code, res.trust @ _ACTOR_MEAN, counts)
    for g in GROUPS:
        row[f"participation_{g}"] = part[g]
        row[f"satisfaction_{g}"] = sat[g]
        row[f"trust_{g}"] = tr[g]
    row["participation_gap_age"] = part["elderly"] - part["working"]
    row["participation_gap_origin"] = part["local"] - part["migrant"]
    row["participation_gap_tenure"] = part["owner"] - part["renter"]
    return row


def _better_table() -> dict[str, str]:
    """Which direction of each outcome is better for residents: "higher", "lower" or "neutral".

    "neutral" marks counts of people, inputs (meetings held, visits made, points
    issued), money balances and gaps whose sign has no agreed better side; a
    robustness verdict (experiments.robust) is given only for the other two.
    """
    higher = {
        "participation", "activities", "registered_volunteers", "volunteer_share", "active_volunteers",
        "matters_resolved", "disputes_mediated", "mediated_total", "satisfaction", "belonging", "cohesion",
        "firm_effort", "projects_completed", "implementations_completed", "acceptances", "cofunding_contribution",
    }  # fmt: skip
    lower = {
        "backlog", "unsurfaced", "buck_passes", "disputes_new", "disputes_escalated", "disputes_open",
        "disputes_total", "escalations_total", "norm_breaches", "breaches_total", "refusals", "firm_shirking",
        "firm_complaints", "revenue_disputes", "redemptions_refused", "incentive_cost_per_activity",
        "paperwork_hours", "project_overrun", "implementation_overrun", "points_forfeited",
    }  # fmt: skip
    out = {}
    for name in OUTCOMES:
        if name in higher or name.startswith(("resolved_", "trust_", "participation_", "satisfaction_")):
            out[name] = "higher"
        elif name in lower or name.startswith(("backlog_", "days_to_resolve_")):
            out[name] = "lower"
        else:
            out[name] = "neutral"
    for gap in ("participation_gap_age", "participation_gap_origin", "participation_gap_tenure"):
        out[gap] = "neutral"  # a gap's better sign depends on which group one wants to reach
    return out


OUTCOME_BETTER: dict[str, str] = _better_table()
