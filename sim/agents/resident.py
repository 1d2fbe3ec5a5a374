"""Residents: per-resident state in NumPy arrays, with an inspectable view.

A resident's id is its row in every array. Per-tick work runs as vector
operations over these arrays; ``ResidentView`` shows one row as an object
(attributes, role, recent actions) for teaching and debugging without
slowing the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

AGE_GROUPS = ("child", "working", "elderly")
CHILD, WORKING, ELDERLY = 0, 1, 2
ACTORS = ("party_committee", "residents_committee", "property_firm", "government", "social_orgs", "grid_workers")
T_PARTY, T_RC, T_FIRM, T_GOV, T_ORGS, T_GRID = range(len(ACTORS))
NEVER = -(10**6)  # tick of an action that never happened


@dataclass
class Residents:
    """Arrays of resident state; all of length ``n`` (trust is ``n × len(ACTORS)``)."""

    community: np.ndarray
    estate: np.ndarray
    building: np.ndarray
    household: np.ndarray
    grid: np.ndarray
    age: np.ndarray  # int8 AGE_GROUPS index
    owner: np.ndarray  # bool, household tenure
    migrant: np.ndarray  # bool
    party: np.ndarray  # bool
    capable: np.ndarray  # bool, 社区能人
    digital: np.ndarray  # bool, usable digital access
    free_time: np.ndarray  # float32 0..1
    public_spirit: np.ndarray  # float32 0..1, intrinsic motivation as born
    intrinsic: np.ndarray  # float32, public spirit after crowding-out
    reward_sensitivity: np.ndarray
    status_seeking: np.ndarray
    skill: np.ndarray
    trust: np.ndarray  # float32 n × len(ACTORS)
    belonging: np.ndarray
    satisfaction: np.ndarray
    points: np.ndarray  # float64 points held
    bank_hours: np.ndarray  # float32 time-bank hours held
    activities: np.ndarray  # int32 count of activities joined
    volunteer: np.ndarray  # bool registered volunteer
    last_active: np.ndarray  # int32 tick of the last activity
    last_reported: np.ndarray  # int32 tick a matter of theirs last surfaced
    last_breach: np.ndarray
    last_dispute: np.ndarray
    last_visited: np.ndarray  # Party member's home visit
    last_redeemed: np.ndarray
    arrived: np.ndarray  # tick of arrival (0 for initial residents)

    @property
    def n(self) -> int:
        """Number of residents."""
        return int(self.age.shape[0])

    @property
    def adult(self) -> np.ndarray:
        """Mask of residents aged 18 or more."""
        return self.age != CHILD

    def group_code(self, ids: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Cell index age×tenure×origin×party (3·2·2·2 = 24 cells) for bincount breakdowns."""
        return self.age[ids].astype(np.intp) * 8 + self.owner[ids] * 4 + self.migrant[ids] * 2 + self.party[ids]


class ResidentView:
    """One resident, read from the arrays: attributes, role and recent actions."""

    def __init__(self, model, rid: int):
        if not 0 <= rid < model.residents.n:
            raise IndexError(f"resident id {rid} out of range 0..{model.residents.n - 1}")
        self.model = model
        self.unique_id = int(rid)

    def __getattr__(self, name: str):
        arrays = self.__dict__["model"].residents
        arr = getattr(arrays, name, None)
        if isinstance(arr, np.ndarray):
            val = arr[self.__dict__["unique_id"]]
            return val.tolist()
        raise AttributeError(name)

    @property
    def age_group(self) -> str:
        """Age group as a word."""
        return AGE_GROUPS[self.age]

    @property
    def role(self) -> str:
        """The resident's roles in community governance."""
        roles = []
        if self.party:
            roles.append("Party member")
        if self.capable:
            roles.append("capable resident")
        if self.volunteer:
            roles.append("registered volunteer")
        return ", ".join(roles) or "resident"

    def recent_actions(self, window: int = 30) -> list[str]:
        """What the resident did in the last ``window`` days, newest first."""
        now = self.model.tick
        events = [
            (self.last_active, "joined a community activity"),
            (self.last_reported, "had a matter surfaced"),
            (self.last_breach, "broke a norm"),
            (self.last_dispute, "was in a dispute"),
            (self.last_visited, "was visited by a Party member"),
            (self.last_redeemed, "redeemed points"),
        ]
        recent = sorted(((t, what) for t, what in events if now - t < window), reverse=True)
        return [f"day {t}: {what}" for t, what in recent]

    def as_dict(self) -> dict:
        """All attributes of this resident as plain Python values."""
        out = {"id": self.unique_id, "age_group": self.age_group, "role": self.role}
        for name, arr in vars(self.model.residents).items():
            if name == "trust":
                out.update({f"trust_{a}": round(float(v), 3) for a, v in zip(ACTORS, arr[self.unique_id], strict=True)})
            elif name != "age":
                out[name] = arr[self.unique_id].tolist()
        out["recent_actions"] = self.recent_actions()
        return out

    def __repr__(self) -> str:
        return f"<Resident {self.unique_id}: {self.age_group}, {self.role}>"
