"""Outcomes: declared once (name, meaning, unit, labels, kind, direction), computed once a tick.

Every outcome is an ``Outcome`` declaration (``sim.mechanisms.base``): the core
outcomes of the resident population and the shared records are declared here
and computed together in ``compute_row`` (one bincount over the 24 resident
cells serves all group outcomes); a mechanism declares its own outcomes in its
module (``Mechanism.outcomes``) with their computation. The views other code
reads are derived from the declarations: ``OUTCOMES`` (name -> meaning),
``OUTCOME_KIND`` (flow/stock/cumulative), ``OUTCOME_BETTER`` (higher/lower/
neutral), ``OUTCOME_LABELS`` (name -> (English, Chinese)) and ``HEADLINE``
(the outcomes shown first in figures and reports).
"""

from __future__ import annotations

import numpy as np

from sim.agents.resident import ACTORS, ELDERLY, WORKING
from sim.mechanisms.base import Outcome
from sim.mechanisms.matters import CLASSES
from sim.store import RecordStore

GROUPS = ("elderly", "working", "owner", "renter", "local", "migrant", "party", "nonparty")

ZH_CLASS = {"small": "小事", "major": "大事", "hard": "难事"}
ZH_ACTOR = {
    "residents_committee": "居委会",
    "party_committee": "党组织",
    "property_firm": "物业公司",
    "social_orgs": "社会组织",
    "government": "政府",
    "homeowners_committee": "业委会",
    "grid_workers": "网格员",
    "neighbours": "邻居",
}
ZH_GROUP = {
    "elderly": "老年人",
    "working": "劳动年龄人口",
    "owner": "业主",
    "renter": "租户",
    "local": "本地居民",
    "migrant": "外来人口",
    "party": "党员",
    "nonparty": "非党员",
}
EN_GROUP = {
    "elderly": "elderly",
    "working": "working age",
    "owner": "owners",
    "renter": "renters",
    "local": "locals",
    "migrant": "migrants",
    "party": "Party members",
    "nonparty": "non-members",
}

F, S, C = "flow", "stock", "cumulative"
HI, LO, N = "higher", "lower", "neutral"

# name: (meaning, unit, English label, Chinese label, kind, better)
_CORE = {
    "tick": ("day of the run (0 = initial state)", "days", "Day", "天数", S, N),
    "participation": (
        "share of adults who took part in an activity within the activity window",
        "share",
        "Participation",
        "参与率",
        S,
        HI,
    ),
    "registered_volunteers": (
        "residents registered as volunteers",
        "residents",
        "Registered volunteers",
        "注册志愿者人数",
        S,
        HI,
    ),
    "volunteer_share": (
        "registered volunteers as a share of all residents",
        "share",
        "Volunteers (share of residents)",
        "志愿者占居民比例",
        S,
        HI,
    ),
    "active_volunteers": (
        "registered volunteers active within the activity window",
        "residents",
        "Active volunteers",
        "活跃志愿者人数",
        S,
        HI,
    ),
    "matters_raised": ("matters raised so far", "matters", "Matters raised so far", "累计提出事项", C, N),
    "matters_surfaced": (
        "matters surfaced to a handler so far",
        "matters",
        "Matters surfaced so far",
        "累计上报事项",
        C,
        HI,
    ),
    "matters_resolved": ("matters resolved so far", "matters", "Matters resolved so far", "累计解决事项", C, HI),
    "backlog": (
        "open matters (raised, not yet resolved)",
        "matters",
        "Open matters (backlog)",
        "未解决事项（积压）",
        S,
        LO,
    ),
    "unsurfaced": ("open matters nobody has heard of yet", "matters", "Unsurfaced matters", "尚未被发现的事项", S, LO),
    "satisfaction": ("mean satisfaction of adults (0–1)", "0–1", "Satisfaction", "满意度", S, HI),
    "belonging": ("mean sense of belonging of adults (0–1)", "0–1", "Sense of belonging", "归属感", S, HI),
    "cohesion": (
        "mean share of building neighbours active within the window (0–1)",
        "0–1",
        "Neighbours active in building",
        "楼栋邻里活跃度",
        S,
        HI,
    ),
    "residents": ("residents (conserved: leavers are replaced)", "residents", "Residents", "居民人数", S, N),
    "households": ("households (conserved)", "households", "Households", "户数", S, N),
    "participation_gap_age": (
        "participation of elderly minus working-age adults",
        "share",
        "Participation gap, elderly − working age",
        "参与率差距（老年−劳动年龄）",
        S,
        N,
    ),
    "participation_gap_origin": (
        "participation of locals minus migrants",
        "share",
        "Participation gap, locals − migrants",
        "参与率差距（本地−外来）",
        S,
        LO,
    ),
    "participation_gap_tenure": (
        "participation of owners minus renters",
        "share",
        "Participation gap, owners − renters",
        "参与率差距（业主−租户）",
        S,
        LO,
    ),
}


