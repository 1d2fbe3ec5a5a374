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
        "setup": "Each scenario was run {n} times ({ticks} days each, from a cold start: nobody has taken "
        "part on day 0) with the same {n} random seeds (common random numbers: the same residents and "
        "the same first chance events). Once the policies make the runs diverge the draws differ too, "
        "so pairing by seed removes only part of the luck of the draw{crn}.",
        "setup_crn": ": here a median {vr} of the variance of the differences (correlation of paired runs "
        "{corr}), see the table",
        "setup_crn_few": "; how much cannot be measured here: that needs 3 or more seeds (this comparison has {n})",
        "setup_crn_flat": "; how much cannot be measured here: no tested outcome varied between the seeds",
        "headline": "Headline differences",
        "beyond": "Differences larger than the noise between runs",
        "within": "Differences within noise (could be chance across the {n} runs)",
        "none_beyond": "No headline outcome differs by more than the noise between runs.",
        "none_within": "None: every headline difference is larger than the noise.",
        "higher": "higher",
        "lower": "lower",
        "same": "the same",
        "sentence": "{label}: {value_b} under {b} against {value_a} under {a}, {diff} {dir} "
        "(CI of the difference {lo} to {hi}; d_z {dz}; adjusted p {p}).",
        "sentence_noise": "{label}: {value_b} under {b} against {value_a} under {a} "
        "(difference {diff}, 95% CI {lo} to {hi}; adjusted p {p}).",
        "equivalent": "{label}: {value_b} under {b} against {value_a} under {a}: equivalent within ±{delta} "
        "(difference {diff}, CI {lo} to {hi}; equivalence test adjusted p {p}).",
        "settled": "Settling after {ticks} days from a cold start (change of the mean over the last {k} days "
        "against the {k} days before, baseline): {items}.",
        "figures": "Figures",
        "fig_traj": "Outcomes over time: mean of the runs with 95% confidence band",
        "fig_final": "Outcomes at the end of the run: mean and 95% confidence interval",
        "fig_groups": "Who takes part and who is satisfied: breakdown by group (end of run, 95% CI)",
        "table": "Outcome table (end of run)",
        "table_note": "Mean and 95% confidence interval across runs of each outcome's run summary "
        "(column 'summary': flows summed over the run, levels averaged over the last {window} days, "
        "running totals on the last day); difference from the baseline ({base}) paired by seed, with "
        "its CI at the level that agrees with the adjustment; d_z = difference / standard deviation "
        "of the paired differences; p from a paired t-test. The headline outcomes form the "
        "confirmatory family ({m_conf} tests, Holm); the other outcomes are exploratory ({m_expl} "
        "tests, {corr}). 'noise' marks differences whose adjusted p is 0.05 or more. "
        "'CRN' is the share of the variance of the difference removed by pairing runs by seed. "
        "Not tested: {identical}.",
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
        "effect": "d_z",
        "summary": "Summary",
        "burn_in": "Burn-in: every run first simulated {b} days with the baseline's parameters (the "
        "community's structure, such as its size and organisations, was each scenario's own from the start; "
        "structural parameters that differ: {structural}); only the {ticks} days after it count, and day "
        "numbers include the burn-in.",
        "identical": "identical in every run: not tested",
        "equiv_tag": "equivalent",
        "settled_short": "Settling cannot be judged: the runs are too short ({ticks} days from a cold start) "
        "to compare the mean of the last {k} days with the {k} days before; that needs {need} or more days (--ticks).",
        "settled_na": "cannot be judged",
        "settled_yes": "settled",
        "settled_no": "still changing",
        "crn": "CRN",
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
        "setup": "每个情景运行 {n} 次（每次 {ticks} 天，从冷启动开始：第 0 天无人参与），"
        "各情景使用相同的 {n} 个随机种子（共同随机数：居民和最初的偶然事件相同）。"
        "政策使各次运行分化后，随机抽取也随之不同，因此按种子配对只消除了部分随机运气{crn}。",
        "setup_crn": "：本次差异方差的中位降幅为 {vr}（配对运行的相关系数 {corr}），详见表格",
        "setup_crn_few": "；消除了多少在此无法测算：需要 3 个或更多随机种子（本次比较为 {n} 个）",
        "setup_crn_flat": "；消除了多少在此无法测算：所检验的指标在各种子之间没有变化",
        "headline": "主要差异",
        "beyond": "超出运行间随机波动的差异",
        "within": "处于随机波动范围内的差异（可能只是 {n} 次运行的偶然结果）",
        "none_beyond": "没有哪个主要指标的差异超出运行间的随机波动。",
        "none_within": "无：所有主要差异都超出随机波动。",
        "higher": "更高",
        "lower": "更低",
        "same": "相同",
        "sentence": "{label}：{b} 下为 {value_b}，{a} 下为 {value_a}，{dir} {diff}"
        "（差异的置信区间 {lo} 至 {hi}；d_z {dz}；校正后 p {p}）。",
        "sentence_noise": "{label}：{b} 下为 {value_b}，{a} 下为 {value_a}"
        "（差异 {diff}，95%置信区间 {lo} 至 {hi}；校正后 p {p}）。",
        "equivalent": "{label}：{b} 下为 {value_b}，{a} 下为 {value_a}：在 ±{delta} 内等效"
        "（差异 {diff}，置信区间 {lo} 至 {hi}；等效检验校正后 p {p}）。",
        "settled": "从冷启动运行 {ticks} 天后的稳定情况（基准情景最后 {k} 天均值相对前 {k} 天的变化）：{items}。",
        "figures": "图表",
        "fig_traj": "指标随时间变化：各次运行的均值及95%置信带",
        "fig_final": "运行结束时的指标：均值及95%置信区间",
        "fig_groups": "谁在参与、谁满意：按群体分列（运行结束时，95%置信区间）",
        "table": "指标表（运行结束时）",
        "table_note": "各次运行汇总值（“汇总”列：流量指标为全程合计，存量指标为最后 {window} 天均值，"
        "累计指标为最后一天的值）的均值及95%置信区间；与基准（{base}）按种子配对的差异及与校正一致的置信区间；"
        "d_z = 差异 / 配对差异的标准差；p 值来自配对 t 检验。主要指标构成验证性检验族（{m_conf} 项，Holm），"
        "其余为探索性检验族（{m_expl} 项，{corr}）。“波动”表示校正后 p ≥ 0.05 的差异。"
        "“CRN”为按种子配对所消除的差异方差比例。未检验：{identical}。",
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
        "effect": "d_z",
        "summary": "汇总",
        "burn_in": "预热：每次运行先按基准情景的参数模拟 {b} 天（社区结构，如规模和组织，自始即为各情景自己的设定），"
        "各情景不同的结构参数：{structural}；只统计其后的 {ticks} 天；天数编号包含预热期。",
        "identical": "各次运行完全相同：未检验",
        "equiv_tag": "等效",
        "settled_short": "无法判断是否已稳定：运行太短（从冷启动起 {ticks} 天），"
        "无法将最后 {k} 天的均值与此前 {k} 天比较；需要 {need} 天或更长（--ticks）。",
        "settled_na": "无法判断",
        "settled_yes": "已稳定",
        "settled_no": "仍在变化",
        "crn": "CRN",
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


def scenario_description(scenario, lang: str = "en") -> str:
    """A scenario's one-line description in ``lang``: a built-in preset's from the dashboard's
    tables (``sim.dashboard.i18n.preset_description``); a user's file, even one named like a
    preset, keeps its own text."""
    from pathlib import Path

    from sim.dashboard.i18n import preset_description
    from sim.scenario import PRESET_DIR

    path = getattr(scenario, "path", None)
    if path is None or Path(path).resolve().parent != PRESET_DIR.resolve():
        return scenario.description
    return preset_description(scenario.name, scenario.description, lang)


def param_text(name: str, lang: str = "en") -> str:
    """A parameter's explanation in ``lang``, as the dashboard gives it: its meaning, in zh the
    Chinese meaning where one is written (``sim.dashboard.i18n.MEANING_ZH``), else its Chinese label."""
    from sim.dashboard.i18n import MEANING_ZH, param_label, param_meaning

    if lang == "zh" and name not in MEANING_ZH:
        return param_label(name, lang)
    return param_meaning(name, lang)
