# ruff: noqa: E501  (report sentences, English and Chinese, are kept whole on one line each)
"""The HTML report of a comparison across plausible worlds (English and Chinese).

It opens with one plain verdict per pair and headline outcome ("A is better
in 97% of plausible worlds" or "it depends", with the assumptions it depends
on), then the who-wins table, the spread of differences across worlds,
regret, the driver plots of the "it depends" cases, the optional Shapley
waterfalls, the seed-only table labelled "within one set of assumptions",
and the provenance. One self-contained file, figures embedded.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

import sim
from experiments import store
from experiments.labels import outcome_label, param_text, use_cjk_font
from experiments.report import COLORS, CSS, _e, _img, _outcome_rows, _png, fmt_diff, is_share, plt
from experiments.robust import ROBUST_SHARE, RobustResult, Verdict, verdict_sentence
from experiments.worlds import origin_text
from sim.outcomes import HEADLINE
from sim.params import BY_NAME

T = {
    "en": {
        "title": "Comparison across plausible worlds",
        "verdicts": "Verdicts",
        "intro": (
            "Each scenario ran in {w} plausible worlds: joint values of {k} uncertain assumptions drawn by Latin "
            "hypercube from {origin}, every world on the same {s} seeds ({ticks} days). A scenario is 'better' in a "
            "world when its mean over the seeds beats the other's by more than seed noise (95%). A result is called "
            f"robust when it holds in at least {ROBUST_SHARE:.0%} of worlds."
        ),
        "robust": "Robust",
        "depends": "It depends",
        "nodiff": "No difference beyond noise",
        "wins": "Who wins in how many worlds",
        "wins_note": "Share of worlds in which each scenario is the best (ties count for each), and its range of ranks.",
        "best": "best in",
        "ranks": "ranks",
        "spread": "Differences across worlds",
        "spread_note": (
            "Each dot is one world: the mean over seeds of B − A. The grey band is ± seed noise; the line is the "
            "median, the box the 5–95% range across worlds."
        ),
        "pairs": "Per pair: share of worlds, median difference and 5–95% range",
        "pair": "pair (A vs B)",
        "outcome": "outcome",
        "a_better": "A better",
        "b_better": "B better",
        "tie": "within noise",
        "median": "median B − A",
        "range": "5–95% across worlds",
        "regret": "Regret",
        "regret_note": (
            "In each world, how far a scenario falls behind the best of the compared scenarios on that outcome; "
            "median and worst over worlds (0 = always the best)."
        ),
        "scenario": "scenario",
        "regret_med": "median regret",
        "regret_worst": "worst regret",
        "drivers": "What it depends on",
        "drivers_note": (
            "Each dot is one world, placed by the two assumptions that matter most for the difference and coloured "
            "by who is better in it; the dashed box is the PRIM region of the verdict's rule."
        ),
        "why": "Why B differs from A (lever attribution)",
        "why_none": "Not computed: add --explain to attribute each scenario's difference from {base} to its lever "
        "groups, or run `cogov explain {base} B`.",
        "nominal": "Within one set of assumptions (seed noise only)",
        "nominal_note": (
            "The ordinary comparison at the scenarios' own parameter values, over the same seeds: its confidence "
            "intervals and p-values measure chance only, within one set of assumptions, not the assumptions."
        ),
        "nominal_none": (
            "Not shown: seed noise within one set of assumptions needs 2 or more seeds per world, and this "
            "comparison ran {s} (use --seeds 2 or more)."
        ),
        "worlds": "The worlds",
        "worlds_note": "Ranges of the uncertain assumptions (every world draws one value of each).",
        "param": "parameter",
        "meaning": "what it is",
        "kind": "kind",
        "lo": "low",
        "hi": "high",
        "dist": "distribution",
        "prov": "Provenance",
        "command": "command",
        "version": "software",
        "seeds": "seeds",
        "runs": "runs",
        "created": "created",
        "design_seed": "world seed",
        "neither": "within noise",
    },
    "zh": {
        "title": "多种可能世界下的情景比较",
        "verdicts": "结论",
        "intro": (
            "每个情景都在 {w} 个可能世界中运行：{k} 个不确定假设的取值由拉丁超立方抽样自 {origin}，每个世界使用相同的 {s} 个"
            "随机种子（{ticks} 天）。在某个世界中，若一个情景在各种子上的均值优于另一情景且超过随机噪声（95%），即记为“更好”。"
            f"若结论在至少 {ROBUST_SHARE:.0%} 的世界中成立，则称其稳健。"
        ),
        "robust": "稳健",
        "depends": "视情况而定",
        "nodiff": "差别不超过噪声",
        "wins": "各情景在多少世界中胜出",
        "wins_note": "各情景在多少比例的世界中最优（并列时各自计入），以及其排名范围。",
        "best": "最优比例",
        "ranks": "排名",
        "spread": "各世界中的差值",
        "spread_note": "每个点代表一个世界：B − A 在各种子上的均值。灰带为 ± 随机噪声；竖线为中位数，箱体为各世界 5–95% 范围。",
        "pairs": "逐对比较：世界比例、差值中位数及 5–95% 范围",
        "pair": "比较（A 对 B）",
        "outcome": "结果",
        "a_better": "A 更好",
        "b_better": "B 更好",
        "tie": "噪声以内",
        "median": "B − A 中位数",
        "range": "各世界 5–95%",
        "regret": "遗憾值",
        "regret_note": "在每个世界中，某情景在该结果上落后于所比较情景中最优者的差距；取各世界的中位数与最大值（0 表示始终最优）。",
        "scenario": "情景",
        "regret_med": "遗憾值中位数",
        "regret_worst": "最大遗憾值",
        "drivers": "取决于什么",
        "drivers_note": "每个点代表一个世界，按对差值影响最大的两个假设定位，并按哪个情景更好着色；虚线框为结论规则对应的 PRIM 区域。",
        "why": "B 与 A 为何不同（政策杠杆归因）",
        "why_none": "未计算：加上 --explain 可将各情景相对 {base} 的差值分解到各组政策杠杆，或运行 `cogov explain {base} B`。",
        "nominal": "在同一组假设之下（仅随机噪声）",
        "nominal_note": "按情景自身参数值、相同随机种子进行的常规比较：其置信区间与 p 值只衡量随机性，是在同一组假设之下的结论，并不涵盖假设本身的不确定性。",
        "worlds": "可能世界",
        "nominal_none": "未列出：衡量同一组假设之下的随机噪声需要每个世界 2 个或更多随机种子，本次比较为 {s} 个（请使用 --seeds 2 或更多）。",
        "worlds_note": "不确定假设的取值范围（每个世界从中各取一个值）。",
        "param": "参数",
        "meaning": "含义",
        "kind": "类型",
        "lo": "下限",
        "hi": "上限",
        "dist": "分布",
        "prov": "来源与可复现信息",
        "command": "命令",
        "version": "软件",
        "seeds": "随机种子",
        "runs": "运行次数",
        "created": "生成时间",
        "design_seed": "世界抽样种子",
        "neither": "噪声以内",
    },
}


def _label(o: str, lang: str) -> str:
    return outcome_label(o, lang)


def _kind(v: Verdict, lang: str) -> str:
    t = T[lang]
    return {"robust": t["robust"], "depends": t["depends"], "no_difference": t["nodiff"]}[v.kind]


def verdict_html(r: RobustResult, lang: str) -> str:
    """Verdicts grouped by pair: one sentence per headline outcome."""
    parts = []
    by_pair: dict[tuple[str, str], list[Verdict]] = {}
    for v in r.verdicts:
        by_pair.setdefault((v.a, v.b), []).append(v)
    colours = {"robust": "#e8f6ef", "depends": "#fdebd0", "no_difference": "#f4f4f4"}
    for (a, b), vs in by_pair.items():
        items = "".join(
            f'<li style="background:{colours[v.kind]};padding:2px 6px"><b>{_e(_kind(v, lang))}</b> · '
            f"{_e(verdict_sentence(v, _label(v.outcome, lang), lang))}</li>"
            for v in vs
        )
        parts.append(f"<h3>{_e(a)} vs {_e(b)}</h3><ul class=beyond>{items}</ul>")
    return "".join(parts)


def wins_table(r: RobustResult, lang: str, outcomes=HEADLINE) -> str:
    """Who is best in how many worlds, per headline outcome."""
    t = T[lang]
    reg = r.regret.set_index(["outcome", "scenario"])
    head = "".join(f"<th>{_e(n)}</th>" for n in r.names)
    rows = []
    for o in outcomes:
        if (o, r.names[0]) not in reg.index:
            continue
        cells = "".join(
            f"<td>{reg.loc[(o, n), 'share_best']:.0%} ({t['ranks']} {reg.loc[(o, n), 'rank_best']}–"
            f"{reg.loc[(o, n), 'rank_worst']})</td>"
            for n in r.names
        )
        rows.append(f'<tr><td class="l">{_e(_label(o, lang))}</td>{cells}</tr>')
    return f'<table><tr><th class="l">{t["outcome"]}</th>{head}</tr>{"".join(rows)}</table>'


def pairs_table(r: RobustResult, lang: str, outcomes=HEADLINE) -> str:
    """Shares of worlds and spread of differences for every pair and headline outcome."""
    t = T[lang]
    s = r.summary[r.summary["outcome"].isin(outcomes)]
    rows = []
    for x in s.itertuples():
        ab = f"{x.share_a_better:.0%}" if np.isfinite(x.share_a_better) else "–"
        bb = f"{x.share_b_better:.0%}" if np.isfinite(x.share_b_better) else "–"
        rows.append(
            f'<tr><td class="l">{_e(x.a)} vs {_e(x.b)}</td><td class="l">{_e(_label(x.outcome, lang))}</td>'
            f"<td>{ab}</td><td>{bb}</td><td>{x.share_within_noise:.0%}</td>"
            f"<td>{_e(fmt_diff(x.outcome, x.diff_median, lang))}</td>"
            f"<td>{_e(fmt_diff(x.outcome, x.diff_q05, lang))} … {_e(fmt_diff(x.outcome, x.diff_q95, lang))}</td></tr>"
        )
    head = (
        f'<tr><th class="l">{t["pair"]}</th><th class="l">{t["outcome"]}</th><th>{t["a_better"]}</th>'
        f"<th>{t['b_better']}</th><th>{t['tie']}</th><th>{t['median']}</th><th>{t['range']}</th></tr>"
    )
    return f"<table>{head}{''.join(rows)}</table>"


def regret_html(r: RobustResult, lang: str, outcomes=HEADLINE) -> str:
    """Median and worst regret per scenario and headline outcome."""
    t = T[lang]
    reg = r.regret[r.regret["outcome"].isin(outcomes)]
    rows = "".join(
        f'<tr><td class="l">{_e(_label(x.outcome, lang))}</td><td class="l">{_e(x.scenario)}</td>'
        f"<td>{_e(fmt_diff(x.outcome, x.regret_median, lang).lstrip('+'))}</td>"
        f"<td>{_e(fmt_diff(x.outcome, x.regret_worst, lang).lstrip('+'))}</td></tr>"
        for x in reg.itertuples()
    )
    return (
        f'<table><tr><th class="l">{t["outcome"]}</th><th class="l">{t["scenario"]}</th>'
        f"<th>{t['regret_med']}</th><th>{t['regret_worst']}</th></tr>{rows}</table>"
    )


def fig_spread(r: RobustResult, lang: str, outcomes=HEADLINE) -> bytes:
    """Per headline outcome, the per-world differences B − A of every pair."""
    outcomes = [o for o in outcomes if o in set(r.summary["outcome"])]
    pairs = list(dict.fromkeys(zip(r.summary["a"], r.summary["b"], strict=True)))
    cols = 2
    rows = int(np.ceil(len(outcomes) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(11, (0.42 * len(pairs) + 1.0) * rows), squeeze=False)
    pw = r.per_world
    summ = r.summary.set_index(["a", "b", "outcome"])
    for ax, o in zip(axes.flat, outcomes, strict=False):
        scale = 100 if is_share(o) else 1
        for k, (a, b) in enumerate(pairs):
            y = len(pairs) - 1 - k
            d = pw[(pw["a"] == a) & (pw["b"] == b) & (pw["outcome"] == o)]
            s = summ.loc[(a, b, o)]
            ax.fill_betweenx([y - 0.3, y + 0.3], -s["seed_noise"] * scale, s["seed_noise"] * scale, color="#ddd")
            ax.plot([s["diff_q05"] * scale, s["diff_q95"] * scale], [y, y], color="#555", lw=4, alpha=0.35)
            ax.plot([s["diff_median"] * scale] * 2, [y - 0.3, y + 0.3], color="k", lw=1.5)
            colour = [
                COLORS[1] if bb else COLORS[0] if ab else "#999"
                for ab, bb in zip(d["a_better"], d["b_better"], strict=True)
            ]
            jitter = (np.arange(len(d)) % 5 - 2) * 0.05
            ax.scatter(d["diff"] * scale, y + jitter, s=10, c=colour, alpha=0.8, zorder=3)
        ax.axvline(0, color="k", lw=0.6)
        ax.set_yticks(range(len(pairs)))
        ax.set_yticklabels([f"{b} − {a}" for a, b in reversed(pairs)], fontsize=7)
        ax.set_title(_label(o, lang) + (" (pp)" if is_share(o) else ""), fontsize=10)
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", alpha=0.3)
    for ax in list(axes.flat)[len(outcomes) :]:
        ax.set_visible(False)
    fig.tight_layout()
    return _png(fig)


def fig_drivers(r: RobustResult, v: Verdict, lang: str) -> bytes:
    """Worlds placed by the two most influential assumptions, coloured by who is better; the PRIM box dashed."""
    d = v.drivers
    named = d.named() if d else []
    params = (named + [c for c in d.indices["parameter"] if c not in named])[:2]
    pw = r.per_world[(r.per_world["a"] == v.a) & (r.per_world["b"] == v.b) & (r.per_world["outcome"] == v.outcome)]
    pw = pw.set_index("world").loc[r.worlds["world"]]
    x = r.worlds[params[0]].to_numpy()
    y = r.worlds[params[1]].to_numpy() if len(params) > 1 else pw["diff"].to_numpy()
    fig, ax = plt.subplots(figsize=(5.2, 3.8))
    t = T[lang]
    for mask, colour, name in (
        (pw["a_better"].to_numpy(), COLORS[0], f"{v.a}"),
        (pw["b_better"].to_numpy(), COLORS[1], f"{v.b}"),
        (~(pw["a_better"].to_numpy() | pw["b_better"].to_numpy()), "#999", t["neither"]),
    ):
        ax.scatter(x[mask], y[mask], s=22, color=colour, label=name, alpha=0.85)
    if d and d.conditions and len(params) > 1:
        lims = {p: [np.nanmin(r.worlds[p]), np.nanmax(r.worlds[p])] for p in params}
        for n, op, val in d.conditions:
            if n in lims:
                lims[n][0 if op == ">" else 1] = val
        (x0, x1), (y0, y1) = lims[params[0]], lims[params[1]]
        ax.add_patch(plt.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ls="--", color="k"))
    ax.set_xlabel(params[0], fontsize=9)
    ax.set_ylabel(params[1] if len(params) > 1 else "B − A", fontsize=9)
    ax.set_title(f"{_label(v.outcome, lang)}: {v.a} vs {v.b}", fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    return _png(fig)


_ROLE_ZH = {"sourced": "有出处", "calibrated": "校准", "assumption": "假设", "lever": "政策杠杆"}
_DIST_ZH = {"uniform": "均匀分布", "triangular": "三角分布"}


def _kind_text(name: str, lang: str) -> str:
    """A parameter's declared kind (sourced, calibrated, assumption) in ``lang``; "" if not declared here."""
    p = BY_NAME.get(name)
    if p is None:  # a plug-in's parameter that is not registered in this process
        return ""
    return _ROLE_ZH.get(p.role, p.role) if lang == "zh" else p.role


