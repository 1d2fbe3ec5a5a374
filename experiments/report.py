"""Figures and the self-contained HTML report of a scenario comparison.

The report is one HTML file with its figures embedded as base64 PNGs, so a
civil servant can open it without Python or a network: what was compared, the
headline differences in plain words, which differences are within noise, the
assumptions behind the scenarios (from the parameter sources), and the
provenance of every number.
"""

from __future__ import annotations

import base64
import html
import io
import json
import platform
import time
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402

import sim  # noqa: E402
from experiments import store  # noqa: E402
from experiments.compare import SHARES, Comparison, clip_to_range  # noqa: E402
from experiments.labels import (  # noqa: E402
    TEXT,
    group_label,
    outcome_label,
    outcome_meaning,
    param_text,
    scenario_description,
    use_cjk_font,
)
from sim.outcomes import HEADLINE  # noqa: E402
from sim.params import BY_NAME, PARAMS  # noqa: E402

GROUP_PAIRS = (("elderly", "working"), ("migrant", "local"), ("renter", "owner"), ("party", "nonparty"))
GROUP_METRICS = ("participation", "satisfaction", "trust")
COLORS = plt.get_cmap("tab10").colors


# --- formatting ----------------------------------------------------------------------------


def is_share(name: str) -> bool:
    """True for outcomes that are shares or 0–1 scores (shown as percent, differences in points)."""
    return name in SHARES or name.startswith(("participation", "satisfaction", "trust_"))


def fmt_value(name: str, v: float) -> str:
    """A value as people read it."""
    if not np.isfinite(v):
        return "–"
    if is_share(name):
        return f"{100 * v:.1f}%"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def fmt_diff(name: str, d: float, lang: str = "en", rel: float | None = None) -> str:
    """A difference with its sign; percentage points for shares, else with the relative change."""
    if not np.isfinite(d):
        return "–"
    if is_share(name):
        unit = " 个百分点" if lang == "zh" else " points"
        return f"{100 * d + 0.0:+.1f}{unit}".replace("-0.0", "±0.0").replace("+0.0", "±0.0")
    text = f"{d:+,.0f}" if abs(d) >= 1000 else f"{d:+.1f}" if abs(d) >= 10 else f"{d:+.3g}"
    if rel is not None and np.isfinite(rel):
        text += f" ({100 * rel:+.0f}%)"
    return text


def fmt_p(p: float) -> str:
    """A p-value to two significant figures, or '< 0.001'."""
    if not np.isfinite(p):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.2g}"