def _core_outcomes() -> list[Outcome]:
    out = [Outcome(k, *v) for k, v in _CORE.items()]
    for c in CLASSES:
        zc = ZH_CLASS[c]
        out += [
            Outcome(
                f"raised_{c}",
                f"{c} matters raised so far",
                "matters",
                f"{c.capitalize()} matters raised so far",
                f"累计提出{zc}",
                C,
                N,
            ),
            Outcome(
                f"resolved_{c}",
                f"{c} matters resolved so far",
                "matters",
                f"{c.capitalize()} matters resolved so far",
                f"累计解决{zc}",
                C,
                HI,
            ),
            Outcome(f"backlog_{c}", f"open {c} matters", "matters", f"Open {c} matters", f"未解决{zc}", S, LO),
            Outcome(
                f"days_to_resolve_{c}",
                f"mean days from raising to resolution of {c} matters resolved so far",
                "days",
                f"Days to resolve {c} matters",
                f"平均解决天数：{zc}",
                C,
                LO,
            ),
        ]
    for a in ACTORS:
        words = "residents' committee" if a == "residents_committee" else a.replace("_", " ")
        out.append(
            Outcome(
                f"trust_{a}",
                f"mean trust of adults in the {words} (0–1)",
                "0–1",
                f"Trust in the {words}",
                f"对{ZH_ACTOR[a]}的信任度",
                S,
                HI,
            )
        )
    for g in GROUPS:
        eg, zg = EN_GROUP[g], ZH_GROUP[g]
        out += [
            Outcome(
                f"participation_{g}",
                f"participation of {g} adults",
                "share",
                f"Participation, {eg}",
                f"{zg}参与率",
                S,
                HI,
            ),
            Outcome(
                f"satisfaction_{g}",
                f"mean satisfaction of {g} adults",
                "0–1",
                f"Satisfaction, {eg}",
                f"{zg}满意度",
                S,
                HI,
            ),
            Outcome(
                f"trust_{g}", f"mean trust (all actors) of {g} adults", "0–1", f"Trust, {eg}", f"{zg}的信任度", S, HI
            ),
        ]
    return out


CORE_OUTCOMES: tuple[Outcome, ...] = tuple(_core_outcomes())


def _assemble() -> tuple[Outcome, ...]:
    """Core outcomes followed by those the registered mechanisms declare."""
    from sim.mechanisms import PIPELINE

    out = list(CORE_OUTCOMES)
    seen = {o.name for o in out}
    for cls in PIPELINE:
        for o in cls.outcomes:
            if o.name in seen:
                raise ValueError(f"outcome {o.name} declared twice (again by mechanism {cls.name})")
            seen.add(o.name)
            out.append(o)
    return tuple(out)


DECLARED: tuple[Outcome, ...] = _assemble()
BY_NAME: dict[str, Outcome] = {o.name: o for o in DECLARED}
OUTCOMES: dict[str, str] = {o.name: o.meaning for o in DECLARED}
OUTCOME_KIND: dict[str, str] = {o.name: o.kind for o in DECLARED if o.name != "tick"}  # the day itself is no outcome
OUTCOME_BETTER: dict[str, str] = {o.name: o.better for o in DECLARED}
OUTCOME_LABELS: dict[str, tuple[str, str]] = {o.name: (o.en, o.zh) for o in DECLARED}
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


def outcome_label(name: str, lang: str = "en") -> str:
    """The label of outcome ``name`` in ``lang`` ("en" or "zh"), from its declaration.

    Plug-in outcomes not in the registered table fall back to their name.
    """
    o = BY_NAME.get(name)
    if o is None:
        return name.replace("_", " ").capitalize()
    return o.zh if lang == "zh" else o.en


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


def _group_means(code: np.ndarray, values: list[np.ndarray | None], counts: np.ndarray, mask=None):
    """Means over adults in each of GROUPS of each array in ``values``, from one bincount over 24 cells each.

    A ``None`` entry stands for the 0/1 array ``mask``: its cell sums are plain counts of
    ``code[mask]`` (the same whole numbers a weighted bincount adds up, at a fraction of the cost).
    """
    size = np.maximum(_GROUPS_BY_CELL @ counts, 1)
    out = []
    for v in values:
        sums = np.bincount(code[mask], minlength=24) if v is None else np.bincount(code, weights=v, minlength=24)
        out.append(dict(zip(GROUPS, ((_GROUPS_BY_CELL @ sums) / size).tolist(), strict=True)))
    return out


