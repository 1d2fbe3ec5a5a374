"""Run the validation cases, print the table, write figures and a summary."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from sim.validation import (
    case1_x,
    case2_failures,
    case3_public_goods,
    case4_crowding,
    case5_thresholds,
    case6_habit,
    case7_service,
    case8_licheng,
    case_points,
    case_rules,
    case_smooth,
    case_timeline,
)
from sim.validation.common import CaseResult, Settings

CASES: dict[str, Callable[[Settings], CaseResult]] = {
    "1": case1_x.run,
    "2": case2_failures.run,
    "3": case3_public_goods.run,
    "4": case4_crowding.run,
    "5": case5_thresholds.run,
    "6": case6_habit.run,
    "7": case7_service.run,
    "8": case8_licheng.run,
    "rules": case_rules.run,
    "points": case_points.run,
    "timeline": case_timeline.run,
    "smooth": case_smooth.run,
}


def run_cases(
    settings: Settings, cases: Sequence[str] | None = None, log: Callable[[str], None] | None = print
) -> list[CaseResult]:
    """Run the chosen cases (all by default) and return their results."""
    chosen = list(CASES) if not cases else list(cases)
    unknown = [c for c in chosen if c not in CASES]
    if unknown:
        raise ValueError(f"unknown case {unknown[0]!r}; allowed: {', '.join(CASES)}")
    out = []
    for c in chosen:
        t0 = time.perf_counter()
        res = CASES[c](settings)
        res.data["wall_time_s"] = round(time.perf_counter() - t0, 1)
        out.append(res)
        if log:
            log(f"case {c} ({res.title}): {'PASS' if res.passed else 'FAIL'} in {res.data['wall_time_s']:.0f} s")
    return out


def table(results: Sequence[CaseResult]) -> str:
    """A plain-text table of every check."""
    rows = [("case", "check", "expected", "measured: mean [95% CI]", "")]
    for r in results:
        for c in r.checks:
            rows.append((r.case, c.name, c.expected, c.measured, "pass" if c.passed else "FAIL"))
    widths = [min(max(len(row[i]) for row in rows), cap) for i, cap in enumerate((4, 60, 48, 34, 4))]
    lines = []
    for k, row in enumerate(rows):
        cells = [(s if len(s) <= w else s[: w - 1] + "…").ljust(w) for s, w in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    for r in results:
        lines.append(
            f"case {r.case}: {'PASS' if r.passed else 'FAIL'}  {r.title}"
            + (f"  (figure: {r.figure})" if r.figure else "")
        )
    return "\n".join(lines)


def markdown(results: Sequence[CaseResult], settings: Settings) -> str:
    """The results as Markdown tables, one per case (pasted into docs/validation.md)."""
    lines = [
        f"Seeds {settings.first_seed}–{settings.first_seed + settings.seeds - 1} ({settings.seeds} per "
        f"configuration){', quick mode' if settings.quick else ''}.",
        "",
    ]
    for r in results:
        lines += [
            f"**Case {r.case}: {r.title} — {'PASS' if r.passed else 'FAIL'}**",
            "",
            "| check | expected | measured: mean [95% CI] | |",
            "|---|---|---|---|",
        ]
        for c in r.checks:
            lines.append(f"| {c.name} | {c.expected} | {c.measured} | {'pass' if c.passed else '**FAIL**'} |")
        lines.append("")
        for n in r.notes:
            lines.append(f"- {n}")
        if r.notes:
            lines.append("")
    return "\n".join(lines)


def write_summary(results: Sequence[CaseResult], settings: Settings) -> list[Path]:
    """Write ``validation.json`` and ``validation-results.md`` into ``settings.out``."""
    if settings.out is None:
        return []
    settings.out.mkdir(parents=True, exist_ok=True)
    js = settings.out / "validation.json"
    payload = {
        "settings": {"seeds": settings.seeds, "quick": settings.quick, "first_seed": settings.first_seed},
        "passed": all(r.passed for r in results),
        "cases": [dict(asdict(r), passed=r.passed) for r in results],
    }
    js.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=float) + "\n", encoding="utf-8")
    md = settings.out / "validation-results.md"
    md.write_text(markdown(results, settings) + "\n", encoding="utf-8")
    return [js, md]


def main(
    out: str | None = None, seeds: int = 20, quick: bool = False, jobs: int = 1, cases: Sequence[str] | None = None
) -> int:
    """Run the suite, print the table; 0 if every case passes, 1 otherwise."""
    settings = Settings(seeds=seeds, quick=quick, out=Path(out) if out else None, jobs=jobs)
    results = run_cases(settings, cases)
    print()
    print(table(results))
    for path in write_summary(results, settings):
        print(f"written: {path}")
    return 0 if all(r.passed for r in results) else 1
