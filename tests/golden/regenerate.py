"""Regenerate the golden outcome file: the final outcome row of every preset, seeds 1-3, 180 days.

The golden file guards against unintended changes to the numbers: tests/test_golden.py
re-runs every preset and compares its final row with this file bit for bit. When a change
is *meant* to move numbers, run this script and say why in the commit message.

    PYTHONPATH=. python tests/golden/regenerate.py            # all presets (slow: 30 runs)
    PYTHONPATH=. python tests/golden/regenerate.py --check    # compare instead of writing
    PYTHONPATH=. python tests/golden/regenerate.py --merge NAME  # add or replace one preset's rows
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

GOLDEN = Path(__file__).with_name("final_rows.json")
SEEDS = (1, 2, 3)
DAYS = 180


def final_row(scenario: str, seed: int, days: int = DAYS, **kw) -> dict[str, float]:
    """The final outcome row of one run (reference population), as plain floats."""
    from sim import CommunityModel
    from sim.outcomes import OUTCOMES

    m = CommunityModel(scenario, seed=seed, **kw).run(days)
    row = m.results().iloc[-1]
    return {k: float(row[k]) for k in OUTCOMES}


def compute(presets: list[str] | None = None) -> dict[str, dict[str, float]]:
    from sim.scenario import preset_names

    out = {}
    for name in presets or preset_names():
        for seed in SEEDS:
            out[f"{name}/{seed}"] = final_row(name, seed)
            print(f"{name}/{seed}", file=sys.stderr, flush=True)
    return out


def differences(expected: dict, got: dict, tol: float = 0.0) -> list[str]:
    """Human-readable differences between two golden tables (empty when equal within ``tol``)."""
    bad = []
    for key, row in expected.items():
        other = got.get(key)
        if other is None:
            bad.append(f"{key}: missing")
            continue
        for k, v in row.items():
            w = other.get(k)
            if w is None:
                bad.append(f"{key}: {k} missing")
            elif not (v == w or (math.isnan(v) and math.isnan(w)) or abs(v - w) <= tol):
                bad.append(f"{key}: {k} expected {v!r} got {w!r}")
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the golden file instead of writing it")
    ap.add_argument("--merge", action="store_true", help="replace only the named presets' rows, keep the rest")
    ap.add_argument("presets", nargs="*", help="presets to run (default: all)")
    a = ap.parse_args()
    got = compute(a.presets or None)
    if a.check:
        expected = json.loads(GOLDEN.read_text())
        expected = {k: v for k, v in expected.items() if k in got}
        bad = differences(expected, got)
        print("\n".join(bad) or f"golden: {len(got)} runs identical")
        return 1 if bad else 0
    if a.merge:
        got = json.loads(GOLDEN.read_text()) | got
    GOLDEN.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN} ({len(got)} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
