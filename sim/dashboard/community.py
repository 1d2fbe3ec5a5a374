"""The "My community" panel: the facts of one community, shares as percentages, plausibility warnings.

These are the structural facts a community office keeps in its ledger (台账);
they take effect when the model is rebuilt (Reset). ``warnings`` flags
combinations that validation accepts but that are implausible for a Chinese
urban community (for example 8,000 residents in 7,191 households); the bounds
are assumptions, stated in the messages (``i18n.UI_LAB``).
"""

from __future__ import annotations

from typing import Any

# the panel's fields, in ledger order
FIELDS = (
    "estates",
    "households",
    "residents",
    "households_per_building",
    "share_children",
    "share_elderly",
    "share_renters",
    "share_migrants",
    "share_party",
    "share_capable",
    "volunteer_teams",
    "professional_orgs",
    "households_per_grid_worker",
    "property_fee",
    "government_grant",
    "initial_fund",
)

# plausibility bounds (assumption): urban household size, working-age floor, Party share, capable share
PER_HOUSEHOLD = (2.0, 3.5)  # China 2020 census: mean household size 2.62
MAX_DEPENDENT_SHARE = 0.67
MAX_PARTY_SHARE = 0.2
MAX_CAPABLE_SHARE = 0.02


def is_share(name: str) -> bool:
    """Shares are shown and typed as percentages."""
    return name.startswith("share_")


def warnings(v: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Plausibility warnings of community facts ``v``: (message key of ``i18n.UI_LAB``, its arguments)."""
    out: list[tuple[str, dict[str, Any]]] = []
    per = float(v["residents"]) / max(float(v["households"]), 1.0)
    if not PER_HOUSEHOLD[0] <= per <= PER_HOUSEHOLD[1]:
        out.append(("warn_per_household", {"x": per}))
    dep = float(v["share_children"]) + float(v["share_elderly"])
    if dep > MAX_DEPENDENT_SHARE:
        out.append(("warn_age", {"x": dep}))
    buildings = -(-int(v["households"]) // max(int(v["households_per_building"]), 1))
    if buildings < int(v["estates"]):
        out.append(("warn_buildings", {"n": buildings, "e": int(v["estates"])}))
    if float(v["share_party"]) > MAX_PARTY_SHARE:
        out.append(("warn_party", {"x": float(v["share_party"])}))
    if float(v["share_capable"]) > MAX_CAPABLE_SHARE:
        out.append(("warn_capable", {"x": float(v["share_capable"])}))
    return out
