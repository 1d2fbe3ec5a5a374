"""Make docs/validation/case7_service.png and case7_service.json: case 7 at reduced size on a few seeds.

    PYTHONPATH=. python docs/validation/make_service_trust.py --seeds 6 --jobs 2

Same as ``cogov validate --case 7 --seeds N --out docs/validation`` (7,000 residents, three
years); this script also keeps the measured checks next to the figure.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from sim.validation import CASES, Settings


def main() -> None:
    """Run case 7 and write its figure and checks next to this script."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=6)
    ap.add_argument("--jobs", type=int, default=1)
    a = ap.parse_args()
    out = Path(__file__).parent
    res = CASES["7"](Settings(seeds=a.seeds, out=out, jobs=a.jobs))
    (out / "case7_service.json").write_text(json.dumps(asdict(res), indent=1, default=float) + "\n")
    for c in res.checks:
        print(f"{c.name}: {c.measured} ({'pass' if c.passed else 'FAIL'})")


if __name__ == "__main__":
    main()