def _dist_text(dist: str, lang: str) -> str:
    return _DIST_ZH.get(dist, dist) if lang == "zh" else dist


def worlds_html(r: RobustResult, lang: str) -> str:
    """The uncertain parameters: what each is, its declared kind, and its range."""
    t = T[lang]
    rows = "".join(
        f'<tr><td class="l"><code>{_e(u.name)}</code></td>'
        f'<td class="l">{_e(param_text(u.name, lang) if u.name in BY_NAME else "")}</td>'
        f'<td class="l">{_e(_kind_text(u.name, lang))}</td><td>{u.lo:g}</td><td>{u.hi:g}</td>'
        f'<td class="l">{_e(_dist_text(u.dist, lang))}</td></tr>'
        for u in r.uncertain
    )
    head = "".join(f"<th class='l'>{t[k]}</th>" for k in ("param", "meaning", "kind"))
    return (
        f"<p class=note>{_e(t['worlds_note'])}</p><table><tr>{head}<th>{t['lo']}</th>"
        f"<th>{t['hi']}</th><th class='l'>{t['dist']}</th></tr>{rows}</table>"
    )


def provenance_html(r: RobustResult, lang: str) -> str:
    """Command, versions, seeds, world seed and scenario parameters."""
    t = T[lang]
    items = [
        (t["command"], f"<code>{_e(r.command or '(Python API)')}</code>"),
        (t["version"], _e(f"cogov-sim {sim.__version__}; {r.manifest.get('python', '')}")),
        (t["seeds"], _e(", ".join(map(str, r.seeds)))),
        (t["design_seed"], _e(r.design_seed)),
        (t["runs"], _e(len(r.runs))),
        (t["created"], _e(time.strftime("%Y-%m-%d %H:%M:%S %z"))),
    ]
    scen = "".join(
        f"<li><b>{_e(s.name)}</b>: {_e(s.path or 'built-in')} "
        f"<details><summary>parameters</summary><code>{_e(json.dumps(store.canonical(s.params)))}</code></details>"
        "</li>"
        for s in r.scenarios
    )
    return (
        "<table>"
        + "".join(f'<tr><th class="l">{_e(k)}</th><td class="l">{v}</td></tr>' for k, v in items)
        + f"</table><ul>{scen}</ul>"
    )


