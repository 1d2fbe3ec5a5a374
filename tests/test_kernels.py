"""Speed-ups that must not change a bit: compiled kernels, the arrivals log, the run store's fast paths.

Each replaces numpy or pandas code by a faster route to the same numbers; each test
compares the two routes exactly (``==`` on the bits, never a tolerance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from experiments import store
from sim.agents.resident import T_ORGS, T_PARTY, T_RC
from sim.kernels import cell_counts, cell_sums, drift
from sim.model import CommunityModel
from sim.outcomes import OUTCOME_KIND


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("order", ["C", "F"])
def test_drift_is_the_numpy_partial_adjustment_to_the_bit(dtype, order):
    rng = np.random.default_rng(4)
    x = np.asarray(rng.random((5000, 3)), dtype=dtype, order=order)
    target = rng.random(5000).astype(dtype)
    rate = np.float32(0.0137)
    expect = x[:, 1].copy()
    expect += rate * (target - expect)
    drift(x[:, 1], rate, target)  # a column: contiguous in F order, strided in C order
    assert np.array_equal(x[:, 1], expect)
    assert x.dtype == dtype


def test_cell_sums_and_counts_are_the_bincounts_to_the_bit():
    rng = np.random.default_rng(5)
    code = rng.integers(0, 24, 21_235)
    v = rng.random(21_235).astype(np.float32) * np.float32(0.9)
    mask = rng.random(21_235) < 0.3
    assert np.array_equal(cell_sums(code, v, 24), np.bincount(code, weights=v, minlength=24))
    assert np.array_equal(cell_counts(code, mask, 24), np.bincount(code[mask], minlength=24))
    # cells nobody is in stay zero; the result has every cell
    assert len(cell_sums(code[code < 5], v[code < 5], 24)) == 24


def test_arrivals_log_finds_exactly_the_residents_a_scan_finds():
    m = CommunityModel("government-led", seed=3, residents=1500, households=500, turnover=0.3)
    seen = 0
    for day in range(1, 60):
        m.step()
        for since in (day - 1, day - 7, 0, -1, day):
            expect = np.flatnonzero(m.residents.arrived > since)
            got = m.arrived_since(since)
            assert np.array_equal(got, expect), (day, since)
        seen = max(seen, len(m.arrived_since(0)))
    assert seen > 0, "nobody moved in: the test would not test the log"


def _pandas_values(series: pd.DataFrame, window: int = 30, start: int = 0) -> dict:
    """summary_values as it was written with pandas Series (the reference)."""
    s = series.sort_values("tick")
    tick = s["tick"].to_numpy()
    last_tick = int(tick[-1])
    first = start + 1 if last_tick > start else start
    days, recent = s[tick >= first], s[tick >= max(last_tick - window + 1, first)]
    last = s.iloc[-1]
    at_start = s[tick == start].iloc[0] if start else None
    out = {}
    for name, kind in OUTCOME_KIND.items():
        if name not in s.columns:
            continue
        if kind == "flow":
            out[name] = days[name].sum()
        elif kind == "stock":
            out[name] = recent[name].mean()
        elif at_start is not None and name not in store.RUNNING_MEANS:
            out[name] = last[name] - at_start[name]
        else:
            out[name] = last[name]
    return out


@pytest.fixture(scope="module")
def series():
    df = CommunityModel("share-bear-win", seed=2, residents=800, households=270).run(45).results()
    df.attrs = {}
    df.loc[df.index[-3], "satisfaction"] = np.nan  # a missing value: skipped by the mean, as pandas does
    return df


@pytest.mark.parametrize("kw", [{}, {"window": 5}, {"window": 1, "start": 2}, {"start": 10}])
def test_summary_values_equal_the_pandas_reductions_to_the_bit(series, kw):
    expect = pd.DataFrame([_pandas_values(series, **kw)])
    got = pd.DataFrame([store.summary_values(series, **kw)])
    pd.testing.assert_frame_equal(got, expect, check_exact=True)


def test_arrow_table_and_row_digest_equal_the_pandas_routes(series, tmp_path):
    s = series.copy()
    s.insert(0, "run_id", "r1")
    row = store.summary_row(s, "r1")
    odd = pd.DataFrame({"a": [1, 2], "b": ["x", None], "c": [True, False], "d": [0.5, np.nan]})
    for frame in (s, row, odd):
        slow = pa.Table.from_pandas(frame, preserve_index=False)
        assert store._arrow_table(frame).equals(slow, check_metadata=True)
    back = pa.Table.from_pandas(row, preserve_index=False).to_pandas()
    for frame in (back, back.assign(x=np.nan, y=-0.0, z=True, w="s", v=np.int32(3)), odd):
        expect = pd.util.hash_pandas_object(frame, index=False).to_numpy()
        assert np.array_equal(store._row_hashes(frame), expect)
    # and the stored run reads back as the model's table
    (tmp_path / store.SERIES).mkdir()
    (tmp_path / store.RUNS).mkdir()
    store.write_run(tmp_path, "r1", series)
    assert store.check_run(tmp_path, "r1", int(series["tick"].iloc[-1])) is None
    back = pd.read_parquet(tmp_path / store.SERIES / "r1.parquet").drop(columns="run_id")
    pd.testing.assert_frame_equal(back, series.reset_index(drop=True), check_exact=True)


def _numpy_participants(m, mech, r):
    """Today's participants as participation.step computed them in numpy (the reference), for draws ``r``."""
    from sim.mechanisms.participation import per_community, reward_value

    p, res = m.p, m.residents
    f32 = np.float32
    u = res.trust[:, T_PARTY] + res.trust[:, T_RC]
    u += res.trust[:, T_ORGS]
    u *= f32(p["w_trust"] / 3)
    u += f32(p["w_public_spirit"]) * res.intrinsic
    u += f32(p["w_belonging"]) * res.belonging
    u += f32(p["w_dissatisfaction"]) * res.satisfaction
    if p["habit"] and p["w_identity"]:
        u += f32(p["w_identity"]) * res.volunteer
    u *= m.adult_weight
    u += mech._fixed_u
    if p["habit"]:
        u += f32(p["w_habit"]) * res.habit_stock
    value = reward_value(p, m.mech["incentives"].redeemable)
    if value.any():
        pull = (p["w_reward"] * value / (value + p["reward_half_value"])).astype(f32)
        u += res.reward_sensitivity * per_community(m, pull)
    if p["ranking"] and p["points"]:
        seen = m.mech["incentives"].roll_seen()
        u += f32(p["w_status"]) * (res.status_seeking if seen is None else res.status_seeking * seen)
    u += m.spread((p["w_social"] * m.building_activity).astype(f32), "building")
    if m.mech["outreach"].active(p):
        u += m.mech["outreach"].participation_shift()
    if p["home_visits_per_week"] > 0:
        u += f32(p["w_mobilised"]) * (res.last_visited > m.tick - p["mobilised_days"])
    np.negative(u, out=u)
    np.exp(u, out=u)
    u += 1
    prob = np.divide(per_community(m, m.occasions.astype(f32)), u, out=u)
    return np.flatnonzero(r < prob)


@pytest.mark.parametrize(
    "overrides",
    [
        {},  # governance-partners: points, ranking (building roll seen by all), home visits, habit
        {"honour_roll_place": "online", "honour_roll_visibility": 0.6, "micro_talks_per_month": 4.0},
        {"honour_roll_visibility": 0.5, "notice_boards": True, "n_communities": 3, "habit": False},
        {"points": False, "ranking": False, "home_visits_per_week": 0.0, "time_bank": True},
    ],
)
def test_participation_kernels_draw_the_numpy_participants(overrides):
    m = CommunityModel("governance-partners", seed=6, residents=2400, households=800, **overrides)
    mech = m.mech["participation"]
    drawn = 0
    for _ in range(25):
        m.step()
        state = mech.rng.bit_generator.state
        r = mech.rng.random(m.residents.n, dtype=np.float32)
        mech.rng.bit_generator.state = state  # the step draws the same numbers
        expect = _numpy_participants(m, mech, r)
        before = m.residents.activities.copy()
        mech.step()
        got = np.flatnonzero(m.residents.activities != before)
        assert np.array_equal(got, expect)
        drawn += len(got)
    assert drawn > 0
