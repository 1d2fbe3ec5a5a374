"""Issue 12 item 9: per-run series are stored as one Parquet dataset (``series.parquet``).

Compare folders gather too; an interrupted sweep or compare gathers what it
finished, resumes without recomputing it, and ends identical to an
uninterrupted one; folders written the old way (one series file per run) still
read and are gathered by their next session.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from experiments import compare, runner, store, sweep
from experiments.design import load_sweep_file

TINY = dict(households=50, residents=120, households_per_building=10, households_per_grid_worker=30, estates=2)
TWO = ["government-led", "governance-partners"]


def series_parts(out: Path) -> list[Path]:
    return sorted((out / store.SERIES).glob("*.parquet"))


def gathered_runs(out: Path) -> list[str]:
    """Run ids of the gathered dataset, one per row group, in file order."""
    return sorted(store.packed_series_rows(out))


class Interrupt:
    """``runner.run_task`` that counts its calls and raises KeyboardInterrupt (Ctrl-C) on call ``at``."""

    def __init__(self, at: int | None = None):
        self.at, self.calls, self.real = at, 0, runner.run_task

    def __call__(self, task):
        self.calls += 1
        if self.at is not None and self.calls == self.at:
            raise KeyboardInterrupt
        return self.real(task)


def comparison(out: Path, **kw):
    return compare.run_comparison(TWO, seeds=2, ticks=4, overrides=dict(TINY), workers=0, out=out, quiet=True, **kw)


def sorted_series(out: Path) -> pd.DataFrame:
    return store.load_series(out).sort_values(["run_id", "tick"]).reset_index(drop=True)


def test_compare_folder_holds_one_gathered_series_file(tmp_path):
    out = tmp_path / "cmp"
    comp = comparison(out)
    assert (out / store.SERIES_DATASET).is_file()
    assert series_parts(out) == [], "no per-run series file is left after the comparison"
    ids = sorted({r for v in comp.run_ids.values() for r in v})
    assert gathered_runs(out) == ids
    pf = pq.ParquetFile(out / store.SERIES_DATASET)
    assert pf.metadata.num_row_groups == len(ids)  # one row group per run: reading one run reads one group
    assert all(n == 5 for n in store.packed_series_rows(out).values())  # days 0..4
    again = comparison(out)  # everything stored: nothing is recomputed, the same table comes back
    pd.testing.assert_frame_equal(comp.table, again.table)


def test_interrupted_compare_keeps_gathered_runs_and_resumes_identically(tmp_path, monkeypatch):
    ref = comparison(tmp_path / "ref")
    out = tmp_path / "cmp"
    stop = Interrupt(at=3)  # Ctrl-C while the third of four runs is computed
    monkeypatch.setattr(runner, "run_task", stop)
    with pytest.raises(KeyboardInterrupt):
        comparison(out)
    assert len(gathered_runs(out)) == 2 and series_parts(out) == [], "the two finished runs were gathered"
    resume = Interrupt()
    monkeypatch.setattr(runner, "run_task", resume)
    comp = comparison(out)
    assert resume.calls == 2, "only the two unfinished runs are computed"
    assert series_parts(out) == [] and len(gathered_runs(out)) == 4
    pd.testing.assert_frame_equal(ref.table, comp.table)
    pd.testing.assert_frame_equal(ref.series, comp.series)
    pd.testing.assert_frame_equal(sorted_series(tmp_path / "ref"), sorted_series(out))


def tiny_sweep(tmp_path: Path):
    path = tmp_path / "tiny.toml"
    path.write_text(
        '[sweep]\nname = "tiny"\nbase = "defaults"\ndesign = "grid"\nsamples = 2\nseeds = 2\nticks = 3\n'
        "[vary]\nw_social = [0.5, 4.0]\n"
        "[population]\nresidents = 120\nhouseholds = 50\nhouseholds_per_building = 10\nestates = 2\n"
        "[channels]\nhouseholds_per_grid_worker = 30\n",
        encoding="utf-8",
    )
    return load_sweep_file(path)


def test_interrupted_sweep_gathers_what_it_finished_and_resumes_identically(tmp_path, monkeypatch):
    spec = tiny_sweep(tmp_path)
    sweep.run_sweep(spec, tmp_path / "ref", workers=0, quiet=True)
    out = tmp_path / "sw"
    monkeypatch.setattr(runner, "run_task", Interrupt(at=3))
    res = sweep.run_sweep(spec, out, workers=0, quiet=True)
    assert res.interrupted and res.finished == 2
    assert len(gathered_runs(out)) == 2 and series_parts(out) == [], "gathered before the sweep finished"
    assert not (out / store.SUMMARY).exists()
    resume = Interrupt()
    monkeypatch.setattr(runner, "run_task", resume)
    assert sweep.run_sweep(spec, out, workers=0, quiet=True).finished == 2 and resume.calls == 2
    pd.testing.assert_frame_equal(store.load_sweep(tmp_path / "ref"), store.load_sweep(out))
    pd.testing.assert_frame_equal(sorted_series(tmp_path / "ref"), sorted_series(out))
    assert series_parts(out) == [] and (out / store.SUMMARY).exists()


def test_old_style_compare_folder_reads_and_is_gathered_by_its_next_session(tmp_path, monkeypatch):
    out = tmp_path / "cmp"
    with monkeypatch.context() as m:  # a folder written before compare gathered: one series file per run
        m.setattr(store, "compact_series", lambda directory: 0)
        old = comparison(out)
    assert len(series_parts(out)) == 4 and not (out / store.SERIES_DATASET).exists()
    assert len(store.load_series(out)) == 4 * 5  # read as it is
    count = Interrupt()
    monkeypatch.setattr(runner, "run_task", count)
    new = comparison(out)
    assert count.calls == 0, "the old runs are reused, not recomputed"
    assert series_parts(out) == [] and len(gathered_runs(out)) == 4
    pd.testing.assert_frame_equal(old.table, new.table)
    pd.testing.assert_frame_equal(old.series, new.series)


def test_a_series_part_without_its_run_part_is_not_gathered(tmp_path):
    out = tmp_path / "cmp"
    comparison(out)
    rid = gathered_runs(out)[0]
    whole = store.load_series(out, [rid])
    (out / store.RUNS / f"{rid}.parquet").unlink()  # as if killed between writing the series and the run part
    orphan = out / store.SERIES / f"{rid}.parquet"
    whole.to_parquet(orphan, index=False)
    assert store.compact_series(out) == 0 and orphan.exists()


def test_fresh_drops_the_gathered_series_of_the_runs_it_recomputes(tmp_path):
    out = tmp_path / "cmp"
    comp = comparison(out)
    ids = comp.run_ids[TWO[0]]
    assert store.drop_runs(out, ids) == 2
    assert gathered_runs(out) == sorted(comp.run_ids[TWO[1]])


def test_gathering_unifies_columns_and_types(tmp_path):
    out = tmp_path / "d"
    (out / store.RUNS).mkdir(parents=True)
    (out / store.SERIES).mkdir()
    for rid in ("a", "b"):
        (out / store.RUNS / f"{rid}.parquet").write_bytes(b"")  # only its presence marks the run finished
    pd.DataFrame({"run_id": ["a"] * 2, "tick": [0, 1], "x": [1, 2]}).to_parquet(out / "series" / "a.parquet")
    assert store.compact_series(out) == 1
    pd.DataFrame({"run_id": ["b"] * 2, "tick": [0, 1], "x": [0.5, 1.5], "y": [3, 4]}).to_parquet(
        out / "series" / "b.parquet"
    )
    assert store.compact_series(out) == 1  # a later run with a new column and a float column
    got = store.load_series(out)
    assert list(got["x"]) == [1.0, 2.0, 0.5, 1.5] and got["y"].isna().sum() == 2 and list(got["y"].dropna()) == [3, 4]


def test_robust_compare_folder_gathers_and_its_nominal_report_reads_the_dataset(tmp_path, monkeypatch):
    from experiments import robust_compare, worlds

    def run(out):
        return robust_compare(
            TWO,
            worlds=2,
            seeds=2,
            ticks=4,
            uncertain=[worlds.Uncertain("w_social", 1.0, 3.0)],
            overrides=dict(TINY),
            workers=0,
            out=out,
            quiet=True,
            verdict_outcomes=(),
        )

    ref = run(tmp_path / "ref")
    out = tmp_path / "rob"
    monkeypatch.setattr(runner, "run_task", Interrupt(at=4))
    with pytest.raises(KeyboardInterrupt):
        run(out)
    assert len(gathered_runs(out)) == 3 and series_parts(out) == []
    resume = Interrupt()
    monkeypatch.setattr(runner, "run_task", resume)
    res = run(out)
    assert resume.calls == len(gathered_runs(ref.out)) - 3
    assert series_parts(out) == [] and gathered_runs(out) == gathered_runs(ref.out)
    pd.testing.assert_frame_equal(ref.nominal.series, res.nominal.series)  # the nominal report's series
    pd.testing.assert_frame_equal(ref.summary, res.summary)
