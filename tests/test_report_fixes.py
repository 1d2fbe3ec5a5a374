"""Comparison reports never print nan/inf, speak one language, and refuse a scenario named twice."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

import sim
from experiments import compare
from sim.dashboard.i18n import MEANING_ZH

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


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_describes_built_in_presets_in_the_report_language(short_comparison, lang, tmp_path):
    from experiments.report import write_report
    from sim.dashboard.i18n import PRESET_ZH

    comp, _ = short_comparison
    html = unescape(write_report(comp, tmp_path, lang=lang).read_text(encoding="utf-8"))
    for s in comp.scenarios:
        if s.name not in PRESET_ZH:  # presets not installed: the test's own files
            assert s.description in html
            continue
        chinese = PRESET_ZH[s.name][1]
        assert (chinese in html) == (lang == "zh")
        assert (s.description in html) == (lang == "en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_assumptions_table_explains_parameters_in_the_report_language(short_comparison, lang, tmp_path):
    from experiments.report import differing_parameters, write_report
    from sim.params import BY_NAME

    comp, _ = short_comparison
    html = unescape(write_report(comp, tmp_path, lang=lang).read_text(encoding="utf-8"))
    diff = differing_parameters(comp.scenarios)
    assert diff
    for n in diff:
        p = BY_NAME[n]
        text = p.meaning if lang == "en" else (MEANING_ZH.get(n) or p.label_zh)  # as the dashboard says it
        assert f'<code>{n}</code></td><td class="l">{text}</td>' in html, n


def test_a_user_file_named_like_a_preset_keeps_its_own_description(tmp_path):
    from experiments.labels import scenario_description
    from sim.scenario import load_scenario

    path = tmp_path / "five-micro.toml"
    path.write_text('[scenario]\ndescription = "my own variant"\n')
    scen = load_scenario(str(path))
    assert scen.name == "five-micro"
    assert scenario_description(scen, "zh") == "my own variant"
    assert scenario_description(load_scenario("five-micro"), "zh") != load_scenario("five-micro").description


def test_settling_of_a_run_shorter_than_the_window_is_not_judged_and_a_fall_to_zero_is_minus_100():
    import pandas as pd

    rows = [
        {"scenario": "A", "seed": 1, "tick": t, "participation": 0.1 * t, "volunteer_share": 0.0} for t in range(11)
    ]
    st = compare.settling(pd.DataFrame(rows), ["participation", "volunteer_share"], 30).set_index("outcome")
    assert not st["judged"].any() and not st["settled"].any()
    assert st["rel_change"].isna().all()  # not inf: there is no earlier window
    rows = [{"scenario": "A", "seed": 1, "tick": t, "volunteer_share": 0.2 if t <= 30 else 0.0} for t in range(61)]
    st = compare.settling(pd.DataFrame(rows), ["volunteer_share"], 30).set_index("outcome")
    assert st.loc["volunteer_share", "judged"]
    assert st.loc["volunteer_share", "rel_change"] == pytest.approx(-1.0)


@pytest.mark.parametrize(("lang", "says"), [("en", "Settling cannot be judged"), ("zh", "无法判断是否已稳定")])
def test_report_of_a_short_run_says_settling_cannot_be_judged_and_prints_no_nan_or_inf(short_comparison, lang, says):
    from experiments.report import write_report

    comp, out = short_comparison
    html = write_report(comp, out, lang=lang).read_text(encoding="utf-8")
    assert says in html
    _no_nan(html)


@pytest.fixture(scope="module")
def one_seed_robust(tmp_path_factory):
    from experiments import robust_compare

    out = tmp_path_factory.mktemp("robust1")
    res = robust_compare(
        _refs(out),
        worlds=2,
        seeds=1,
        ticks=10,
        uncertain=None,  # the declared plausible ranges
        overrides={"residents": 300, "households": 100},  # the others are uncertain parameters here
        workers=0,
        out=out / "run",
        quiet=True,
        verdict_outcomes=(),
    )
    return res, out


@pytest.mark.parametrize(
    ("lang", "heading", "says"),
    [
        ("en", "Within one set of assumptions (seed noise only)", "needs 2 or more seeds per world"),
        ("zh", "在同一组假设之下（仅随机噪声）", "需要每个世界 2 个或更多随机种子"),
    ],
)
def test_robust_report_with_one_seed_says_why_the_seed_noise_section_is_empty(one_seed_robust, lang, heading, says):
    from experiments.robust_report import write_report

    res, out = one_seed_robust
    html = write_report(res, out / lang, lang=lang).read_text(encoding="utf-8")
    section = html.split(f"<h2>{heading}</h2>")[1].split("<h2>")[0]
    assert says in section
    _no_nan(html)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_robust_report_says_what_each_uncertain_parameter_is(one_seed_robust, lang):
    """The worlds table gives each varied assumption's meaning (Chinese label in zh) and declared kind."""
    from experiments.robust_report import write_report
    from sim.params import BY_NAME

    res, out = one_seed_robust
    html = unescape(write_report(res, out / f"w-{lang}", lang=lang).read_text(encoding="utf-8"))
    table = html.split("<h2>" + ("The worlds" if lang == "en" else "可能世界") + "</h2>")[1].split("</table>")[0]
    assert res.uncertain
    for u in res.uncertain:
        p = BY_NAME[u.name]
        assert (p.meaning if lang == "en" else (MEANING_ZH.get(u.name) or p.label_zh)) in table, u.name
    assert ("uniform" in table) == (lang == "en")  # the declared ranges are uniform; zh says 均匀分布