def render_html(r: RobustResult, figures: dict[str, bytes], attributions: list | None, lang: str = "en") -> str:
    """The whole report as one HTML string."""
    t = T[lang]
    intro = t["intro"].format(
        w=len(r.worlds), k=len(r.uncertain), origin=origin_text(r.origin, lang), s=len(r.seeds), ticks=r.ticks
    )
    drivers = "".join(_img(figures[k], k) for k in figures if k.startswith("drivers-"))
    if attributions:
        why = "".join(_img(figures[k], k) for k in figures if k.startswith("waterfall-"))
    else:
        why = f"<p class=note>{_e(t['why_none'].format(base=r.names[0]))}</p>"
    nominal = f"<p class=note>{_e(t['nominal_none'].format(s=len(r.seeds)))}</p>"
    if not r.nominal.table.empty:
        nominal = f"<p class=note>{_e(t['nominal_note'])}</p>{_outcome_rows(r.nominal, list(HEADLINE), lang)}"
    body = f"""
<h1>{_e(t["title"])}: {_e(" · ".join(r.names))}</h1>
<p>{_e(intro)}</p>
<h2>{_e(t["verdicts"])}</h2>{verdict_html(r, lang)}
<h2>{_e(t["wins"])}</h2><p class=note>{_e(t["wins_note"])}</p>{wins_table(r, lang)}
<h2>{_e(t["spread"])}</h2><p class=note>{_e(t["spread_note"])}</p>{_img(figures["spread"], t["spread"])}
<h3>{_e(t["pairs"])}</h3>{pairs_table(r, lang)}
<h2>{_e(t["regret"])}</h2><p class=note>{_e(t["regret_note"])}</p>{regret_html(r, lang)}
<h2>{_e(t["drivers"])}</h2><p class=note>{_e(t["drivers_note"])}</p>{drivers or "<p>–</p>"}
<h2>{_e(t["why"])}</h2>{why}
<h2>{_e(t["nominal"])}</h2>{nominal}
<h2>{_e(t["worlds"])}</h2>{worlds_html(r, lang)}
<h2>{_e(t["prov"])}</h2>{provenance_html(r, lang)}
"""
    return (
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{_e(t['title'])}</title><style>{CSS}</style></head><body>{body}</body></html>"
    )


