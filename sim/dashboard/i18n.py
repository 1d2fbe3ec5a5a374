"""English and Chinese labels of the dashboard.

``t(key, lang)`` looks up an interface string; ``param_label``,
``param_meaning``, ``section_label`` and ``series_label`` name parameters,
mechanisms and chart series. Parameter names and meanings in English come from
``sim.params`` itself; this module adds the Chinese ones. A missing Chinese
label falls back to English (the tests check that none is missing).
"""

from __future__ import annotations

from sim.outcomes import OUTCOME_LABELS
from sim.params import BY_NAME

LANGS = ("en", "zh")

UI: dict[str, tuple[str, str]] = {
    "title": ("Community co-governance simulator", "社区共治模拟器"),
    "language": ("Language", "语言"),
    "scenario": ("Scenario", "情景"),
    "scenario_a": ("Scenario A", "情景 A"),
    "scenario_b": ("Scenario B", "情景 B"),
    "seed": ("Seed", "随机种子"),
    "side_by_side": ("Side by side (same seed)", "并排对比(同一种子)"),
    "edit_run": ("Levers change", "调整对象"),
    "run": ("Run", "运行"),
    "pause": ("Pause", "暂停"),
    "step": ("Step", "单步"),
    "reset": ("Reset", "重置"),
    "speed": ("Days per update", "每次刷新推进天数"),
    "day": ("Day", "第"),
    "day_suffix": ("", "天"),
    "running": ("running", "运行中"),
    "paused": ("paused", "已暂停"),
    "residents": ("residents", "居民"),
    "map": ("Community map", "社区地图"),
    "map_colour": ("Colour buildings by", "楼栋着色指标"),
    "breakdown": ("Group breakdown", "分组"),
    "charts": ("Outcomes", "结果"),
    "levers": ("Policy levers", "政策杠杆"),
    "more_params": ("More parameters (behaviour, structure)", "更多参数(行为、结构)"),
    "at_reset": ("takes effect at reset", "重置后生效"),
    "changed": ("changed", "已修改"),
    "changes_note": (
        "Levers act from today; population, grids and organisation counts act at reset. "
        "A change of the points budget resizes this year's budget today; the government's "
        "co-funding budget is set anew on the run's anniversaries, so its change shows fully after Reset.",
        "杠杆从今天起生效;人口、网格和组织数量在重置后生效。积分兑换预算的修改当天调整本年度预算;"
        "政府共建资金预算在每个运行周年重新拨付,其修改在重置后才完全显现。",
    ),
    "undo_changes": ("Back to the scenario's values", "恢复情景原值"),
    "shock": ("Policy timeline", "政策时间表"),
    "service": ("Trust and voice that answer to service", "服务回应、信任与表达"),
    # the policy timeline panel (timeline_panel.py)
    "tl_note": (
        "Dated changes of this run: the scenario's and those added here. A change acts from its day; "
        "a ramp moves linearly from its first day's value to the target on its last day. Reset runs "
        "them all from day 0.",
        "本次运行按日安排的变化:情景自带的和在此添加的。变化自其日期起生效;渐变从起始日的取值"
        "线性变到结束日的目标值。重置后从第 0 天起全部重新执行。",
    ),
    "tl_none": ("No dated changes.", "没有按日安排的变化。"),
    "tl_day": ("day {day}", "第 {day} 天"),
    "tl_days": ("days {a}–{b}", "第 {a}–{b} 天"),
    "tl_set": ("set to", "设为"),
    "tl_ramp": ("ramp to", "渐变至"),
    "tl_planned": ("planned", "计划中"),
    "tl_under_way": ("under way", "进行中"),
    "tl_applied": ("applied", "已生效"),
    "tl_now": ("now", "当前"),
    "tl_remove": ("Remove", "删除"),
    "tl_when": ("Day (first day of a ramp)", "日期(渐变的起始日)"),
    "tl_param": ("Parameter", "参数"),
    "tl_value": ("Value from that day (a ramp's target)", "自该日起的取值(渐变的目标值)"),
    "tl_end": ("Ramp end day (empty: set on the day)", "渐变结束日(留空:当日设定)"),
    "tl_add": ("Add dated change", "添加按日变化"),
    "tl_fixed": ("fixed at the start", "开局固定"),
    "tl_newcomers": ("reaches newcomers only", "仅作用于新迁入居民"),
    "tl_count": ("{n} dated change(s)", "{n} 项按日变化"),
    "export": ("Export", "导出"),
    "export_folder": ("Export folder (a name inside the export folder)", "导出文件夹(导出目录内的名称)"),
    "exported": ("Written to {path}", "已写入 {path}"),
    "previous_run": ("previous run", "上一次运行"),
    "error": ("Error", "错误"),
    "memory_note": (
        "One model per browser tab: other users of this server are not affected.",
        "每个浏览器标签页各有一个模型,互不影响。",
    ),
    "none": ("none", "无"),
    "yes": ("on", "开"),
    "no": ("off", "关"),
    "estate": ("Estate", "小区"),
    "grid": ("grid", "网格"),
    "map_caption": (
        "Squares are buildings (楼栋) inside estates (小区); thick lines are grid boundaries (网格), "
        "labelled G1, G2, ...",
        "方块为楼栋,按小区分组;粗线为网格边界,标注 G1、G2 ……",
    ),
    "a_vs_b": ("solid: A, dashed: B", "实线:A,虚线:B"),
    "range": ("range", "范围"),
}