def _store_counts(store: RecordStore, column: str, ids: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(store.column(column)[ids], minlength=n)


def compute_row(m) -> dict[str, float]:
    """Every outcome of the current tick."""
    res, t = m.residents, m.totals
    counts, w = m.group_counts, m.adult_weight
    recent = m.recent.astype(np.float32)
    n_adult = max(float(w.sum()), 1.0)
    ms = m.matters
    open_cls = _store_counts(ms, "cls", ms.open_ids, 3)
    unsurf = int((ms.column("surfaced")[ms.open_ids] < 0).sum())
    row = {
        "tick": m.tick,
        "participation": float(np.dot(recent, w) / n_adult),
        "registered_volunteers": int(np.count_nonzero(res.volunteer)),
        "volunteer_share": np.count_nonzero(res.volunteer) / res.n,
        "active_volunteers": int(np.count_nonzero(res.volunteer & m.recent)),
        "matters_raised": sum(_get(t, f"raised_{c}", 0) for c in CLASSES),
        "matters_surfaced": sum(_get(t, f"surfaced_{c}", 0) for c in CLASSES),
        "matters_resolved": sum(_get(t, f"resolved_{c}", 0) for c in CLASSES),
        "backlog": int(len(ms.open_ids)),
        "unsurfaced": unsurf,
        "satisfaction": float(np.dot(res.satisfaction, w) / n_adult),
        "belonging": float(np.dot(res.belonging, w) / n_adult),
        "cohesion": float(m.building_activity.mean()),
        "residents": res.n,
        "households": m.struct.n_households,  # conserved; checked mode verifies it (invariants.py)
    }
    for c, label in enumerate(CLASSES):
        row[f"raised_{label}"] = _get(t, f"raised_{label}", 0)
        row[f"resolved_{label}"] = _get(t, f"resolved_{label}", 0)
        row[f"backlog_{label}"] = int(open_cls[c])
        row[f"days_to_resolve_{label}"] = _get(t, f"days_to_resolve_{label}", 0.0) / max(
            _get(t, f"resolved_{label}", 0), 1
        )
    trust_adult = (w @ res.trust) / n_adult
    for a, v in zip(ACTORS, trust_adult, strict=True):
        row[f"trust_{a}"] = float(v)
    part, sat, tr = _group_means(m.group_code, [None, res.satisfaction, res.trust @ _ACTOR_MEAN], counts, mask=m.recent)
    for g in GROUPS:
        row[f"participation_{g}"] = part[g]
        row[f"satisfaction_{g}"] = sat[g]
        row[f"trust_{g}"] = tr[g]
    row["participation_gap_age"] = part["elderly"] - part["working"]
    row["participation_gap_origin"] = part["local"] - part["migrant"]
    row["participation_gap_tenure"] = part["owner"] - part["renter"]
    # mechanism-declared outcomes: counters were checked against the declarations when the
    # model was built (outcome_plan), so plain dict lookups are safe here
    today, totals = m.today, m.totals
    for name, counter, zero in m.outcome_flows:
        row[name] = _get(today, counter, zero)
    for name, counter, zero in m.outcome_totals:
        row[name] = _get(totals, counter, zero)
    for name, compute in m.outcome_computed:
        row[name] = compute(m)
    return row


_get = dict.get  # the plain lookup, for names already checked against the declared counters
CORE_COUNTERS = tuple(f"{k}_{c}" for k in ("raised", "surfaced", "resolved", "days_to_resolve") for c in CLASSES)


def outcome_plan(outcomes: list[Outcome], counters: frozenset[str]) -> tuple[list, list, list]:
    """Split mechanism outcomes into today's counters, running counters and computed ones.

    Raises:
        ValueError: an outcome reads a counter no mechanism declares.
    """
    for name in CORE_COUNTERS:
        if name not in counters:
            raise ValueError(f"core outcomes read counter {name!r}, which no mechanism declares")
    flows, totals, computed = [], [], []
    for o in outcomes:
        if o.counter is not None:
            if o.counter not in counters:
                raise ValueError(f"outcome {o.name} reads counter {o.counter!r}, which no mechanism declares")
            (flows if o.kind == "flow" else totals).append((o.name, o.counter, o.zero))
        elif o.compute is not None:
            computed.append((o.name, o.compute))
        else:
            raise ValueError(f"outcome {o.name} declares neither compute nor counter")
    return flows, totals, computed