def make_figures(r: RobustResult, attributions: list | None, lang: str, max_drivers: int = 6) -> dict[str, bytes]:
    """Spread of differences, driver plots of "it depends" verdicts, waterfalls."""
    from experiments.shapley import fig_waterfall

    with plt.rc_context():
        if lang == "zh":
            use_cjk_font()
        figs = {"spread": fig_spread(r, lang)}
        depends = [v for v in r.verdicts if v.kind == "depends" and v.drivers is not None][:max_drivers]
        for i, v in enumerate(depends):
            figs[f"drivers-{i}"] = fig_drivers(r, v, lang)
        for att in attributions or []:
            for o in HEADLINE[:4]:
                if o in att.totals:
                    figs[f"waterfall-{att.b}-{o}"] = fig_waterfall(att, o, _label(o, lang))
    return figs


def write_report(r: RobustResult, out: str | Path, lang: str = "en", attributions: list | None = None) -> Path:
    """Write the figures and the HTML report into ``out``; return the HTML path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    figures = make_figures(r, attributions, lang)
    suffix = "" if lang == "en" else f"-{lang}"
    for name, png in figures.items():
        (out / f"fig-robust-{name}{suffix}.png").write_bytes(png)
    path = out / f"robust-report{suffix}.html"
    store.atomic_write_bytes(path, render_html(r, figures, attributions, lang).encode("utf-8"))
    return path