SECTIONS: dict[str, tuple[str, str]] = {
    "population": ("Population and structure", "人口与结构"),
    "matters": ("Matters and routing", "事项与分类处置"),
    "channels": ("Channels (how matters surface)", "诉求收集渠道"),
    "consultation": ("Consultation meetings", "协商议事"),
    "projects": ("Projects", "治理项目"),
    "incentives": ("Incentives (points, ranking, awards)", "激励(积分、排名、评选)"),
    "behaviour": ("Residents' behaviour", "居民行为"),
    "party": ("Party building", "党建引领"),
    "property": ("Property management", "物业管理"),
    "organisations": ("Social organisations", "社会组织"),
    "supervision": ("Supervision and responsibility", "监督与权责"),
    "disputes": ("Disputes and mediation", "纠纷与调解"),
    "norms": ("Norms", "公共规范"),
    "funding": ("Funding", "资金"),
    "technology": ("Technology and paperwork", "技术与数字负担"),
    "turnover": ("Turnover", "人口流动"),
    "shock": ("Policy timeline", "政策时间表"),
    "attitudes": ("Attitudes", "态度"),
    "cofunding": ("Co-funding of micro-projects", "居民众筹微项目"),
    "thresholds": ("Participation thresholds", "参与阈值"),
    "prices": ("Fines and payments", "罚款与报酬"),
}

# Chinese names of every parameter: from the declarations (Param.label_zh), the one catalogue
PARAM_ZH: dict[str, str] = {p.name: p.label_zh for p in BY_NAME.values() if p.label_zh}

