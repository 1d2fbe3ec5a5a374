"""Build the community: estates > buildings > households > residents, and grids.

Indices are global across the communities of a district: resident, household,
building, estate and grid ids are rows of flat arrays, and each lower level
stores the id of the level above.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.agents.resident import ACTORS, CHILD, ELDERLY, NEVER, WORKING, Residents


@dataclass
class Structure:
    """Who belongs where; sizes of every level."""

    n_communities: int
    building_estate: np.ndarray
    building_community: np.ndarray
    estate_community: np.ndarray
    household_building: np.ndarray
    grid_community: np.ndarray
    grid_households: np.ndarray  # households per grid

    @property
    def n_buildings(self) -> int:
        """Buildings in all communities."""
        return int(self.building_estate.shape[0])

    @property
    def n_estates(self) -> int:
        """Estates in all communities."""
        return int(self.estate_community.shape[0])

    @property
    def n_grids(self) -> int:
        """Grids (one grid worker each) in all communities."""
        return int(self.grid_community.shape[0])

    @property
    def n_households(self) -> int:
        """Households in all communities."""
        return int(self.household_building.shape[0])


def _beta_mean(rng: np.random.Generator, mean: np.ndarray | float, n: int, conc: float = 6.0):
    mean = np.clip(mean, 0.02, 0.98)
    return rng.beta(mean * conc, (1 - mean) * conc, n).astype(np.float32)


def build_structure(p: dict) -> Structure:
    """Lay out estates, buildings, households and grids of every community."""
    H, E, C = p["households"], p["estates"], p["n_communities"]
    B = math.ceil(H / p["households_per_building"])
    hh_building = np.minimum(np.arange(H) // p["households_per_building"], B - 1)
    b_estate = (np.arange(B) * E) // B  # contiguous blocks of buildings per estate
    # grids group consecutive buildings so that each holds about households_per_grid_worker
    b_first_hh = np.arange(B) * p["households_per_building"]
    G = max(1, round(H / p["households_per_grid_worker"]))
    b_grid = np.minimum((b_first_hh * G) // H, G - 1)
    g_hh = np.bincount(b_grid[hh_building], minlength=G)
    return Structure(
        n_communities=C,
        building_estate=np.concatenate([b_estate + c * E for c in range(C)]),
        building_community=np.repeat(np.arange(C), B),
        estate_community=np.repeat(np.arange(C), E),
        household_building=np.concatenate([hh_building + c * B for c in range(C)]),
        grid_community=np.repeat(np.arange(C), G),
        grid_households=np.tile(g_hh, C),
    ), b_grid


def draw_traits(
    p: dict, rng: np.random.Generator, age: np.ndarray, migrant: np.ndarray, owner: np.ndarray
) -> dict[str, np.ndarray]:
    """Draw the personal traits of residents of given age, origin and tenure.

    Used for the first residents and for newcomers alike, so turnover does not
    change who lives here except through who moves.
    """
    n = len(age)
    elderly, working = age == ELDERLY, age == WORKING
    ft_mean = np.select([elderly, working], [0.7, 0.3], 0.45) * np.where(working & (migrant | ~owner), 0.85, 1.0)
    ps_mean = p["mean_public_spirit"] * np.where(elderly, 1.2, np.where(working, 0.95, 0.8))
    return {
        "party": (age != CHILD) & (rng.random(n) < p["share_party"]),
        "digital": rng.random(n) < np.where(elderly, p["digital_access_elderly"], p["digital_access_others"]),
        "free_time": _beta_mean(rng, ft_mean, n),
        "public_spirit": _beta_mean(rng, ps_mean, n, conc=5.0),
        "reward_sensitivity": _beta_mean(rng, 0.5, n, conc=4.0),
        "status_seeking": _beta_mean(rng, 0.4, n, conc=4.0),
        "skill": _beta_mean(rng, 0.3, n, conc=5.0),
    }


def build_residents(p: dict, rng: np.random.Generator) -> tuple[Structure, Residents]:
    """Draw the heterogeneous residents of every community."""
    struct, b_grid_local = build_structure(p)
    H, R, C = p["households"], p["residents"], p["n_communities"]
    B = struct.n_buildings // C
    G = struct.n_grids // C
    # household sizes: one resident each, the rest spread at random
    extra = rng.multinomial(R - H, np.full(H, 1.0 / H), size=C).ravel()
    sizes = 1 + extra
    n = int(sizes.sum())
    household = np.repeat(np.arange(C * H), sizes).astype(np.int32)
    first = np.zeros(n, bool)
    first[np.concatenate([[0], np.cumsum(sizes)[:-1]])] = True
    building = struct.household_building[household].astype(np.int32)
    community = struct.building_community[building].astype(np.int16)
    grid = (b_grid_local[building % B] + community.astype(np.int32) * G).astype(np.int32)

    # household-level tenure and origin; migrants rent more often
    hm = rng.random(C * H) < p["share_migrants"]
    m = p["share_migrants"]
    rent_m = min(1.0, 2.0 * p["share_renters"])
    rent_l = np.clip((p["share_renters"] - m * rent_m) / max(1e-9, 1 - m), 0, 1)
    renter = rng.random(C * H) < np.where(hm, rent_m, rent_l)
    migrant, owner = hm[household], ~renter[household]

    # ages: the first member of a household is an adult
    pc, pe = p["share_children"], p["share_elderly"]
    u = rng.random(n)
    k = (n - first.sum()) / n  # share of non-first members
    pc_rest = min(1.0, pc / max(k, 1e-9))
    age = np.where(u < pc_rest, CHILD, np.where(u < pc_rest + (1 - pc_rest) * pe / max(1e-9, 1 - pc), ELDERLY, WORKING))
    age[first] = np.where(rng.random(int(first.sum())) < pe / max(1e-9, 1 - pc), ELDERLY, WORKING)
    age = age.astype(np.int8)

    traits = draw_traits(p, rng, age, migrant, owner)
    skill = traits["skill"]
    adult = age != CHILD
    n_capable = int(round(p["share_capable"] * n))
    capable = np.zeros(n, bool)
    if n_capable:
        capable[np.argsort(-(skill * adult))[:n_capable]] = True
    base = p["initial_trust"] - 0.08 * migrant - 0.05 * ~owner
    trust = np.clip(base[:, None] + rng.normal(0, 0.12, (n, len(ACTORS))), 0, 1).astype(np.float32, order="F")
    belonging = _beta_mean(rng, 0.55 - 0.18 * migrant - 0.08 * ~owner, n)
    res = Residents(
        community=community,
        estate=struct.building_estate[building].astype(np.int16),
        building=building,
        household=household,
        grid=grid,
        age=age,
        owner=owner,
        migrant=migrant,
        capable=capable,
        intrinsic=traits["public_spirit"].copy(),
        trust=trust,
        **traits,
        belonging=belonging,
        satisfaction=np.full(n, 0.6, np.float32),
        points=np.zeros(n),
        bank_hours=np.zeros(n, np.float32),
        activities=np.zeros(n, np.int32),
        volunteer=np.zeros(n, bool),
        last_active=np.full(n, NEVER, np.int32),
        last_reported=np.full(n, NEVER, np.int32),
        last_breach=np.full(n, NEVER, np.int32),
        last_dispute=np.full(n, NEVER, np.int32),
        last_visited=np.full(n, NEVER, np.int32),
        last_redeemed=np.full(n, NEVER, np.int32),
        arrived=np.zeros(n, np.int32),
    )
    return struct, res


class Index:
    """Contiguous resident ranges of each building and household.

    Residents are stored grouped by building and, inside it, by household;
    turnover replaces residents in place, so the ranges never change.
    """

    def __init__(self, res: Residents, n_buildings: int, n_households: int):
        self.b_start = np.searchsorted(res.building, np.arange(n_buildings))
        self.b_count = np.bincount(res.building, minlength=n_buildings)
        self.h_start = np.searchsorted(res.household, np.arange(n_households))
        self.h_count = np.bincount(res.household, minlength=n_households)

    def members(self, households: np.ndarray) -> np.ndarray:
        """Ids of all residents of the given households."""
        counts = self.h_count[households]
        before = np.cumsum(counts)
        total = int(before[-1]) if len(before) else 0
        before -= counts  # residents listed before each household's block
        return np.repeat(self.h_start[households] - before, counts) + np.arange(total)
