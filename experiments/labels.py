"""Labels for figures and reports in English and Chinese (``--lang zh``).

Outcome labels in both languages come from the outcome declarations
(``sim.outcomes.OUTCOME_LABELS``: one catalogue for reports, figures and the dashboard).
"""

from __future__ import annotations

from sim.outcomes import EN_GROUP, OUTCOME_LABELS, OUTCOMES, ZH_GROUP
from sim.outcomes import outcome_label as _outcome_label
from sim.plotting import use_cjk_font  # noqa: F401  (re-exported for the report)

LANGS = ("en", "zh")


def outcome_label(name: str, lang: str = "en") -> str:
    """Short readable name of an outcome (from its declaration: ``sim.outcomes.OUTCOME_LABELS``)."""
    return _outcome_label(name, lang)


def outcome_meaning(name: str, lang: str = "en") -> str:
    """One-line meaning of an outcome (the declared English meaning, or the Chinese label)."""
    if lang == "zh" and name in OUTCOME_LABELS:
        return OUTCOME_LABELS[name][1]
    return OUTCOMES.get(name, name)


def group_label(group: str, lang: str = "en") -> str:
    """Name of a resident group."""
    return (ZH_GROUP if lang == "zh" else EN_GROUP).get(group, group)


TEXT = {
    "en": {
        "title": "Scenario comparison",
        "compared": "What was compared",
        "scenario": "Scenario",
        "description": "Description",
        "baseline": "baseline",
        "setup": "Each scenario was run {n} times ({ticks} days each) with the same {n} random seeds "
        "(common random numbers: the same residents and the same chance events wherever the "
        "scenarios do not differ), so differences come from the policies, not from luck of the draw.",
        "headline": "Headline differences",
        "beyond": "Differences larger than the noise between runs",
        "within": "Differences within noise (could be chance across the {n} runs)",
        "none_beyond": "No headline outcome differs by more than the noise between runs.",
        "none_within": "None: every headline difference is larger than the noise.",
        "higher": "higher",
        "lower": "lower",
        "same": "the same",
        "sentence": "{label}: {value_b} under {b} against {value_a} under {a}, {diff} {dir} "
        "(95% CI of the difference {lo} to {hi}; {effect} effect; adjusted p {p}).",
        "sentence_noise": "{label}: {value_b} under {b} against {value_a} under {a} "
        "(difference {diff}, 95% CI {lo} to {hi}; adjusted p {p}).",
        "effects": {"negligible": "negligible", "small": "small", "medium": "medium", "large": "large", "n/a": "no"},
        "figures": "Figures",
        "fig_traj": "Outcomes over time: mean of the runs with 95% confidence band",
        "fig_final": "Outcomes at the end of the run: mean and 95% confidence interval",
        "fig_groups": "Who takes part and who is satisfied: breakdown by group (end of run, 95% CI)",
        "table": "Outcome table (end of run)",
        "table_note": "Mean and 95% confidence interval across runs; difference from the baseline "
        "({base}) paired by seed, with its 95% CI; effect size d = difference / pooled "
        "standard deviation across runs; p from a paired t-test, adjusted with the {corr} "
        "method for the {m} comparisons made. 'noise' marks differences whose adjusted p "
        "is 0.05 or more.",
        "all_outcomes": "All outcomes",
        "assumptions": "Assumptions behind the scenarios",
        "assump_intro": "These parameters differ between the compared scenarios. Values marked "
        "'assumption' are not taken from the seed studies or field figures: the "
        "differences above depend on them.",
        "assump_count": "{k} of the {m} parameters that differ rest on assumptions.",
        "assump_shared": "The scenarios share the other {n} parameters, of which {k} are assumptions "
        "(behavioural weights and rates); see the provenance section for every value.",
        "param": "Parameter",
        "meaning": "Meaning",
        "source": "Source",
        "scen_sources": "Sources named by the scenario files",
        "provenance": "Provenance",
        "prov_intro": "Every number in this report can be reproduced with the command, version, seeds "
        "and parameters below.",
        "command": "Command",
        "version": "Software",
        "seeds": "Seeds",
        "ticks": "Days per run",
        "created": "Created",
        "runs": "Runs",
        "all_params": "All parameters of every scenario",
        "files": "Scenario files",
        "outcome": "Outcome",
        "mean": "Mean",
        "ci": "95% CI",
        "diff": "Difference",
        "effect": "Effect d",
        "p_adj": "Adjusted p",
        "noise": "noise",
        "day": "day",
        "group": "group",
        "how_to_read": "How to read this report",
        "how": "A single run of a stochastic model proves nothing: every figure here is the mean of "
        "{n} runs, and every range is a 95% confidence interval for that mean. A difference is "
        "called 'within noise' when, after allowing for the number of outcomes compared, it "
        "could plausibly be chance. 'Points' are percentage points.",
    },
    "zh": {
        "title": "情景比较",
        "compared": "比较内容",
        "scenario": "情景",
        "description": "说明",
        "baseline": "基准",
        "setup": "每个情景运行 {n} 次（每次 {ticks} 天），各情景使用相同的 {n} 个随机种子"
        "（共同随机数：凡情景之间没有差别之处，居民和偶然事件都相同），"
        "因此差异来自政策本身，而非随机运气。",
        "headline": "主要差异",
        "beyond": "超出运行间随机波动的差异",
        "within": "处于随机波动范围内的差异（可能只是 {n} 次运行的偶然结果）",
        "none_beyond": "没有哪个主要指标的差异超出运行间的随机波动。",
        "none_within": "无：所有主要差异都超出随机波动。",
        "higher": "更高",
        "lower": "更低",
        "same": "相同",
        "sentence": "{label}：{b} 下为 {value_b}，{a} 下为 {value_a}，{dir} {diff}"
        "（差异的95%置信区间 {lo} 至 {hi}；效应{effect}；校正后 p {p}）。",
        "sentence_noise": "{label}：{b} 下为 {value_b}，{a} 下为 {value_a}"
        "（差异 {diff}，95%置信区间 {lo} 至 {hi}；校正后 p {p}）。",
        "effects": {"negligible": "可忽略", "small": "小", "medium": "中等", "large": "大", "n/a": "无"},
        "figures": "图表",
        "fig_traj": "指标随时间变化：各次运行的均值及95%置信带",
        "fig_final": "运行结束时的指标：均值及95%置信区间",
        "fig_groups": "谁在参与、谁满意：按群体分列（运行结束时，95%置信区间）",
        "table": "指标表（运行结束时）",
        "table_note": "各次运行的均值及95%置信区间；与基准（{base}）按种子配对的差异及其95%置信区间；"
        "效应量 d = 差异 / 合并标准差；p 值来自配对 t 检验，并按 {corr} 方法对 {m} "
        "项比较做多重比较校正。“波动”表示校正后 p ≥ 0.05 的差异。",
        "all_outcomes": "全部指标",
        "assumptions": "情景背后的假设",
        "assump_intro": "以下参数在所比较的情景之间不同。标为“假设”的取值并非来自种子文献或实地数据，"
        "上述差异依赖于这些假设。",
        "assump_count": "在 {m} 个不同的参数中，有 {k} 个基于假设。",
        "assump_shared": "各情景共享其余 {n} 个参数，其中 {k} 个为假设（行为权重和比率）；全部取值见“数据来源”部分。",
        "param": "参数",
        "meaning": "含义",
        "source": "来源",
        "scen_sources": "情景文件所列来源",
        "provenance": "数据来源",
        "prov_intro": "本报告中的每个数字都可以用下列命令、版本、种子和参数重现。",
        "command": "命令",
        "version": "软件版本",
        "seeds": "随机种子",
        "ticks": "每次运行天数",
        "created": "生成时间",
        "runs": "运行次数",
        "all_params": "各情景全部参数",
        "files": "情景文件",
        "outcome": "指标",
        "mean": "均值",
        "ci": "95%置信区间",
        "diff": "差异",
        "effect": "效应量 d",
        "p_adj": "校正后 p",
        "noise": "波动",
        "day": "天",
        "group": "群体",
        "how_to_read": "如何阅读本报告",
        "how": "随机模型的单次运行说明不了任何问题：这里的每个数字都是 {n} 次运行的均值，"
        "每个区间都是该均值的95%置信区间。在考虑了所比较指标的数量之后，"
        "若某差异仍可能只是偶然，就称其“处于随机波动范围内”。“个百分点”指百分点。",
    },
}