# Chinese one-line explanations of the policy levers (others fall back to English); levers a
# mechanism declares bring theirs (Param.meaning_zh), added after this table.
MEANING_ZH: dict[str, str] = {
    "community_wealth": "社区自有收入的倍数(富裕社区与贫困社区)",
    "routing": "按类别分流:小事交志愿队和社会组织,难事交下沉干部和政府",
    "admin_load": "上级下压的行政事务占用两委时间的比例",
    "grid_walks": "网格员走访网格,当面收集事项",
    "building_listening": "楼栋长、党员在楼栋内逐户听取意见",
    "online_collection": "通过微信群、App 线上收集事项",
    "mobile_reporters": "快递员、外卖骑手作为移动网格员上报公共隐患",
    "households_per_grid_worker": "每名网格员负责的户数(决定网格员人数)",
    "meeting_cadence": "协商议事会议的频次",
    "resident_seats": "1+3+N 议事席位中的居民席位数",
    "meeting_mode": "线下议事厅、线上议事厅或两者兼有",
    "decision_rule": "会议如何作出决定",
    "feedback_loop": "把办理结果反馈给提出事项的居民",
    "prior_communication": "社会组织在活动前向居民解释说明",
    "government_cofunding": "政府承担的项目费用比例",
    "points": "志愿服务和反映问题可得积分,积分可兑换物品",
    "points_per_activity": "每参加一次活动获得的积分",
    "points_budget": "每个社区每年用于积分兑换的资金(每个周年补足;年中修改当天调整本年度预算)",
    "ranking": "公开积分排名(光荣榜)",
    "time_bank": "服务时长存入时间银行,日后兑换照护",
    "awards": "每月评选最美家庭等身边榜样",
    "home_visits_per_week": "每名党员每周走访的户数",
    "party_responsibility_zones": "党员在网格中认领责任区并牵头楼栋听访",
    "dispatched_cadres": "下沉到社区、承接难事的干部人数",
    "mobile_party_branch": "组织外来党员的流动党支部",
    "homeowners_committee": "小区设业主委员会,与物业协商公共收益",
    "volunteer_teams": "每个社区的志愿服务队数量",
    "professional_orgs": "专业服务型社会组织(养老、托育)数量",
    "informal_supervision": "熟人网络、面子和声誉维持规范的强度",
    "formal_supervision": "两委、物业与社会组织之间正式相互监督的强度",
    "inspections_per_month": "每月对物业和项目的检查次数",
    "third_party_evaluation": "独立第三方也对物业和项目打分",
    "evaluation_capture": "评估方被付费方俘获(评分失真)的概率",
    "responsibility_list": "权责清单:每件事都有明确的责任主体",
    "mediation": "社区能人、组织负责人和老党员调解纠纷(枫桥经验)",
    "mediators_per_1000": "开展调解时每千名居民的调解员数",
    "garbage_distance": "到最近垃圾投放点的步行距离",
    "government_grant": "政府每年拨给每个社区基金的资金",
    "platform_level": "信息平台覆盖度,决定线上渠道的作用(0 无,1 全覆盖)",
    "data_demanded": "上级每年要求每户采集录入的数据条数; 网格员的填表工时由此而来",
    "micro_grid_settling": "网格员和责任区党员在网格内就地解决小事、调解邻里纠纷, 时间受填表挤占",
    "alliance_units": "加入社区大党委的机关、学校、企业等共建单位数; 按计划投入资金、志愿者和场地",
    "firm_seat": "物业在“1+3+N”议事会上就座, 居民的物业投诉可促成其承诺整改",
    "capacity_dynamics": "两委工作人员、网格员和社会组织的能力随培训提高、随人员流失下降",
    "staff_training_share": "每年接受培训的两委工作人员和网格员比例",
    "org_training_share": "每年接受培训的社会组织骨干比例",
    "digital_training_per_1000": "每年每千名无数字技能的老年人中接受培训的人数",
    "training_paid_by": "培训费用由社区基金还是政府承担",
    "in_service_reporting": "在职党员到居住地社区报到并参加社区活动",
    "data_intensity": "个人数据采集强度(隐私侵扰损害信任)",
    "turnover": "每年被新居民替换的居民比例",
    "inclusion": "非户籍居民进入自治组织(如占自管会 30%)",
    "shock_tick": "政策冲击生效的日子(-1 表示无冲击)",
    "cofunding": "居民以小组为单位分轮众筹楼栋微项目(公共品博弈)",
    "group_size": "每个众筹小组的成员数",
    "cofunding_groups": "固定的邻里小组,或每轮在社区内随机重组",
    "peer_sanctions": "成员可自费惩罚出资少的人(相互监督)",
    "breach_fine": "被查获的失范行为的罚款(0 为不罚);有挤出效应时会把规范变成价格",
    "request_reward": "向接受组织邀请的居民支付的报酬(由社区基金支付)",
}
MEANING_ZH.update({p.name: p.meaning_zh for p in BY_NAME.values() if p.meaning_zh and p.name not in MEANING_ZH})

