"""Comparison reports never print nan/inf, speak one language, and refuse a scenario named twice."""

from __future__ import annotations

import re

import pytest

import sim
from experiments import compare

TINY_POP = {
    "residents": 300,
    "households": 100,
    "households_per_building": 10,
    "households_per_grid_worker": 40,
    "estates": 2,
}


def _refs(out) -> list[str]:
    refs = ["government-led", "governance-partners"]
    if not set(refs) <= set(sim.preset_names()):  # presets not installed: two scenario files
        (out / "base.toml").write_text('[scenario]\ndescription = "defaults"\n')
        (out / "mediation.toml").write_text('[scenario]\ndescription = "mediation on"\n[disputes]\nmediation = true\n')
        refs = [str(out / "base.toml"), str(out / "mediation.toml")]
    return refs


def _text(html: str) -> str:
    """The report without its embedded figures (base64 can contain any letters)."""
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)


def _no_nan(html: str) -> None:
    bad = re.findall(r".{40}\b(?:nan|inf)\b.{20}", _text(html), flags=re.IGNORECASE)
    assert not bad, bad


@pytest.fixture(scope="module")
def short_comparison(tmp_path_factory):
    """Two seeds (too few to measure the CRN gain), 10 days (too short to judge settling)."""
    out = tmp_path_factory.mktemp("short")
    comp = compare.run_comparison(_refs(out), seeds=2, ticks=10, overrides=TINY_POP, workers=0, out=out, quiet=True)
    return comp, out


@pytest.mark.parametrize(("lang", "says"), [("en", "needs 3 or more seeds"), ("zh", "需要 3 个或更多随机种子")])
def test_report_with_two_seeds_says_crn_gain_needs_three_and_prints_no_nan(short_comparison, lang, says):
    from experiments.report import write_report

    comp, out = short_comparison
    html = write_report(comp, out, lang=lang).read_text(encoding="utf-8")
    setup = next(par for par in re.findall(r"<p>(.*?)</p>", html, flags=re.S) if "seed" in par or "种子" in par)
    assert says in setup
    _no_nan(setup)
