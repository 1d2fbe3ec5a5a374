"""Shared helpers: a small community, always in checked mode, and multi-seed statistics."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pytest

from sim import CommunityModel

# A community of 2,600 residents: a year of it runs in well under a second.
SMALL = dict(households=900, residents=2600, households_per_building=20, households_per_grid_worker=150)
# A tiny community for fuzzing.
TINY = dict(
    households=50, residents=120, households_per_building=10, households_per_grid_worker=30, estates=2, n_communities=1
)
SEEDS = (11, 12, 13, 14, 15)

_CACHE: dict[tuple, CommunityModel] = {}


def make_small(scenario=None, seed: int = 1, **overrides) -> CommunityModel:
    """A small community in checked mode (invariants asserted after every tick)."""
    params = dict(SMALL)
    params.update(overrides)
    return CommunityModel(scenario, seed=seed, check=True, **params)


@pytest.fixture
def small() -> Callable[..., CommunityModel]:
    """Factory fixture: ``small(scenario=None, seed=1, **overrides)`` -> checked small model."""
    return make_small


def run_small(ticks: int, seed: int = 1, scenario=None, **overrides) -> CommunityModel:
    """A small checked model run ``ticks`` days (fresh, safe to modify)."""
    return make_small(scenario, seed=seed, **overrides).run(ticks)


def cached_run(ticks: int, seed: int = 1, **overrides) -> CommunityModel:
    """Like ``run_small`` but shared between tests: never modify the returned model."""
    key = (ticks, seed, repr(sorted(overrides.items())))
    if key not in _CACHE:
        _CACHE[key] = run_small(ticks, seed=seed, **overrides)
    return _CACHE[key]


def per_seed(
    metric: Callable[[CommunityModel], float], ticks: int, seeds: Sequence[int] = SEEDS, **overrides
) -> np.ndarray:
    """``metric(model)`` after ``ticks`` days, one value per seed."""
    return np.array([metric(cached_run(ticks, seed=s, **overrides)) for s in seeds], dtype=float)


def paired_effect(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean and standard error of the paired difference a - b (same seeds: common random numbers)."""
    d = np.asarray(a, float) - np.asarray(b, float)
    se = float(d.std(ddof=1) / math.sqrt(len(d))) if len(d) > 1 else 0.0
    return float(d.mean()), se


def assert_greater(a: np.ndarray, b: np.ndarray, what: str, k: float = 2.0) -> None:
    """Assert that a exceeds b: the mean paired difference is positive and more than k standard errors."""
    mean, se = paired_effect(a, b)
    msg = f"{what}: a={np.round(a, 4).tolist()} b={np.round(b, 4).tolist()} diff={mean:.4g} se={se:.3g}"
    assert mean > 0, msg
    assert mean > k * se, msg


def final(model: CommunityModel, column: str) -> float:
    """Last value of an outcome column."""
    return float(model.results()[column].iloc[-1])