CHOICES_ZH: dict[str, str] = {
    "none": "不开会",
    "weekly": "每周(周周议)",
    "4-14-24": "逢四说事",
    "monthly": "每月",
    "quarterly": "每季度",
    "offline": "线下",
    "online": "线上",
    "mixed": "线上线下结合",
    "consensus": "协商一致",
    "majority": "多数决",
    "leadership": "领导决定",
    "resident": "每名成年居民",
    "household": "每户一人",
    "fixed": "固定小组",
    "rematched": "每轮重组",
    "logit": "逻辑选择",
    "threshold": "阈值规则",
    "even": "均匀间隔",
    "uniform": "均匀抽取",
    "normal": "正态抽取",
    "normal-even": "正态分位等距",
    "community": "社区",
    "building": "楼栋",
}

UNITS_ZH: dict[str, str] = {
    "communities": "个",
    "estates": "个",
    "households": "户",
    "residents": "人",
    "×": "倍",
    "matters/resident/year": "件/人/年",
    "matters/day": "件/天",
    "days": "天",
    "households/day": "户/天",
    "1/day": "/天",
    "seats": "席",
    "matters": "件",
    "yuan": "元",
    "projects": "个",
    "points": "分",
    "yuan/year": "元/年",
    "hours": "小时",
    "logit": "对数几率",
    "activities": "次",
    "households/week": "户/周",
    "cadres": "人",
    "yuan/month": "元/月",
    "1/month": "/月",
    "teams": "支",
    "organisations": "个",
    "groups": "个",
    "activities/month": "次/月",
    "inspections/month": "次/月",
    "mediators/1000": "人/千人",
    "m": "米",
    "1/year": "/年",
    "day": "天",
    "points/yuan": "分/元",
    "rounds": "轮",
    "members": "人",
}

