"""docs/seed-coverage.md cannot drift silently from the code.

Every row of the practice tables must have an ID, a status that is one of
``modelled``, ``partly: …`` or ``not modelled: …``, code locations that exist
(``sim/…`` paths, and ``::Name`` definitions inside them), parameter names that
are in ``sim.params.PARAMS`` and outcome names that are in
``sim.outcomes.OUTCOMES``. The summary counts must match the rows. Where the
seed files are present, every quote in a row's passage must occur word for
word in the seed the row belongs to.
"""

from __future__ import annotations

import ast
import os
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from sim.outcomes import OUTCOMES
from sim.params import PARAMS

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "seed-coverage.md"
SEEDS_DIR = Path(os.environ.get("COGOV_SEEDS_DIR", "/work/shared/seeds"))

ROW_ID = re.compile(r"^\d{3}-\d{2}$")
STATUS = re.compile(r"^`?(modelled|partly: .{5,}|not modelled: .{5,})`?$")
TICKED = re.compile(r"`([^`]+)`")
QUOTE = re.compile(r"「([^」]+)」")
COLUMNS = ("id", "practice", "passage", "code", "params", "status")
KINDS = ("modelled", "partly", "not modelled")
DECLARED = frozenset(p.name for p in PARAMS)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def parse_rows(text: str) -> list[dict[str, str]]:
    """Rows of the practice tables: lines whose first cell is an ID like 000-01."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("|"):
            continue
        cells = _cells(line)
        if ROW_ID.match(cells[0]):
            assert len(cells) == len(COLUMNS), f"row {cells[0]} has {len(cells)} cells, expected {len(COLUMNS)}"
            rows.append(dict(zip(COLUMNS, cells, strict=True)))
    return rows


def parse_summary(text: str) -> dict[str, tuple[int, int, int, int]]:
    """The summary table: seed (or 'all') -> counts of modelled, partly, not modelled, total."""
    out = {}
    in_table = False
    for line in text.splitlines():
        if line.startswith("| Seed | modelled | partly | not modelled | total |"):
            in_table = True
            continue
        if in_table:
            if not line.startswith("|"):
                break
            cells = _cells(line)
            if set(cells[0]) <= {"-"}:
                continue
            out[cells[0]] = tuple(int(c) for c in cells[1:5])
    return out


def status_kind(status: str) -> str:
    """'modelled', 'partly' or 'not modelled' for a status cell (raises if it is none of them)."""
    m = STATUS.match(status)
    if not m:
        raise ValueError(f"status {status!r} is not one of: modelled | partly: … | not modelled: …")
    word = m.group(1)
    return "modelled" if word == "modelled" else ("partly" if word.startswith("partly") else "not modelled")


@cache
def defined_names(path: Path) -> frozenset[str]:
    """Top-level functions, classes and assignments of a module, and ``Class.member`` names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()

    def targets(node) -> list[str]:
        if isinstance(node, ast.Assign):
            return [t.id for t in node.targets if isinstance(t, ast.Name)]
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            return [node.target.id]
        return []

    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            for sub in node.body:
                if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(f"{node.name}.{sub.name}")
                for t in targets(sub):
                    names.add(f"{node.name}.{t}")
        else:
            names.update(targets(node))
    return frozenset(names)


def location_problem(token: str) -> str | None:
    """Why a backticked code location does not resolve, or None if it does."""
    if token.startswith("outcome:"):
        name = token.removeprefix("outcome:")
        return None if name in OUTCOMES else f"{name!r} is not in sim.outcomes.OUTCOMES"
    path, _, name = token.partition("::")
    f = ROOT / path
    if not f.is_file():
        return f"{path} does not exist"
    if name:
        if f.suffix != ".py":
            return f"{path} is not a Python module, so it has no {name}"
        if name not in defined_names(f):
            return f"{path} defines no {name}"
    return None


def is_location(token: str) -> bool:
    return token.startswith(("sim/", "docs/", "outcome:"))


@pytest.fixture(scope="module")
def text() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rows(text) -> list[dict[str, str]]:
    return parse_rows(text)


def test_doc_has_rows_for_every_seed(rows):
    seeds = Counter(r["id"][:3] for r in rows)
    assert set(seeds) == {"000", "001", "002", "003", "004"}
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate row IDs"


def test_every_row_has_one_of_the_three_statuses(rows):
    bad = []
    for r in rows:
        try:
            status_kind(r["status"])
        except ValueError as e:
            bad.append(f"{r['id']}: {e}")
    assert not bad, "\n".join(bad)


def test_summary_counts_match_rows(text, rows):
    summary = parse_summary(text)
    counts: dict[str, Counter] = {}
    for r in rows:
        kind = status_kind(r["status"])
        counts.setdefault(r["id"][:3], Counter())[kind] += 1
        counts.setdefault("all", Counter())[kind] += 1
    expected = {k: (*(c[s] for s in KINDS), sum(c.values())) for k, c in counts.items()}
    assert summary == expected


def test_code_locations_exist(text, rows):
    bad = []
    for r in rows:
        for token in TICKED.findall(r["code"]):
            if not is_location(token):
                if token not in DECLARED:
                    bad.append(f"{r['id']}: `{token}` is no sim/ or docs/ path, outcome:name or parameter")
            elif problem := location_problem(token):
                bad.append(f"{r['id']}: {problem}")
    # locations named anywhere else in the document (presets table, notes) must exist too
    for token in TICKED.findall(text):
        if is_location(token) and (problem := location_problem(token)):
            bad.append(f"document: {problem}")
    assert not bad, "\n".join(sorted(set(bad)))


def test_parameters_are_declared(rows):
    bad = []
    for r in rows:
        names = TICKED.findall(r["params"])
        if not names and r["params"] not in ("—", "-", ""):
            bad.append(f"{r['id']}: parameters cell {r['params']!r} names no backticked parameter")
        bad += [f"{r['id']}: `{n}` is not in sim.params.PARAMS" for n in names if n not in DECLARED]
    assert not bad, "\n".join(bad)


def test_checker_rejects_what_does_not_exist():
    """The checks above can fail: unknown paths, names, outcomes and statuses are caught."""
    assert location_problem("sim/mechanisms/norms.py::inconvenience") is None
    assert location_problem("sim/mechanisms/delivery.py::Delivery.pace") is None
    assert location_problem("sim/mechanisms/nowhere.py") is not None
    assert location_problem("sim/mechanisms/norms.py::no_such_function") is not None
    assert location_problem("outcome:no_such_outcome") is not None
    with pytest.raises(ValueError):
        status_kind("done")
    with pytest.raises(ValueError):
        status_kind("partly")  # a partial status must say what is missing
    assert status_kind("not modelled: no member units") == "not modelled"


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="seed files not available (set COGOV_SEEDS_DIR)")
def test_quotes_occur_in_their_seed(rows):
    files = {p.name[:3]: p.read_text(encoding="utf-8") for p in SEEDS_DIR.glob("*.txt")}
    bad = []
    for r in rows:
        quotes = QUOTE.findall(r["passage"])
        if not quotes:
            bad.append(f"{r['id']}: no 「quote」 in the passage")
        seed = files.get(r["id"][:3], "")
        bad += [f"{r['id']}: 「{q}」 not in seed {r['id'][:3]}" for q in quotes if q not in seed]
    assert not bad, "\n".join(bad)
