"""Speed-ups that must not change a bit: the arrivals log and the run store's fast paths.

Each replaces numpy or pandas code by a faster route to the same numbers; each test
compares the two routes exactly (``==`` on the bits, never a tolerance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from experiments import store
from sim.model import CommunityModel
from sim.outcomes import OUTCOME_KIND


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