# Chart series and map indicators.
SERIES: dict[str, tuple[str, str]] = {
    "participation": ("Adults taking part (last 30 days)", "参与率(近 30 天)"),
    "disputes": ("Disputes so far", "累计纠纷"),
    "matters": ("Matters so far", "累计事项"),
    "backlog": ("Open matters by class", "按类别的未结事项"),
    "satisfaction": ("Satisfaction (0–1)", "满意度(0–1)"),
    "trust": ("Trust (0–1)", "信任(0–1)"),
    "disputes_total": ("raised", "发生"),
    "escalations_total": ("escalated", "升级"),
    "mediated_total": ("mediated", "调解"),
    "disputes_open": ("open now", "未结"),
    "matters_raised": ("raised", "提出"),
    "matters_surfaced": ("surfaced", "被获知"),
    "matters_resolved": ("resolved", "解决"),
    "backlog_small": ("small", "小事"),
    "backlog_major": ("major", "大事"),
    "backlog_hard": ("hard", "难事"),
    "all": ("all adults", "全体成年人"),
    "elderly": ("elderly", "老年人"),
    "working": ("working age", "劳动年龄"),
    "owner": ("owners", "业主"),
    "renter": ("renters", "租户"),
    "local": ("locals", "本地户籍"),
    "migrant": ("migrants", "外来人口"),
    "party": ("Party members", "党员"),
    "nonparty": ("non-members", "非党员"),
    "trust_party_committee": ("Party committee", "党组织"),
    "trust_residents_committee": ("residents' committee", "居委会"),
    "trust_property_firm": ("property firm", "物业"),
    "trust_government": ("government", "政府"),
    "trust_social_orgs": ("social organisations", "社会组织"),
    "trust_grid_workers": ("grid workers", "网格员"),
    "day": ("day", "天"),
    "points_budget_left": ("points budget left", "积分预算余额"),
    # map indicators
    "ind_participation": ("participation", "参与率"),
    "ind_matters": ("open matters", "未结事项"),
    "ind_disputes": ("disputes (last 90 days)", "纠纷(近 90 天)"),
    "ind_trust": ("trust in residents' committee", "对居委会的信任"),
    "ind_satisfaction": ("satisfaction", "满意度"),
    # breakdowns
    "br_none": ("none", "不分组"),
    "br_age": ("age", "年龄"),
    "br_origin": ("origin", "户籍"),
    "br_tenure": ("tenure", "产权"),
    "br_party": ("Party membership", "党员身份"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "zh" and pair[1] else pair[0]


def t(key: str, lang: str = "en", **fmt: object) -> str:
    """Interface string ``key`` in ``lang`` ("en" or "zh"), formatted with ``fmt``."""
    text = _pick(UI[key], lang)
    return text.format(**fmt) if fmt else text


def section_label(section: str, lang: str = "en") -> str:
    """Name of a parameter section (a mechanism) for headings."""
    plain = section.replace("_", " ").capitalize()
    return _pick(SECTIONS.get(section, (plain, plain)), lang)


def param_label(name: str, lang: str = "en") -> str:
    """Short label of a parameter: its name in words, or its Chinese name."""
    if lang == "zh" and name in PARAM_ZH:
        return PARAM_ZH[name]
    return name.replace("_", " ")


def param_meaning(name: str, lang: str = "en") -> str:
    """One-line explanation of a parameter (English from the schema)."""
    if lang == "zh" and name in MEANING_ZH:
        return MEANING_ZH[name]
    return BY_NAME[name].meaning


def unit_label(unit: str, lang: str = "en") -> str:
    """A unit of measure in ``lang``."""
    if lang == "zh":
        return UNITS_ZH.get(unit, unit)
    return unit


def choice_label(choice: str, lang: str = "en") -> str:
    """A choice value (meeting cadence, mode, decision rule) in ``lang``."""
    if lang == "zh":
        return CHOICES_ZH.get(choice, choice)
    return choice


def series_label(key: str, lang: str = "en") -> str:
    """Label of a chart panel, series, map indicator or breakdown (outcomes: from their declarations)."""
    if key not in SERIES and key in OUTCOME_LABELS:
        return _pick(OUTCOME_LABELS[key], lang)
    return _pick(SERIES.get(key, (key.replace("_", " "), "")), lang)


# === lab branch (issue 14): presets, values and numbers in the page's language, "My community" ===
# Kept apart from the outcome labels above, which the module-contract branch rewrites.

UI_LAB: dict[str, tuple[str, str]] = {
    "both": ("both", "两者"),
    "download": ("Download (zip)", "下载(zip)"),
    "compare": ("Compare scenarios over several seeds", "多种子情景比较"),
    "compare_pick": ("Scenarios (2–4; the first is the baseline)", "情景(2–4 个,第一个为基线)"),
    "compare_mine": ("Add my levers (run A) as", "加入我的杠杆设置(运行 A),命名为"),
    "compare_seeds": ("Seeds", "随机种子数"),
    "compare_days": ("Days", "天数"),
    "compare_start": ("Start comparison", "开始比较"),
    "compare_upload": (
        "Drop a community profile (.xlsx, .csv) or a scenario file (.toml) here",
        "将社区档案(.xlsx、.csv)或情景文件(.toml)拖到这里",
    ),
    "compare_uploaded": ("Added {name} (kept in this tab only).", "已加入 {name}(仅保存在本标签页)。"),
    "compare_cancel": ("Cancel", "取消"),
    "compare_progress": ("{done} of {total} runs done", "已完成 {done}/{total} 次运行"),
    "compare_left": ("about {s:.0f} s left", "约剩 {s:.0f} 秒"),
    "compare_cancelled": ("Cancelled.", "已取消。"),
    "compare_beyond": ("Differences beyond the noise of the seeds", "超出种子间随机波动的差异"),
    "compare_within": ("Within the noise (not shown to differ)", "在随机波动范围内(未显示出差异)"),
    "compare_report": ("Report (HTML)", "报告(HTML)"),
    "compare_tables": ("Tables (zip)", "表格(zip)"),
    "compare_queue": (
        "Runs share the server's {n} run slots with other users; other tabs keep working.",
        "运行与其他用户共用服务器的 {n} 个运行槽位,其他标签页不受阻塞。",
    ),
    "compare_worlds": ("Worlds (0 = off)", "可能世界数(0 = 不用)"),
    "compare_worlds_help": (
        "Worlds > 0: every scenario also runs in that many plausible worlds (uncertain assumptions drawn "
        "over their declared ranges), and the answer says whether it is robust or depends on them.",
        "可能世界数 > 0:每个情景还在这么多个可能世界中运行(不确定的假设在其声明范围内抽样),"
        "结论会说明它是稳健的还是取决于这些假设。",
    ),
    "compare_summarising": ("computing the verdicts…", "正在计算结论……"),
    "compare_robust_title": ("Across {w} plausible worlds", "跨 {w} 个可能世界"),
    "verdict_robust": ("Robust", "稳健"),
    "verdict_depends": ("It depends", "视情况而定"),
    "verdict_no_difference": ("No difference beyond noise", "无超出噪声的差异"),
    "compare_nominal": (
        "At the scenarios' own values (one set of assumptions), over the seeds:",
        "在各情景自身的参数取值下(同一组假设),各种子之间:",
    ),
    "compare_bands": (
        "Headline outcomes: mean over the seeds with its 95% band",
        "主要结果:各种子的平均值及其 95% 区间",
    ),
    "compare_choose": ("Choose a file…", "选择文件…"),
    "state": ("Workshop: save or open this page", "工作坊:保存或打开本页设置"),
    "state_save": ("Save page state", "保存页面设置"),
    "state_open": ("Drop a saved page state here", "将保存的页面设置文件拖到这里"),
    "state_opened": ("Opened {name}: runs restart at day 0.", "已打开 {name}:运行从第 0 天重新开始。"),
    "summary_day": ("Day", "天数"),
    "summary_run": ("Run", "运行"),
    "summary_note": (
        "One seed: differences between A and B may be chance. For an answer with its certainty use "
        "several seeds (cogov compare).",
        "仅一个随机种子:A 与 B 的差异可能出于偶然。需要带置信度的结论,请使用多个种子(cogov compare)。",
    ),
    "stop_day": ("Stop at day", "运行至第几天"),
    "stopped_at": (
        "Stopped at day {day}: raise 'Stop at day' to go on.",
        "已在第 {day} 天停止;调大“运行至第几天”可继续。",
    ),
    "community": ("My community", "我的社区"),
    "community_note": (
        "The facts of your community (from its ledger, 台账). They take effect at Reset.",
        "本社区的基本情况(来自台账),重置后生效。",
    ),
    "community_apply": ("Apply and reset", "应用并重置"),
    "per_household": ("{x:.2f} residents per household", "每户 {x:.2f} 人"),
    "plausible": ("Looks plausible.", "数据看来合理。"),
    "warn_per_household": (
        "{x:.2f} residents per household is unusual (Chinese urban households: 2.0–3.5).",
        "每户 {x:.2f} 人不常见(中国城镇家庭户规模约 2.0–3.5 人)。",
    ),
    "warn_age": (
        "Children and elderly together are {x:.0%} of residents: fewer than a third of working age.",
        "儿童与老年人合计占 {x:.0%},劳动年龄人口不足三分之一。",
    ),
    "warn_buildings": (
        "{n} buildings for {e} estates: fewer than one building per estate.",
        "{e} 个小区只有 {n} 栋楼,不足每个小区一栋。",
    ),
    "warn_party": (
        "{x:.0%} Party members is far above the national share (about 7%).",
        "党员占 {x:.0%},远高于全国比例(约 7%)。",
    ),
    "warn_capable": (
        "{x:.1%} capable residents is many (X community: 0.31%).",
        "社区能人占 {x:.1%},偏多(X 社区为 0.31%)。",
    ),
}

PRESET_ZH: dict[str, tuple[str, str]] = {
    "five-micro": ("五微共享", "五微:微组织、微服务、微宣传、微平台、微网格"),
    "governance-partners": ("治理合伙人", "X 社区治理合伙人:按类分流、三条渠道、每周议事、积分、调解"),
    "government-led": ("政府主导", "自上而下的基线:两委包揽一切,只有网格走访,无议事会、积分或调解"),
    "hangzhou-sachet": ("杭州香包", "杭州的失败案例:社会组织未经沟通就开展活动,能力参差且偏低"),
    "licheng-garbage": ("历城垃圾分类", "历城的失败案例:第 90 天取消垃圾分类积分,居民须步行 400 米"),
    "people-centred": ("以人民为中心", "以人民为中心:平台均衡,线上线下渠道并用,混合议事,文书和数据采集较轻"),
    "share-bear-win": (
        "共担共享共赢",
        "共担共享共赢:积分、排名、时间银行、评优,70/25/5 资金分配,移动上报员,流动党支部",
    ),
    "technology-led": ("技术主导", "技术主导:强平台和线上收集,繁重的数据采集和文书,很少面对面"),
    "three-chiefs": ("三长一网", "三长一网:楼栋长、微信工作群、大党委,外来人口进入居委会"),
    "xian-renovation": ("西安老旧小区改造", "西安的失败案例:30% 自筹,每月检查一次,无权责清单,3 个月项目"),
}


def t_lab(key: str, lang: str = "en", **fmt: object) -> str:
    """Interface string of the lab block (same rules as ``t``)."""
    text = _pick(UI_LAB[key], lang)
    return text.format(**fmt) if fmt else text


# presets and sections added with the wave-2 mechanisms (issues 10 and 11)
PRESET_ZH.update(
    {
        "capacity-building": (
            "能力建设",
            "能力建设:每年培训一半的两委工作人员、网格员和社会组织骨干,为离线老人提供数字技能培训",
        ),
        "community-fund": ("社区基金", "社区基金:居民按公益心、归属感和信任捐款,政府按比例配捐(设年度上限),资助微项目"),
        "licheng-garbage-remedied": (
            "历城垃圾分类(补救)",
            "历城的补救版:改变前征询居民意见,分类运输,定期评估并调整",
        ),
    }
)
SECTIONS.update(
    {
        "waste": ("Waste sorting", "垃圾分类"),
        "capacity": ("Capacity building", "能力建设"),
        "microgrid": ("Micro-grids", "微网格"),
        "service": ("Trust and voice that answer to service", "服务回应与信任"),
        "rules": ("Community rules", "社区公约"),
        "requests": ("Requests at the end of activities", "活动结束时的请求"),
        "alliance": ("Party-building alliance", "党建联盟"),
    }
)

# sections and units of the issue 11 items 7, 9 and 11 mechanisms (partners, outreach, collaboration)
SECTIONS.update(
    {
        "partners": ("Governance partners", "治理合伙人"),
        "collaboration": ("Whether collaboration lasts", "协同的持续性"),
        "outreach": ("Outreach and information", "宣传与信息"),
    }
)
UNITS_ZH.update({"talks/month": "场/月"})


def preset_label(name: str, lang: str = "en") -> str:
    """A preset's name for menus: Chinese name with the id in zh, the id in en; a file's name as is."""
    if lang == "zh" and name in PRESET_ZH:
        return f"{PRESET_ZH[name][0]} ({name})"
    return name


def preset_description(name: str, english: str, lang: str = "en") -> str:
    """A preset's one-line description in ``lang`` (English from the scenario file)."""
    if lang == "zh" and name in PRESET_ZH:
        return PRESET_ZH[name][1]
    return english


def num_text(x: float, lang: str = "en") -> str:
    """A number for people: 60000.0 -> "60,000" (en) or "6万" (zh); 1e9 -> "1,000,000,000" / "10亿"."""
    x = float(x)
    if x != x or x in (float("inf"), float("-inf")):
        return str(x)
    if lang == "zh" and abs(x) >= 1e4 and x.is_integer():
        for size, word in ((1e8, "亿"), (1e4, "万")):
            if abs(x) >= size:
                return f"{x / size:,.4g}{word}"
    if x.is_integer():
        return f"{int(x):,}"
    return f"{x:,.6g}"


def value_text(name: str, value: object, lang: str = "en") -> str:
    """A parameter's value as the page shows it: on/off, labelled choices, %, readable numbers, shocks."""
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, list) and name == "timeline":  # the dashboard keeps a changed timeline whole
        return t("tl_count", lang, n=len(value))
    if isinstance(value, dict):
        if not value:
            return t("none", lang)
        return "; ".join(f"{param_label(k, lang)} = {value_text(k, v, lang)}" for k, v in value.items())
    if isinstance(value, str):
        return choice_label(value, lang)
    if isinstance(value, int | float):
        p = BY_NAME.get(name)
        if p is not None and name.startswith("share_") and p.hi is not None and p.hi <= 1:
            return f"{float(value) * 100:.4g}%"
        unit = unit_label(p.unit, lang) if p is not None and p.unit not in ("", "×", "logit") else ""
        return num_text(value, lang) + (f" {unit}" if unit and lang == "en" else unit)
    return str(value)


def range_text(lo: float | None, hi: float | None, lang: str = "en", share: bool = False) -> str:
    """An allowed range in words: "0–1,000,000,000" (en), "0–10亿" (zh), "0–100%" for shares."""
    if lo is None or hi is None:
        return ""
    if share:
        return f"{lo * 100:g}–{hi * 100:g}%"
    return f"{num_text(lo, lang)}–{num_text(hi, lang)}"


# Chinese explanations of the levers added with the failure cases (issue 11 items 1, 3, 6)
MEANING_ZH.update(
    {
        "waste_sorting": "要求居民在垃圾投放点分类投放生活垃圾",
        "mixed_transport": "某小区已分类的垃圾在运输中被混合的每日概率",
        "waste_consulted": "调整垃圾投放点前先征询居民需求,步行距离控制在多数居民可接受范围内",
        "waste_evaluation": "定期评估分类质量,不达标时安排调整",
        "three_party_channel": "居委会、物业和施工方之间有解决现场问题的沟通机制",
        "committee_enforcement": "居委会有权督促施工方按期完成(执法权)",
        "end_request_share": "活动结束时请参与者把所做物品交给他人(如香包)的活动比例",
    }
)

# units of the wave-2 parameters (issues 10 and 11)
UNITS_ZH.update(
    {
        "1/sd": "每标准差",
        "activities/unit/year": "次/单位/年",
        "days/year": "天/年",
        "entries/household/year": "条/户/年",
        "hours/entry": "小时/条",
        "hours/matter": "小时/件",
        "hours/week": "小时/周",
        "months": "个月",
        "sd": "标准差",
        "staff": "人",
        "trainees/1000/year": "人/千人/年",
        "units": "个单位",
        "volunteers": "名志愿者",
        "yuan/trainee": "元/人",
        "yuan/unit/year": "元/单位/年",
    }
)

# choices of the wave-2 parameters
CHOICES_ZH.update(
    {
        "above": "上级规定",
        "committee": "居委会制定",
        "meeting": "议事会议制定",
        "inherit": "随总公约",
        "fund": "社区基金",
        "government": "政府",
    }
)