@pytest.mark.parametrize("worlds", [[], ["--worlds", "2"]])
def test_compare_refuses_the_same_scenario_named_twice(tmp_path, capsys, worlds):
    from sim.cli import main as cogov

    (tmp_path / "a.toml").write_text('[scenario]\ndescription = "a"\n')
    for pair in (["government-led", "government-led"], [str(tmp_path / "a.toml"), str(tmp_path / "." / "a.toml")]):
        if pair[0] not in sim.preset_names() and not pair[0].endswith(".toml"):
            continue
        out = tmp_path / "out"
        code = cogov(["compare", *pair, "--seeds", "2", "--ticks", "2", *worlds, "--out", str(out), "--quiet"])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2
        assert len(err) == 1 and err[0].startswith("cogov: error: ") and "named twice; allowed:" in err[0]
        assert not out.exists(), "nothing was run"


def test_zh_report_summary_column_and_not_tested_list_are_in_chinese_and_use_labels(short_comparison):
    from experiments.labels import outcome_label
    from experiments.report import identical_outcomes, write_report

    comp, out = short_comparison
    same = identical_outcomes(comp)
    assert same, "the tiny short runs have outcomes fixed by construction (else this test checks nothing)"
    for lang, marker in (("en", "Not tested: "), ("zh", "未检验：")):
        html = _text(write_report(comp, out, lang=lang).read_text(encoding="utf-8"))
        listed = unescape(html.split(marker)[1].split("<")[0])
        assert listed.startswith(("、" if lang == "zh" else ", ").join(outcome_label(o, lang) for o in same))
        assert not any(o in listed.split(", ") or o in listed.split("、") for o in same if outcome_label(o, lang) != o)
        if lang == "zh":
            for english in ("mean of days", "running total", "running mean", "total over days", "increase from"):
                assert english not in html
            assert "天均值" in html and "天合计" in html


def test_aggregation_in_chinese_says_the_same_days():
    from experiments import store

    assert store.aggregation("participation", 60, lang="zh") == "第 31–60 天均值"
    assert store.aggregation("meetings", 7, 30, start=5, lang="zh") == "第 6–12 天合计"
    assert store.aggregation("disputes_total", 60, lang="zh") == "第 60 天的累计总数"
    assert store.aggregation("participation", 60) == "mean of days 31–60"  # English unchanged


def test_robust_zh_intro_names_the_declared_ranges_in_chinese(one_seed_robust):
    from experiments.robust_report import write_report

    res, out = one_seed_robust
    html = write_report(res, out / "zh-intro", lang="zh").read_text(encoding="utf-8")
    intro = re.search(r"<p>(.*?)</p>", html.split("</h1>")[1], flags=re.S).group(1)
    assert "declared plausible ranges" not in intro and "sim.params 中声明的合理取值范围" in intro


def test_run_of_one_day_and_robust_compare_of_one_seed_say_day_and_seed_in_the_singular(tmp_path, capsys):
    from sim.cli import main as cogov

    pop = [w for k, v in {"residents": 300, "households": 100}.items() for w in ("--set", f"{k}={v}")]
    a, b = _refs(tmp_path)
    code = cogov(["run", a, "--ticks", "1", *pop, "--set", "activity_window=1", "--out", str(tmp_path / "run")])
    out = capsys.readouterr().out
    assert code == 0
    assert ": 1 day; files in" in out and "in the last 1 day;" in out and "1 days" not in out
    args = ["compare", a, b, "--worlds", "2", "--seeds", "1", "--ticks", "2", *pop, "--workers", "0"]
    code = cogov([*args, "--out", str(tmp_path / "robust")])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "2 worlds × 1 seed in" in err and "1 seeds" not in err


def test_trust_label_has_the_apostrophe_in_the_declaration_the_report_and_odd(short_comparison):
    from experiments.labels import outcome_label, outcome_meaning
    from experiments.report import write_report

    assert outcome_label("trust_residents_committee") == "Trust in the residents' committee"
    assert "residents' committee" in outcome_meaning("trust_residents_committee")
    comp, out = short_comparison
    html = unescape(_text(write_report(comp, out).read_text(encoding="utf-8")))
    assert "Trust in the residents' committee" in html and "residents committee" not in html
    odd = (Path(__file__).resolve().parents[1] / "docs" / "ODD.md").read_text(encoding="utf-8")
    assert "residents committee" not in odd
