"""The parameter schema: the single source of every scenario parameter.

Validation, defaults, units, ranges, sources, CLI help, dashboard controls and
the ODD parameter table are all generated from ``PARAMS``. Each parameter
belongs to one section (a mechanism or a structural part of the model); in a
scenario file it is written inside that section, as a flat keyword it is
passed to ``CommunityModel`` or ``load_scenario``.

Sources cite the seed papers in ``shared/seeds`` ("seed 002 §2" means the
second section of seed file 002) or the field figures in
``shared/data/field-figures.csv``; everything else is marked "assumption".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CADENCES = ("none", "weekly", "4-14-24", "monthly", "quarterly")
MEETING_MODES = ("offline", "online", "mixed")
DECISION_RULES = ("consensus", "majority", "leadership")


@dataclass(frozen=True)
class Param:
    """One scenario parameter.

    Attributes:
        name: flat keyword, unique across sections.
        section: scenario-file section (mechanism) it belongs to.
        default: value used when no scenario sets it.
        kind: "int", "float", "bool", "choice" or "table" (a table of overrides).
        lo, hi: inclusive bounds for numbers.
        choices: allowed values for "choice".
        unit: unit of measure, "" for shares and flags.
        meaning: one line for help texts and the ODD table.
        source: seed file and section, field figure, or "assumption".
        lever: True for policy levers (shown first in the dashboard); False
            for behavioural uncertainties and structure.
    """

    name: str
    section: str
    default: Any
    kind: str
    meaning: str
    source: str
    unit: str = ""
    lo: float | None = None
    hi: float | None = None
    choices: tuple = field(default_factory=tuple)
    lever: bool = False

    def allowed(self) -> str:
        """Describe the allowed values in words, for error messages."""
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "table":
            return "a table of parameter overrides"
        what = "an integer" if self.kind == "int" else "a number"
        return f"{what} in [{_fmt(self.lo)}, {_fmt(self.hi)}]"


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{x:g}"


def _p(name, section, default, kind, meaning, source, unit="", lo=None, hi=None,
       choices=(), lever=False) -> Param:
    return Param(name, section, default, kind, meaning, source, unit, lo, hi,
                 tuple(choices), lever)


A = "assumption"

PARAMS: list[Param] = [
    # --- population and structure -------------------------------------------------
    _p("n_communities", "population", 1, "int", "communities simulated; more than 1 makes a district sharing one government budget", "seed 003 §1(一) (Meilie: big Party committees in 26 communities)", "communities", 1, 200),
    _p("estates", "population", 4, "int", "estates (小区) per community", "seed 002 §2 (X: 4 estates)", "estates", 1, 50),
    _p("households", "population", 7191, "int", "households per community", "seed 002 §2 (X: 7,191 households)", "households", 10, 200_000),
    _p("residents", "population", 21235, "int", "residents per community", "seed 002 §2 (X: 21,235 residents)", "residents", 10, 1_000_000),
    _p("households_per_building", "population", 24, "int", "households per building (楼栋)", A, "households", 1, 500),
    _p("share_children", "population", 0.15, "float", "share of residents under 18", A, "", 0.0, 0.6),
    _p("share_elderly", "population", 0.20, "float", "share of residents aged 60+", A, "", 0.0, 0.8),
    _p("share_renters", "population", 0.25, "float", "share of households renting", A, "", 0.0, 1.0),
    _p("share_migrants", "population", 0.15, "float", "share of residents from elsewhere (non-local hukou)", "assumption (seed 003 §1(三) gives Wengdun's yearly inflow of 20%+, not a stock share)", "", 0.0, 1.0),
    _p("share_party", "population", 0.07, "float", "share of residents who are Party members (all of them adults)", A, "", 0.0, 0.5),
    _p("share_capable", "population", 0.0031, "float", "share of residents who are 'capable residents' (社区能人): skilled, respected, can lead and mediate", "seed 002 §2 一是 (X: 65 capable residents of 21,235)", "", 0.0, 0.2),
    _p("digital_access_elderly", "population", 0.35, "float", "share of elderly residents with usable digital access", "seed 004 §3(二) (the elderly and low-income are the digitally weak); value assumption", "", 0.0, 1.0),
    _p("digital_access_others", "population", 0.92, "float", "share of non-elderly residents with usable digital access", A, "", 0.0, 1.0),
    _p("mean_public_spirit", "population", 0.30, "float", "mean intrinsic public spirit (Beta-distributed, 0–1)", A, "", 0.01, 0.99),
    _p("community_wealth", "population", 1.0, "float", "multiplier on the community's grant and service income (rich vs poor communities)", "seed 000 §4.1.2 (uneven resources); value assumption", "×", 0.1, 5.0, lever=True),
    # --- matters and routing --------------------------------------------------------
    _p("matter_rate", "matters", 0.15, "float", "matters (needs, complaints, hazards) raised per resident per year", A, "matters/resident/year", 0.0, 20.0),
    _p("share_small", "matters", 0.60, "float", "share of matters that are small (caring, family quarrels)", "seed 002 §2 二是 (small/major/hard classes); shares assumption", "", 0.0, 1.0),
    _p("share_major", "matters", 0.30, "float", "share of matters that are major (environment, facilities, parking)", "seed 002 §2 二是; share assumption", "", 0.0, 1.0),
    _p("share_hard", "matters", 0.10, "float", "share of matters that are hard (beyond the community)", "seed 002 §2 二是; share assumption", "", 0.0, 1.0),
    _p("share_public", "matters", 0.35, "float", "share of matters that are public hazards visible from outside (mobile reporters can see them)", A, "", 0.0, 1.0),
    _p("routing", "matters", False, "bool", "route matters by class: small → volunteer teams and social organisations, hard → dispatched cadres and government (major matters go to meetings whenever meetings sit, routing or not)", "seed 002 §2 二是 (分类分责: hard → 下沉干部, registered members, outdoor workers; government as a resolver is an assumption)", lever=True),
    _p("committee_capacity", "matters", 8.0, "float", "matters the two committees (两委) can settle per day per community when fully free", A, "matters/day", 0.0, 200.0),
    _p("admin_load", "matters", 0.5, "float", "share of the committees' time eaten by administrative work pushed down from above", "seed 002 §1 二是 (residents' committee carries heavy administrative work); value assumption", "", 0.0, 0.95, lever=True),
    _p("patience_days", "matters", 45, "int", "days an unresolved matter is tolerated before it becomes a grievance that can turn into a dispute", A, "days", 1, 3650),
    # --- channels -------------------------------------------------------------------
    _p("grid_walks", "channels", True, "bool", "grid workers walk their grid and collect matters face to face (网格走访)", "seed 002 §2 二是 (网格走访, daily); seed 000 §2.1.5", lever=True),
    _p("building_listening", "channels", False, "bool", "building chiefs / Party members listen door to door in their building (楼栋听访)", "seed 002 §2 二是 (楼栋听访 by building Party leaders); seed 003 §1(二) (building chiefs)", lever=True),
    _p("online_collection", "channels", False, "bool", "matters collected online (WeChat groups, apps: 线上集访)", "seed 002 §2 二是 (线上集访: WeChat groups, phone); seed 003 §1(二) (WeChat work group)", lever=True),
    _p("mobile_reporters", "channels", False, "bool", "couriers and delivery riders report public hazards as mobile grid workers", "seed 001 §3 二是 (couriers and riders as 移动网格员)", lever=True),
    _p("households_per_grid_worker", "channels", 300, "int", "households per grid worker (sets the number of grid workers)", "assumption (typical grids of 300–500 households)", "households", 30, 5000, lever=True),
    _p("grid_visits_per_day", "channels", 12, "int", "households a grid worker can visit in a full working day", A, "households/day", 0, 200),
    _p("listening_rate", "channels", 0.02, "float", "daily chance that building listening reaches a given resident who is at home", A, "1/day", 0.0, 1.0),
    _p("online_report_rate", "channels", 0.04, "float", "daily chance that a digitally connected resident reports a pending matter online, at full platform level", A, "1/day", 0.0, 1.0),
    _p("mobile_report_rate", "channels", 0.05, "float", "daily chance that a pending public hazard is reported by a mobile reporter", A, "1/day", 0.0, 1.0),
    _p("self_report_rate", "channels", 0.004, "float", "daily chance that a resident walks into the committee office to report a matter unprompted", A, "1/day", 0.0, 1.0),
    # --- consultation ---------------------------------------------------------------
    _p("meeting_cadence", "consultation", "none", "choice", "how often consultation meetings (协商议事) sit", "seed 002 §2 四是 (周周议 weekly, 逢四说事; the days 4th/14th/24th are our reading); seed 000 §5.1 (monthly, quarterly)", choices=CADENCES, lever=True),
    _p("resident_seats", "consultation", 7, "int", "N in the 1+3+N seats: resident seats per meeting", "seed 000 §5.5.1 (1+3+N; N not given, value assumption)", "seats", 0, 200, lever=True),
    _p("meeting_mode", "consultation", "offline", "choice", "offline hall, online hall, or both", "seed 000 §5.2.2 (elders' hall vs online hall)", choices=MEETING_MODES, lever=True),
    _p("agenda_size", "consultation", 4, "int", "major matters deliberated per meeting", A, "matters", 1, 100),
    _p("decision_rule", "consultation", "majority", "choice", "how a meeting decides", A, choices=DECISION_RULES, lever=True),
    _p("feedback_loop", "consultation", False, "bool", "close the loop: results are fed back to the residents who raised the matter", "seed 002 §2 四是 (loop 问题-商议-办理-落实; 有反馈 named separately)", lever=True),
    _p("prior_communication", "consultation", True, "bool", "organisations explain activities to residents before launch (without it, more invited residents refuse)", "seed 000 §4.2.2 (Hangzhou sachets refused without prior communication)", lever=True),
    # --- projects -------------------------------------------------------------------
    _p("project_cost", "projects", 25000.0, "float", "mean cost of a governance project (micro-renovation etc.)", A, "yuan", 0.0, 1e8),
    _p("project_days", "projects", 90, "int", "planned duration of a project", "seed 000 §4.1.3 (3-month renovation)", "days", 1, 3650),
    _p("government_cofunding", "projects", 0.30, "float", "share of a project's cost paid by government", "seed 000 §4.1.3 (30% co-funding)", "", 0.0, 1.0, lever=True),
    _p("project_share", "projects", 0.25, "float", "share of agreed problems that need a funded project; the rest are implemented by the handlers within implement_days", A, "", 0.0, 1.0),
    _p("implement_days", "projects", 14, "int", "planned days to implement an agreed problem that needs no funded project", A, "days", 1, 365),
    _p("max_open_projects", "projects", 4, "int", "projects a community can run at once", A, "projects", 0, 100),
    # --- incentives -----------------------------------------------------------------
    _p("points", "incentives", False, "bool", "points for service and reporting, redeemable for goods (积分)", "seed 001 §2 一是; seed 002 §2 三是", lever=True),
    _p("points_per_activity", "incentives", 10.0, "float", "points earned per activity", "field figures (10–600 points per activity)", "points", 0.0, 600.0, lever=True),
    _p("yuan_per_point", "incentives", 1.0, "float", "money value of one point at redemption", "field figures (¥1 per point, Yandu 2021)", "yuan", 0.0, 100.0),
    _p("points_budget", "incentives", 60000.0, "float", "money available for redeeming points per community per year (refilled on each anniversary)", A, "yuan/year", 0.0, 1e9, lever=True),
    _p("redeem_threshold", "incentives", 40.0, "float", "points a resident gathers before redeeming an item", "field figures (≈40 points per item, Shenzhen)", "points", 1.0, 10000.0),
    _p("redeem_rate", "incentives", 0.05, "float", "daily chance that a resident above the threshold redeems", A, "1/day", 0.0, 1.0),
    _p("ranking", "incentives", False, "bool", "public ranking of points (honour roll)", "seed 001 §2 一是 (排名公示); seed 002 §2 三是 (honour roll)", lever=True),
    _p("time_bank", "incentives", False, "bool", "hours of service banked for later care (time bank)", "seed 001 §2 一是; field figures", lever=True),
    _p("time_bank_cap", "incentives", 1500.0, "float", "most hours one account can hold", "field figures (Nanjing 2019)", "hours", 1.0, 100000.0),
    _p("awards", "incentives", False, "bool", "monthly role-model awards ('most beautiful family')", "seed 001 §2 一是 (最美家庭评选); seed 000 §5.5.3; seed 002 §2 三是 (身边好人); monthly cadence assumption", lever=True),
    _p("crowding_out", "incentives", True, "bool", "extrinsic rewards crowd out intrinsic public spirit", "assumption (motivation crowding theory)"),
    _p("crowding_strength", "incentives", 0.5, "float", "largest share of public spirit rewards can crowd out", A, "", 0.0, 1.0),
    _p("crowding_rate", "incentives", 0.03, "float", "daily speed at which every resident's public spirit erodes towards the crowded-out level while points are offered", A, "1/day", 0.0, 1.0),
    _p("reward_half_value", "incentives", 20.0, "float", "reward per activity (yuan) at which its pull on participation is half its maximum", A, "yuan", 0.1, 10000.0),
    # --- behaviour (uncertainties) -------------------------------------------------------
    _p("base_logit", "behaviour", -9.54, "float", "baseline log-odds of joining a community activity on a given day", "calibrated: SMM fit to X's 5.6% registered volunteers after a year under governance-partners (seed 002 §2; docs/validation.md, case 1)", "logit", -20.0, 5.0),
    _p("w_public_spirit", "behaviour", 3.0, "float", "weight of intrinsic public spirit in the participation choice", A, "logit", 0.0, 20.0),
    _p("w_belonging", "behaviour", 1.5, "float", "weight of sense of belonging", A, "logit", 0.0, 20.0),
    _p("w_trust", "behaviour", 1.0, "float", "weight of trust in the community's organisers", A, "logit", 0.0, 20.0),
    _p("w_free_time", "behaviour", 1.5, "float", "weight of free time", A, "logit", 0.0, 20.0),
    _p("w_reward", "behaviour", 2.0, "float", "weight of the expected material reward (scaled by reward sensitivity)", A, "logit", 0.0, 20.0),
    _p("w_social", "behaviour", 2.0, "float", "weight of the share of building neighbours recently active (neighbours lead neighbours)", "seed 001 §2 二是 (邻居带邻居); weight assumption", "logit", 0.0, 20.0),
    _p("w_status", "behaviour", 0.8, "float", "weight of public ranking for status-seeking residents", A, "logit", 0.0, 20.0),
    _p("w_mobilised", "behaviour", 1.2, "float", "boost after a Party member's home visit", "seed 000 §5.1; weight assumption", "logit", 0.0, 20.0),
    _p("w_dissatisfaction", "behaviour", 1.0, "float", "penalty of dissatisfaction with the community on participation", A, "logit", 0.0, 20.0),
    _p("volunteer_after", "behaviour", 6, "int", "activities after which a resident registers as a volunteer", A, "activities", 1, 100),
    _p("activity_window", "behaviour", 30, "int", "days over which a resident counts as participating after an activity", A, "days", 1, 365),
    # --- Party members --------------------------------------------------------------
    _p("home_visits_per_week", "party", 0.0, "float", "households each Party member visits per week", "seed 000 §5.1 (at least 5 households a week)", "households/week", 0.0, 50.0, lever=True),
    _p("party_responsibility_zones", "party", False, "bool", "Party members hold responsibility zones in grids and lead building listening (党员责任区)", "seed 000 §5.5.5 (党员责任区); seed 002 §2 二是 (building Party leaders listen)", lever=True),
    _p("party_duty_boost", "party", 1.0, "float", "extra participation log-odds of Party members (duty and standing)", "seed 001 §2 二是 (党员带群众); value assumption", "logit", 0.0, 10.0),
    _p("dispatched_cadres", "party", 0, "int", "cadres dispatched down to the community (下沉干部), who take hard matters", "seed 002 §2 一是, 二是 (下沉干部 take hard matters); count assumption", "cadres", 0, 500, lever=True),
    _p("mobile_party_branch", "party", False, "bool", "mobile Party branch that organises migrant Party members", "seed 001 §1 一是 (流动党支部)", lever=True),
    # --- property management ------------------------------------------------------------
    _p("property_fee", "property", 120.0, "float", "monthly property fee per household", A, "yuan/month", 0.0, 5000.0),
    _p("firm_profit_motive", "property", 0.6, "float", "how strongly the firm trades service for profit (profit over governance)", "seed 002 §1 一是 (盈利大于治理); value assumption", "", 0.0, 1.0),
    _p("homeowners_committee", "property", True, "bool", "estates have homeowners' committees (业委会) that bargain over shared revenue", "seed 002 §1 一是; seed 002 §2 四是 (revenue quarrels)", lever=True),
    _p("revenue_dispute_rate", "property", 0.08, "float", "monthly chance of a shared-revenue dispute between firm and homeowners' committee when nothing is transparent", "seed 002 §2 四是 (公共收益分成 quarrels); value assumption", "1/month", 0.0, 1.0),
    # --- social organisations ---------------------------------------------------------------
    _p("volunteer_teams", "organisations", 12, "int", "volunteer teams per community", "seed 002 §2 一是 (X: 12 teams)", "teams", 0, 500, lever=True),
    _p("professional_orgs", "organisations", 2, "int", "professional service organisations (elderly care, tutoring)", A, "organisations", 0, 200, lever=True),
    _p("interest_groups", "organisations", 6, "int", "interest groups (square dance, chess)", A, "groups", 0, 500),
    _p("org_capacity", "organisations", 0.8, "float", "small matters one organisation can settle per day at full skill", A, "matters/day", 0.0, 50.0),
    _p("org_skill_mean", "organisations", 0.6, "float", "mean skill of organisations", "seed 000 §4.2.2 (uneven skill); value assumption", "", 0.0, 1.0),
    _p("org_skill_spread", "organisations", 0.2, "float", "spread of skill across organisations", "seed 000 §4.2.2; value assumption", "", 0.0, 0.5),
    _p("org_friction_rate", "organisations", 0.01, "float", "daily growth of internal friction (resources, credit) when funding is short", "seed 000 §4.2.1; value assumption", "1/day", 0.0, 1.0),
    _p("activities_per_month", "organisations", 1.0, "float", "activities each organisation launches per month", A, "activities/month", 0.0, 30.0),
    _p("refusal_without_communication", "organisations", 0.5, "float", "share of invited residents who refuse an activity launched without prior communication, at zero trust", "seed 000 §4.2.2; value assumption", "", 0.0, 1.0),
    # --- supervision ----------------------------------------------------------------------
    _p("informal_supervision", "supervision", 0.5, "float", "strength of acquaintance networks, face and reputation in keeping norms", "seed 000 §3.4; value assumption", "", 0.0, 1.0, lever=True),
    _p("formal_supervision", "supervision", 0.5, "float", "strength of mutual formal supervision among committees, firm and organisations", "seed 000 §3.4; value assumption", "", 0.0, 1.0, lever=True),
    _p("inspections_per_month", "supervision", 4.0, "float", "inspections of firms and projects per month", "seed 000 §4.1.3 (Xi'an: fewer than 2); default 4 assumption", "inspections/month", 0.0, 60.0, lever=True),
    _p("third_party_evaluation", "supervision", False, "bool", "an independent evaluator also rates firms and projects", "seed 004 §3(三); seed 000 §5.2.3", lever=True),
    _p("evaluation_capture", "supervision", 0.3, "float", "chance that the evaluator is captured by the side that pays it (its rating then says nothing)", "seed 004 §3(三) (evaluators defer to the contracting party); value assumption", "", 0.0, 1.0, lever=True),
    _p("responsibility_list", "supervision", False, "bool", "rights-and-responsibility list (权责清单): every matter has one clear handler", "seed 000 §5.2.1", lever=True),
    _p("buck_passing", "supervision", 0.35, "float", "chance that a handling attempt is passed to another party instead of done, without a list", "seed 000 §5.2.1 (推诿); value assumption", "1/day", 0.0, 0.95),
    # --- disputes ---------------------------------------------------------------------
    _p("mediation", "disputes", False, "bool", "capable residents, organisation heads and old Party members mediate disputes (Fengqiao experience)", "seed 002 §2 四是 (Fengqiao experience); seed 000 §5.5.5 (grid staff mediate)", lever=True),
    _p("mediation_success", "disputes", 0.65, "float", "chance that a mediation settles the dispute", "field figures (61% of property cases mediated or withdrawn, Nanjing)", "", 0.0, 1.0),
    _p("mediators_per_1000", "disputes", 1.0, "float", "active mediators per 1,000 residents when mediation is on", A, "mediators/1000", 0.0, 50.0, lever=True),
    _p("grievance_dispute_rate", "disputes", 0.01, "float", "daily chance that an overdue matter turns into a dispute", A, "1/day", 0.0, 1.0),
    _p("breach_dispute_rate", "disputes", 0.05, "float", "chance that a norm breach starts a neighbour dispute", A, "", 0.0, 1.0),
    _p("escalation_rate", "disputes", 0.01, "float", "daily chance an open, unmediated dispute escalates (petition, lawsuit)", A, "1/day", 0.0, 1.0),
    _p("dispute_days", "disputes", 21, "int", "days after which an open dispute fades by itself if it has not escalated", A, "days", 1, 3650),
    # --- norms ----------------------------------------------------------------------------
    _p("breach_rate", "norms", 0.0015, "float", "daily chance a resident breaks a norm (litter, noise, parking, pets) at convenient facilities and no supervision", A, "1/day", 0.0, 1.0),
    _p("garbage_distance", "norms", 50.0, "float", "walking distance to the nearest garbage point", "seed 000 §4.1.1 (Licheng: hundreds of metres after the cut); default 50 m assumption", "m", 5.0, 2000.0, lever=True),
    # --- funding ----------------------------------------------------------------------------
    _p("government_grant", "funding", 300000.0, "float", "government grant to each community fund per year", A, "yuan/year", 0.0, 1e9, lever=True),
    _p("government_budget", "funding", 2_000_000.0, "float", "government budget per year for co-funding projects, shared by all communities", A, "yuan/year", 0.0, 1e10),
    _p("service_income", "funding", 100000.0, "float", "income from outsourced services per community per year", "seed 001 §3 一是; amount assumption", "yuan/year", 0.0, 1e9),
    _p("share_provider", "funding", 0.70, "float", "share of service income to the providing organisation", "seed 001 §3 一是 (70/25/5)", "", 0.0, 1.0),
    _p("share_incubator", "funding", 0.25, "float", "share of service income to the incubation platform (funds organisations)", "seed 001 §3 一是 (70/25/5)", "", 0.0, 1.0),
    _p("share_fund", "funding", 0.05, "float", "share of service income to the community fund", "seed 001 §3 一是 (70/25/5)", "", 0.0, 1.0),
    _p("initial_fund", "funding", 100000.0, "float", "community fund at the start", A, "yuan", 0.0, 1e9),
    # --- technology -----------------------------------------------------------------------------
    _p("platform_level", "technology", 0.5, "float", "reach of the information platform: scales the online channel (0 none, 1 full)", "seed 004 §2(二); value assumption", "", 0.0, 1.0, lever=True),
    _p("paperwork_share", "technology", 0.3, "float", "share of grid workers' time spent on forms and digital paperwork", "seed 004 §3(二) (数字文牍主义); value assumption", "", 0.0, 0.95, lever=True),
    _p("data_intensity", "technology", 0.2, "float", "intensity of personal data collection (privacy intrusion costs trust)", "seed 004 §3(一) (privacy intrusions); value assumption", "", 0.0, 1.0, lever=True),
    _p("data_silos", "technology", 0.3, "float", "how much data silos between departments slow hard matters", "seed 004 §3(二) (信息孤岛); value assumption", "", 0.0, 1.0),
    # --- turnover -------------------------------------------------------------------------
    _p("turnover", "turnover", 0.08, "float", "share of residents replaced by newcomers per year", "seed 003 §1(三) (Wengdun: 20%+ a year); X default assumption", "1/year", 0.0, 2.0, lever=True),
    _p("newcomer_migrant_share", "turnover", 0.6, "float", "share of newcomers who are migrants", A, "", 0.0, 1.0),
    _p("inclusion", "turnover", False, "bool", "non-locals sit on committees (e.g. 30% of the self-management committee)", "seed 003 §1(三) (30% of Wengdun's self-management committee non-local)", lever=True),
    # --- shock ---------------------------------------------------------------------------
    _p("shock_tick", "shock", -1, "int", "day on which the policy shock takes effect (-1: no shock)", "seed 000 §4.1.1", "day", -1, 100_000, lever=True),
    _p("shock_set", "shock", {}, "table", "parameter values that the shock sets (a table of overrides)", "seed 000 §4.1.1"),
    # --- attitudes ---------------------------------------------------------------------
    _p("attitude_rate", "attitudes", 0.02, "float", "daily speed at which trust, belonging and satisfaction follow experience", A, "1/day", 0.0, 1.0),
    _p("initial_trust", "attitudes", 0.5, "float", "mean initial trust of long-standing residents in each actor", A, "", 0.0, 1.0),
    _p("newcomer_trust", "attitudes", 0.3, "float", "initial trust and belonging of newcomers", "seed 003 §1(三); seed 000 §4.3.2 (weak identity of newcomers); value assumption", "", 0.0, 1.0),
    _p("privacy_trust_cost", "attitudes", 0.002, "float", "daily trust lost per unit of data intensity", "seed 004 §3(一) (privacy intrusions displease residents); value assumption", "1/day", 0.0, 0.1),
    # --- resident co-funding (public-goods rounds) ------------------------------------------
    _p("cofunding", "cofunding", False, "bool", "residents co-fund shared building micro-projects in small groups, round by round (a public-goods game)", "seed 000 §4.1.3 (co-funded renovation); seed 003 §1(三) (义务共担); behaviour: Fehr & Gächter 2000, AER 90(4)", lever=True),
    _p("cofunding_unit", "cofunding", "resident", "choice", "who contributes: every adult resident, or one adult per household", A, choices=("resident", "household")),
    _p("group_size", "cofunding", 4, "int", "members per co-funding group", "Fehr & Gächter 2000 (groups of 4); for communities an assumption", "members", 2, 50, lever=True),
    _p("endowment", "cofunding", 20.0, "float", "money each member can give per round", "Fehr & Gächter 2000 (20 tokens); for communities an assumption", "yuan", 0.01, 1e6),
    _p("mpcr", "cofunding", 0.4, "float", "marginal per-capita return: what each member gets back per unit the group gives", "Fehr & Gächter 2000 (0.4)", "", 0.0, 1.0),
    _p("cofunding_groups", "cofunding", "fixed", "choice", "fixed groups of neighbours, or groups rematched at random within the community every round", "Fehr & Gächter 2000 (partner and stranger treatments)", choices=("fixed", "rematched"), lever=True),
    _p("cofunding_round_days", "cofunding", 30, "int", "days between co-funding rounds", A, "days", 1, 3650),
    _p("cofunding_rounds", "cofunding", 0, "int", "rounds played, known to members (0: no announced end)", "Fehr & Gächter 2000 (10 rounds); default assumption", "rounds", 0, 100_000),
    _p("peer_sanctions", "cofunding", False, "bool", "members may sanction low contributors at a cost to themselves (mutual supervision)", "seed 000 §3.4 (熟人关系, face and reputation; 相互监督); Fehr & Gächter 2000", lever=True),
    _p("sanction_rate", "cofunding", 0.2, "float", "sanction points a member who gave more assigns per unit of endowment another falls below the mean of that one's group mates", "Fehr & Gächter 2000 (sanctions grow with the shortfall below the others' mean); value assumption", "points/yuan", 0.0, 10.0),
    _p("sanction_cost", "cofunding", 1.0, "float", "cost of one sanction point to the sanctioner", "Fehr & Gächter 2002, Nature 415 (1:3 technology); value assumption", "yuan", 0.0, 1000.0),
    _p("sanction_impact", "cofunding", 3.0, "float", "loss one sanction point inflicts on the sanctioned", "Fehr & Gächter 2002 (1:3 technology)", "yuan", 0.0, 1000.0),
    _p("sanction_response", "cofunding", 1.2, "float", "how much a sanctioned member raises later contributions, per unit of loss (both as shares of the endowment)", A, "", 0.0, 10.0),
    _p("rematch_memory", "cofunding", 0.7, "float", "share of the sanction-induced raise a member keeps when groups are rematched", "assumption (chosen so rematched groups with sanctions give ≈58% as in Fehr & Gächter 2000)", "", 0.0, 1.0),
    _p("cc_share", "cofunding", 0.55, "float", "share of members who cooperate conditionally (those with most public spirit); the rest free-ride", "Fischbacher & Gächter 2010, AER 100(1) (55% conditional cooperators); Fischbacher, Gächter & Fehr 2001 (50%)", "", 0.0, 1.0),
    _p("cc_slope", "cofunding", 0.9, "float", "what a conditional cooperator gives per unit they expect the others to give (below 1: imperfect conditional cooperation)", "Fischbacher & Gächter 2010 (most contribute somewhat less than others); value assumption", "", 0.0, 1.5),
    _p("initial_belief", "cofunding", 0.75, "float", "first-round belief about the others' contributions (share of the endowment)", A, "", 0.0, 1.0),
    _p("belief_weight", "cofunding", 0.6, "float", "weight of the group mates' last contributions when beliefs are updated", "Fischbacher & Gächter 2010 (beliefs follow others' past contributions); value assumption", "", 0.0, 1.0),
    _p("contribution_noise", "cofunding", 0.15, "float", "sd of trembles in contributions (share of the endowment)", A, "", 0.0, 1.0),
    _p("reputation_premium", "cofunding", 0.1, "float", "extra contribution in fixed groups to keep the others cooperating (share of endowment), fading to 0 by an announced last round", "Andreoni & Croson 2008 (partners give more than strangers); Kreps et al. 1982 (reputation); value assumption", "", 0.0, 1.0),
    # --- threshold participation rule ------------------------------------------------------------
    _p("participation_rule", "thresholds", "logit", "choice", "how residents decide to take part: the logistic choice, or thresholds on the share of others already taking part", "Granovetter 1978, AJS 83(6) (threshold models); logit the default", choices=("logit", "threshold")),
    _p("threshold_dist", "thresholds", "even", "choice", "distribution of thresholds: evenly spaced 0…(N−1)/N, uniform draws, normal draws, or evenly spaced normal quantiles", "Granovetter 1978 (uniform and normal examples)", choices=("even", "uniform", "normal", "normal-even")),
    _p("threshold_mean", "thresholds", 0.25, "float", "mean threshold (share of others taking part) of the normal distribution", "Granovetter 1978 (mean 25 of 100)", "", -1.0, 2.0),
    _p("threshold_sd", "thresholds", 0.10, "float", "sd of thresholds of the normal distribution", "Granovetter 1978 (critical sd ≈ 12 of 100); default assumption", "", 0.0, 2.0),
    _p("threshold_scope", "thresholds", "community", "choice", "whose participation a resident counts: the other adults of the building or of the community", A, choices=("community", "building")),
    # --- prices on civic behaviour -------------------------------------------------------------
    _p("breach_fine", "prices", 0.0, "float", "fine for a norm breach that is caught (0: no fine); with crowding-out it reframes the norm as a price", "Gneezy & Rustichini 2000, J. Legal Stud. 29(1) (a fine for late pickup doubled it); amount assumption", "yuan", 0.0, 1e5, lever=True),
    _p("fine_detection", "prices", 0.5, "float", "chance that a breach is caught and fined", A, "", 0.0, 1.0),
    _p("norm_restraint", "prices", 0.75, "float", "share of would-be breaches the moral norm holds back before any price frame", "assumption (Gneezy & Rustichini 2000: late pickups 8 → 18.5 a week once priced)", "", 0.0, 0.99),
    _p("request_reward", "prices", 0.0, "float", "money offered to residents who accept an organisation's invitation (paid from the community fund)", "Frey & Oberholzer-Gee 1997, AER 87(4) (compensation halved acceptance); amount assumption", "yuan", 0.0, 1e5, lever=True),
]

BY_NAME: dict[str, Param] = {p.name: p for p in PARAMS}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(p.section for p in PARAMS))

# Parameters that fix the structure of the community: set once, never by a shock.
STRUCTURAL = frozenset({p.name for p in PARAMS if p.section == "population"}
                       | {"households_per_grid_worker", "volunteer_teams", "professional_orgs",
                          "interest_groups", "shock_tick", "shock_set"})

# Shares that must sum to one; cross-field rule checked in validation.
SUM_TO_ONE = (
    ("share_small", "share_major", "share_hard"),
    ("share_provider", "share_incubator", "share_fund"),
)


def defaults() -> dict[str, Any]:
    """Return a fresh dict of every parameter's default."""
    return {p.name: (dict(p.default) if p.kind == "table" else p.default) for p in PARAMS}


def by_section() -> dict[str, list[Param]]:
    """Group parameters by section, in declaration order."""
    out: dict[str, list[Param]] = {s: [] for s in SECTIONS}
    for p in PARAMS:
        out[p.section].append(p)
    return out