# --- figures -----------------------------------------------------------------------------------


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _ci_band(g: pd.core.groupby.DataFrameGroupBy, col: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = g[col].mean().to_numpy()
    s = g[col].std(ddof=1).fillna(0).to_numpy()
    n = g[col].count().to_numpy()
    t = stats.t.ppf(0.975, np.maximum(n - 1, 1))
    half = t * s / np.sqrt(np.maximum(n, 1))
    lo, hi = clip_to_range(col, m - half, m + half)
    return m, lo, hi


def fig_trajectories(comp: Comparison, outcomes: list[str], lang: str) -> bytes:
    """Outcome trajectories: mean per tick with a 95% CI band, one line per scenario."""
    tx = TEXT[lang]
    cols = 2
    rows = int(np.ceil(len(outcomes) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(11, 2.6 * rows), squeeze=False)
    for ax, name in zip(axes.flat, outcomes, strict=False):
        scale = 100 if is_share(name) else 1
        for k, scen in enumerate(comp.names):
            g = comp.series[comp.series["scenario"] == scen].groupby("tick")
            ticks = np.asarray(sorted(comp.series["tick"].unique()))
            m, lo, hi = _ci_band(g, name)
            ax.plot(ticks, m * scale, color=COLORS[k % 10], lw=1.6, label=scen)
            ax.fill_between(ticks, lo * scale, hi * scale, color=COLORS[k % 10], alpha=0.22, lw=0)
        ax.set_title(outcome_label(name, lang) + (" (%)" if is_share(name) else ""), fontsize=10)
        ax.set_xlabel(tx["day"], fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(outcomes) :]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=min(len(labels), 4), frameon=False, bbox_to_anchor=(0.5, 1.02))
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return _png(fig)


def fig_final(comp: Comparison, outcomes: list[str], lang: str) -> bytes:
    """Final outcomes: mean and 95% CI per scenario, one panel per outcome."""
    cols = 2
    rows = int(np.ceil(len(outcomes) / cols))
    n = len(comp.names)
    fig, axes = plt.subplots(rows, cols, figsize=(11, (0.45 * n + 0.9) * rows), squeeze=False)
    t = comp.table.set_index(["outcome", "scenario"])
    for ax, name in zip(axes.flat, outcomes, strict=False):
        scale = 100 if is_share(name) else 1
        for k, scen in enumerate(comp.names):
            r = t.loc[(name, scen)]
            y = n - 1 - k
            ax.errorbar(
                r["mean"] * scale,
                y,
                xerr=[[(r["mean"] - r["ci_low"]) * scale], [(r["ci_high"] - r["mean"]) * scale]],
                fmt="o",
                color=COLORS[k % 10],
                capsize=4,
                ms=6,
            )
            vals = comp.finals.loc[scen][name].to_numpy(dtype=float) * scale
            ax.scatter(vals, np.full(len(vals), y) + 0.18, s=6, color=COLORS[k % 10], alpha=0.4)
        ax.set_yticks(range(n))
        ax.set_yticklabels(list(reversed(comp.names)), fontsize=8)
        ax.set_ylim(-0.6, n - 0.3)
        ax.set_title(outcome_label(name, lang) + (" (%)" if is_share(name) else ""), fontsize=10)
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", alpha=0.3)
    for ax in list(axes.flat)[len(outcomes) :]:
        ax.set_visible(False)
    fig.tight_layout()
    return _png(fig)


def fig_groups(comp: Comparison, lang: str) -> bytes:
    """Participation, satisfaction and trust by group: grouped bars with 95% CIs."""
    groups = [g for pair in GROUP_PAIRS for g in pair]
    n = len(comp.names)
    width = 0.8 / n
    fig, axes = plt.subplots(len(GROUP_METRICS), 1, figsize=(11, 2.9 * len(GROUP_METRICS)))
    t = comp.table.set_index(["outcome", "scenario"])
    for ax, metric in zip(axes, GROUP_METRICS, strict=True):
        x = np.arange(len(groups))
        for k, scen in enumerate(comp.names):
            rows = [t.loc[(f"{metric}_{g}", scen)] for g in groups]
            m = np.array([r["mean"] for r in rows]) * 100
            err = np.array([[r["mean"] - r["ci_low"], r["ci_high"] - r["mean"]] for r in rows]).T * 100
            ax.bar(
                x + (k - (n - 1) / 2) * width,
                m,
                width,
                yerr=err,
                capsize=2,
                color=COLORS[k % 10],
                label=scen,
                alpha=0.85,
            )
        ax.set_xticks(x)
        ax.set_xticklabels([group_label(g, lang) for g in groups], fontsize=9)
        for b in range(1, len(GROUP_PAIRS)):
            ax.axvline(2 * b - 0.5, color="grey", lw=0.6, alpha=0.5)
        ax.set_title(
            outcome_label(metric, lang) + " (%)"
            if metric != "trust"
            else ("信任度 (%)" if lang == "zh" else "Trust, all actors (%)"),
            fontsize=10,
        )
        ax.grid(axis="y", alpha=0.3)
        ax.tick_params(axis="y", labelsize=8)
    axes[0].legend(fontsize=8, ncol=min(n, 4), frameon=False)
    fig.tight_layout()
    return _png(fig)


# --- text -----------------------------------------------------------------------------------------


def fmt_dz(v: float) -> str:
    """d_z to two decimals, '–' when undefined (no spread in the differences)."""
    return f"{v:.2f}" if np.isfinite(v) else "–"


def headline_sentences(comp: Comparison, lang: str) -> tuple[list[str], list[str]]:
    """Plain-language headline differences: (beyond noise, within noise or equivalent)."""
    tx = TEXT[lang]
    base = comp.names[0]
    t = comp.table.set_index(["outcome", "scenario"])
    beyond, within = [], []
    for name in HEADLINE:
        a = t.loc[(name, base)]
        for scen in comp.names[1:]:
            r = t.loc[(name, scen)]
            args = {
                "label": outcome_label(name, lang),
                "b": scen,
                "a": base,
                "value_b": fmt_value(name, r["mean"]),
                "value_a": fmt_value(name, a["mean"]),
                "lo": fmt_diff(name, r["diff_low"], lang),
                "hi": fmt_diff(name, r["diff_high"], lang),
                "p": fmt_p(r["p_adj"]),
                "dz": fmt_dz(r["d_z"]),
            }
            if r["verdict"] == "equivalent":
                args["p"] = fmt_p(r["p_equiv_adj"])
                within.append(
                    tx["equivalent"].format(
                        diff=fmt_diff(name, r["diff"], lang), delta=fmt_diff(name, r["sesoi"], lang).lstrip("+"), **args
                    )
                )
            elif r["verdict"] != "different":
                within.append(tx["sentence_noise"].format(diff=fmt_diff(name, r["diff"], lang, r["rel_diff"]), **args))
            else:
                d = r["diff"]
                word = tx["higher"] if d > 0 else tx["lower"] if d < 0 else tx["same"]
                diff = fmt_diff(name, abs(d), lang).lstrip("+")
                if not is_share(name) and np.isfinite(r["rel_diff"]):
                    diff += f" ({100 * abs(r['rel_diff']):.0f}%)"
                beyond.append(tx["sentence"].format(diff=diff, dir=word, **args))
    return beyond, within


def identical_outcomes(comp: Comparison) -> list[str]:
    """Outcomes equal in every run of every scenario (fixed by construction): not tested, not tabled."""
    t = comp.table[comp.table["scenario"] != comp.names[0]]
    same = t.groupby("outcome", sort=False)["family"].apply(lambda f: bool((f == "identical").all()))
    return [o for o, v in same.items() if v]


def crn_summary(comp: Comparison) -> tuple[float, float]:
    """Median achieved correlation of paired runs and median variance reduction over the tested rows."""
    t = comp.table[comp.table["family"].isin(("confirmatory", "exploratory"))]
    corr, vr = t["crn_corr"].dropna(), t["var_reduction"].dropna()
    return (float(corr.median()) if len(corr) else float("nan"), float(vr.median()) if len(vr) else float("nan"))


def _crn_clause(corr_med: float, vr_med: float, n: int, lang: str) -> str:
    """The setup sentence's clause on what pairing by seed achieved, or why it cannot be measured."""
    tx = TEXT[lang]
    if np.isfinite(corr_med) and np.isfinite(vr_med):
        return tx["setup_crn"].format(vr=f"{100 * vr_med:.0f}%", corr=f"{corr_med:.2f}")
    if n < 3:  # crn_gain needs 3 or more paired runs
        return tx["setup_crn_few"].format(n=n)
    return tx["setup_crn_flat"]


def differing_parameters(scens) -> list[str]:
    """Names of the parameters whose values differ between the scenarios (schema order)."""
    out = []
    for p in PARAMS:
        vals = [json.dumps(store.canonical(s.params.get(p.name)), sort_keys=True) for s in scens]
        if len(set(vals)) > 1:
            out.append(p.name)
    return out


def is_assumption(source: str) -> bool:
    """True when a parameter's value rests on an assumption rather than a cited source."""
    return "assumption" in source.lower()


def provenance(comp: Comparison) -> dict[str, Any]:
    """Versions, seeds, command and parameters behind every number."""
    import dask
    import mesa
    import scipy

    commit = store.git_commit()[:12]
    return {
        "created": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "command": comp.command,
        "package": "cogov-sim",
        "version": sim.__version__,
        "git_commit": commit,
        "python": platform.python_version(),
        "mesa": mesa.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "scipy": scipy.__version__,
        "dask": dask.__version__,
        "seeds": comp.seeds,
        "ticks": comp.ticks,
        "correction": {"confirmatory": "holm", "exploratory": comp.correction},
        "window": comp.window,
        "burn_in": comp.burn_in,
        "summaries": {
            o: store.aggregation(o, comp.ticks, comp.window, comp.burn_in) for o in comp.table["outcome"].unique()
        },
        "sesoi": comp.sesoi,
        "source": comp.source,
        "overrides": comp.overrides,
        "runtime_s": round(comp.seconds, 1),
        "workers": comp.workers,
        "scenarios": [
            {
                "name": s.name,
                "file": s.path,
                "chain": s.chain,
                "description": s.description,
                "sources": s.sources,
                "run_ids": comp.run_ids.get(s.name, []),
                "parameters": store.canonical(s.params),
            }
            for s in comp.scenarios
        ],
    }


# --- HTML ----------------------------------------------------------------------------------------

CSS = """
body{font-family:-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
h1{border-bottom:3px solid #c0392b;padding-bottom:.3em}h2{margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:13px;margin:1em 0}td,th{border:1px solid #ddd;padding:3px 7px;
text-align:right}th{background:#f4f4f4}td.l,th.l{text-align:left}tr.noise td{color:#888}
.beyond li{margin:.35em 0}.within li{color:#666;margin:.35em 0}.tag{font-size:11px;padding:1px 5px;
border-radius:3px;background:#eee}.assume{background:#fdebd0}img{max-width:100%;border:1px solid #eee}
details{margin:1em 0}summary{cursor:pointer;font-weight:600}.note{color:#555;font-size:13px}
code{background:#f4f4f4;padding:1px 4px}
"""


def _e(x: Any) -> str:
    return html.escape(str(x))


def _img(png: bytes, alt: str) -> str:
    return f'<img alt="{_e(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">'


def _outcome_rows(comp: Comparison, outcomes: list[str], lang: str) -> str:
    tx = TEXT[lang]
    t = comp.table.set_index(["outcome", "scenario"])
    rows = []
    for name in outcomes:
        for k, scen in enumerate(comp.names):
            r = t.loc[(name, scen)]
            noise = bool(r["within_noise"])
            first = (
                f'<td class="l" rowspan="{len(comp.names)}" title="{_e(outcome_meaning(name, lang))}">'
                f"{_e(outcome_label(name, lang))}</td>"
                f'<td class="l" rowspan="{len(comp.names)}">{_e(_summary_text(comp, name, lang))}</td>'
                if k == 0
                else ""
            )
            if k == 0:
                diff = f'<td colspan="5" class="l">{_e(tx["baseline"])}</td>'
            elif r["family"] == "identical":
                diff = f'<td colspan="5" class="l">{_e(tx["identical"])}</td>'
            else:
                crn = f"{100 * r['var_reduction']:.0f}%" if np.isfinite(r["var_reduction"]) else "–"
                tag = {"within noise": tx["noise"], "equivalent": tx["equiv_tag"], "inconclusive": tx["noise"]}
                label = tag.get(r["verdict"], "")
                diff = (
                    f"<td>{_e(fmt_diff(name, r['diff'], lang, r['rel_diff']))}</td>"
                    f"<td>{_e(fmt_diff(name, r['diff_low'], lang))} … "
                    f"{_e(fmt_diff(name, r['diff_high'], lang))} ({100 * r['ci_level']:.1f}%)</td>"
                    f"<td>{_e(fmt_dz(r['d_z']))}</td><td>{_e(crn)}</td><td>{_e(fmt_p(r['p_adj']))}"
                    f"{' <span class=tag>' + _e(label) + '</span>' if label else ''}</td>"
                )
            rows.append(
                f'<tr class="{"noise" if noise else ""}">{first}<td class="l">{_e(scen)}</td>'
                f"<td>{_e(fmt_value(name, r['mean']))}</td>"
                f"<td>{_e(fmt_value(name, r['ci_low']))} … {_e(fmt_value(name, r['ci_high']))}</td>"
                f"{diff}</tr>"
            )
    head = (
        f'<tr><th class="l">{tx["outcome"]}</th><th class="l">{tx["summary"]}</th><th class="l">{tx["scenario"]}</th>'
        f"<th>{tx['mean']}</th><th>{tx['ci']}</th><th>{tx['diff']}</th><th>CI</th><th>{tx['effect']}</th>"
        f"<th>{tx['crn']}</th><th>{tx['p_adj']}</th></tr>"
    )
    return f"<table>{head}{''.join(rows)}</table>"


def _burn_in_html(comp: Comparison, lang: str) -> str:
    from sim.params import STRUCTURAL

    if not comp.burn_in:
        return ""
    structural = [n for n in differing_parameters(comp.scenarios) if n in STRUCTURAL]
    text = TEXT[lang]["burn_in"].format(b=comp.burn_in, ticks=comp.ticks, structural=", ".join(structural) or "–")
    return f"<p>{_e(text)}</p>"


def _summary_text(comp: Comparison, name: str, lang: str = "en") -> str:
    return store.aggregation(name, comp.ticks, comp.window, comp.burn_in, lang)


def _settling_html(comp: Comparison, lang: str) -> str:
    from experiments.compare import settling

    tx = TEXT[lang]
    st = settling(comp.series[comp.series["scenario"] == comp.names[0]], list(HEADLINE), comp.window)
    if not st["judged"].any():  # no earlier window: nothing to compare the last days with
        text = tx["settled_short"].format(ticks=comp.burn_in + comp.ticks, k=comp.window, need=2 * comp.window)
        return f"<p class=note>{_e(text)}</p>"
    word = {True: tx["settled_yes"], False: tx["settled_no"]}
    items = "; ".join(
        f"{outcome_label(r.outcome, lang)} "
        + (f"{100 * r.rel_change:+.1f}% ({word[r.settled]})" if r.judged else tx["settled_na"])
        for r in st.itertuples()
    )
    return f"<p class=note>{_e(tx['settled'].format(ticks=comp.burn_in + comp.ticks, k=comp.window, items=items))}</p>"


def _assumptions(comp: Comparison, lang: str) -> str:
    tx = TEXT[lang]
    diff = differing_parameters(comp.scenarios)
    k = sum(is_assumption(BY_NAME[n].source) for n in diff)
    shared = [p for p in PARAMS if p.name not in diff]
    head = "".join(f"<th>{_e(n)}</th>" for n in comp.names)
    rows = []
    for n in diff:
        p = BY_NAME[n]
        vals = "".join(
            f"<td>{_e(json.dumps(store.canonical(s.params[n]), ensure_ascii=False))}</td>" for s in comp.scenarios
        )
        cls = ' class="assume"' if is_assumption(p.source) else ""
        rows.append(
            f'<tr{cls}><td class="l"><code>{_e(n)}</code></td><td class="l">{_e(param_text(n, lang))}</td>{vals}'
            f'<td class="l">{_e(p.source)}</td></tr>'
        )
    parts = [f"<p>{_e(tx['assump_intro'])}</p>", f"<p><b>{_e(tx['assump_count'].format(k=k, m=len(diff)))}</b></p>"]
    if diff:
        parts.append(
            f'<table><tr><th class="l">{tx["param"]}</th><th class="l">{tx["meaning"]}</th>{head}'
            f'<th class="l">{tx["source"]}</th></tr>{"".join(rows)}</table>'
        )
    k_shared = sum(is_assumption(p.source) for p in shared)
    parts.append(f"<p class=note>{_e(tx['assump_shared'].format(n=len(shared), k=k_shared))}</p>")
    srcs = [f"<li><b>{_e(s.name)}</b>: {_e(s.sources)}</li>" for s in comp.scenarios if s.sources]
    if srcs:
        parts.append(f"<h3>{_e(tx['scen_sources'])}</h3><ul>{''.join(srcs)}</ul>")
    return "".join(parts)


def _provenance_html(prov: dict[str, Any], comp: Comparison, lang: str) -> str:
    tx = TEXT[lang]
    sw = (
        f"cogov-sim {prov['version']}"
        + (f" (git {prov['git_commit']})" if prov["git_commit"] else "")
        + f"; Python {prov['python']}, Mesa {prov['mesa']}, NumPy {prov['numpy']}, pandas {prov['pandas']}, "
        f"SciPy {prov['scipy']}, dask {prov['dask']}"
    )
    items = [
        (tx["command"], f"<code>{_e(prov['command'] or '(Python API)')}</code>"),
        (tx["version"], _e(sw)),
        (tx["seeds"], _e(", ".join(map(str, prov["seeds"])))),
        (tx["ticks"], _e(prov["ticks"])),
        (tx["runs"], _e(len(prov["seeds"]) * len(comp.names))),
        (tx["created"], _e(prov["created"])),
    ]
    if prov["overrides"]:
        items.append(("--set", f"<code>{_e(json.dumps(prov['overrides'], ensure_ascii=False))}</code>"))
    files = "".join(
        f"<li><b>{_e(s['name'])}</b>: {_e(s['file'] or 'built-in')} ({_e(' → '.join(s['chain']))})</li>"
        for s in prov["scenarios"]
    )
    head = "".join(f"<th>{_e(n)}</th>" for n in comp.names)
    rows = "".join(
        f'<tr><td class="l"><code>{_e(p.name)}</code></td>'
        + "".join(
            f"<td>{_e(json.dumps(store.canonical(s.params[p.name]), ensure_ascii=False))}</td>" for s in comp.scenarios
        )
        + f'<td class="l">{_e(p.unit)}</td><td class="l">{_e(p.source)}</td></tr>'
        for p in PARAMS
    )
    ids = "".join(f"<li><b>{_e(s['name'])}</b>: {_e(', '.join(s['run_ids']))}</li>" for s in prov["scenarios"])
    return (
        f"<p>{_e(tx['prov_intro'])}</p><table>"
        + "".join(f'<tr><th class="l">{_e(k)}</th><td class="l">{v}</td></tr>' for k, v in items)
        + f"</table><h3>{_e(tx['files'])}</h3><ul>{files}</ul>"
        f"<details><summary>{_e(tx['all_params'])}</summary><table><tr><th class='l'>{tx['param']}</th>"
        f"{head}<th class='l'>unit</th><th class='l'>{tx['source']}</th></tr>{rows}</table></details>"
        f"<details><summary>run ids</summary><ul class=note>{ids}</ul></details>"
    )


def render_html(comp: Comparison, figures: dict[str, bytes], lang: str = "en") -> str:
    """The whole report as one HTML string."""
    tx = TEXT[lang]
    base = comp.names[0]
    n = len(comp.seeds)
    scen_rows = "".join(
        f'<tr><td class="l"><b>{_e(s.name)}</b>{" (" + _e(tx["baseline"]) + ")" if i == 0 else ""}</td>'
        f'<td class="l">{_e(scenario_description(s, lang))}</td></tr>'
        for i, s in enumerate(comp.scenarios)
    )
    beyond, within = headline_sentences(comp, lang)
    fam = comp.table["family"]
    m_conf, m_expl = int((fam == "confirmatory").sum()), int((fam == "exploratory").sum())
    corr = "Holm" if comp.correction == "holm" else "Benjamini–Hochberg"
    same = identical_outcomes(comp)
    others = [o for o in comp.table["outcome"].unique() if o not in HEADLINE and o not in same]
    corr_med, vr_med = crn_summary(comp)
    body = f"""
<h1>{_e(tx["title"])}: {_e(" · ".join(comp.names))}</h1>
<h2>{_e(tx["compared"])}</h2>
<table><tr><th class="l">{tx["scenario"]}</th><th class="l">{tx["description"]}</th></tr>{scen_rows}</table>
<p>{_e(tx["setup"].format(n=n, ticks=comp.ticks, crn=_crn_clause(corr_med, vr_med, n, lang)))}</p>
{_burn_in_html(comp, lang)}
{_settling_html(comp, lang)}
<details><summary>{_e(tx["how_to_read"])}</summary><p class=note>{_e(tx["how"].format(n=n))}</p></details>
<h2>{_e(tx["headline"])}</h2>
<h3>{_e(tx["beyond"])}</h3>
<ul class="beyond">{"".join(f"<li>{_e(s)}</li>" for s in beyond) or "<li>" + _e(tx["none_beyond"]) + "</li>"}</ul>
<h3>{_e(tx["within"].format(n=n))}</h3>
<ul class="within">{"".join(f"<li>{_e(s)}</li>" for s in within) or "<li>" + _e(tx["none_within"]) + "</li>"}</ul>
<h2>{_e(tx["figures"])}</h2>
<h3>{_e(tx["fig_traj"])}</h3>{_img(figures["trajectories"], tx["fig_traj"])}
<h3>{_e(tx["fig_final"])}</h3>{_img(figures["final"], tx["fig_final"])}
<h3>{_e(tx["fig_groups"])}</h3>{_img(figures["groups"], tx["fig_groups"])}
<h2>{_e(tx["table"])}</h2>
<p class=note>{
        _e(
            tx["table_note"].format(
                base=base,
                corr=corr,
                m_conf=m_conf,
                m_expl=m_expl,
                window=comp.window,
                identical=("、" if lang == "zh" else ", ").join(outcome_label(o, lang) for o in same) or "–",
            )
        )
    }</p>
{_outcome_rows(comp, list(HEADLINE), lang)}
<details><summary>{_e(tx["all_outcomes"])}</summary>{_outcome_rows(comp, others, lang)}</details>
<h2>{_e(tx["assumptions"])}</h2>{_assumptions(comp, lang)}
<h2>{_e(tx["provenance"])}</h2>{_provenance_html(provenance(comp), comp, lang)}
"""
    return (
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{_e(tx['title'])}: {_e(' vs '.join(comp.names))}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>"
    )


def make_figures(comp: Comparison, lang: str = "en") -> dict[str, bytes]:
    """The report's figures as PNG bytes."""
    with plt.rc_context():
        if lang == "zh":
            use_cjk_font()
        return {
            "trajectories": fig_trajectories(comp, list(HEADLINE), lang),
            "final": fig_final(comp, list(HEADLINE), lang),
            "groups": fig_groups(comp, lang),
        }


def write_report(comp: Comparison, out: str | Path, lang: str = "en") -> Path:
    """Write table, per-seed values, figures, manifest and the HTML report into ``out``; return the HTML path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    comp.table.to_csv(out / "outcomes.csv", index=False)
    comp.finals.reset_index().to_csv(out / "final_values.csv", index=False)
    figures = make_figures(comp, lang)
    suffix = "" if lang == "en" else f"-{lang}"
    for name, png in figures.items():
        (out / f"fig-{name}{suffix}.png").write_bytes(png)
    store.atomic_write_json(provenance(comp), out / "manifest.json")
    path = out / f"report{suffix}.html"
    store.atomic_write_bytes(path, render_html(comp, figures, lang).encode("utf-8"))
    return path
