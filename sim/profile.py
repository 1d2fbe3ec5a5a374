"""A community profile from its ledger (台账): a spreadsheet (.xlsx) or CSV that becomes a scenario.

A community office keeps facts such as estates, buildings, households, residents,
age shares, renters, migrants, Party members, volunteer teams, grid workers,
property fee and budgets. ``write_template`` writes a spreadsheet to fill in (an
instruction sheet, X community's figures as the example, headers in English or
Chinese, unit and allowed range beside every cell); ``read_profile`` reads it
back, checks every cell and converts the facts into scenario parameters
(``Profile.params``), e.g. grid workers into households per grid worker.

A profile can be used wherever a scenario is (``cogov run my-community.xlsx``;
``load_scenario`` calls ``profile_scenario``) and a scenario file can build on
one (``community = "my-community.xlsx"`` under ``[scenario]``). A bad cell gives
one ScenarioError naming file, sheet, row, column, value and what is allowed.

Layout of the profile sheet (both languages, so either can be read back):
column A the field's key, B its name, C the value, D the unit, E the allowed
range; row 1 holds the headers. Empty optional rows are allowed. The CSV form
has the same five columns.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.params import defaults
from sim.scenario import Scenario, ScenarioError, validate

SHEET = "profile"
INSTRUCTIONS = "instructions"
SUFFIXES = (".xlsx", ".csv")
COLUMNS = ("key", "name", "value", "unit", "allowed")
HEADERS = {
    "en": ("key", "field", "value", "unit", "allowed"),
    "zh": ("键", "项目", "数值", "单位", "允许范围"),
}


@dataclass(frozen=True)
class Field:
    """One ledger fact: its key, names, unit, kind, range, X community's value and whether required."""

    key: str
    en: str
    zh: str
    unit_en: str
    unit_zh: str
    kind: str  # "int", "float", "percent", "text"
    lo: float | None
    hi: float | None
    example: Any
    required: bool = True
    observed: bool = False  # an observed figure for calibration, not a fact that sets a parameter

    def allowed(self, lang: str = "en") -> str:
        """The allowed values in words."""
        if self.kind == "text":
            return "text" if lang == "en" else "文字"
        what = {"int": ("whole number", "整数"), "float": ("number", "数"), "percent": ("percent", "百分数")}[self.kind]
        word = what[0] if lang == "en" else what[1]
        return f"{word} {_n(self.lo)}–{_n(self.hi)}" + ("%" if self.kind == "percent" else "")


def _n(x: float | None) -> str:
    return "?" if x is None else (f"{int(x):,}" if float(x).is_integer() else f"{x:g}")


# X community's ledger (the reference community of the seeds, as in the built-in defaults)
FIELDS: tuple[Field, ...] = (
    Field("community", "community name", "社区名称", "", "", "text", None, None, "X community", required=False),
    Field("estates", "estates (小区)", "小区数", "estates", "个", "int", 1, 50, 4),
    Field("buildings", "buildings (楼栋)", "楼栋数", "buildings", "栋", "int", 1, 10_000, 300),
    Field("households", "households", "户数", "households", "户", "int", 10, 200_000, 7191),
    Field("residents", "residents", "常住人口", "persons", "人", "int", 10, 1_000_000, 21235),
    Field("children_pct", "children under 18", "18 岁以下儿童占比", "% of residents", "% 居民", "percent", 0, 60, 15),
    Field("elderly_pct", "residents aged 60+", "60 岁及以上老人占比", "% of residents", "% 居民", "percent", 0, 80, 20),
    Field("renters_pct", "renting households", "租户占比", "% of households", "% 户", "percent", 0, 100, 25),
    Field(
        "migrants_pct", "migrants (non-local hukou)", "外来人口占比", "% of residents", "% 居民", "percent", 0, 100, 15
    ),
    Field("party_members", "Party members", "党员人数", "persons", "人", "int", 0, 500_000, 1486),
    Field("capable_residents", "capable residents (社区能人)", "社区能人人数", "persons", "人", "int", 0, 200_000, 66),
    Field("volunteer_teams", "volunteer teams", "志愿服务队", "teams", "支", "int", 0, 500, 12),
    Field(
        "professional_orgs",
        "professional service organisations",
        "专业社会组织",
        "organisations",
        "个",
        "int",
        0,
        200,
        2,
    ),
    Field("interest_groups", "interest groups", "兴趣团体", "groups", "个", "int", 0, 500, 6),
    Field(
        "grid_workers", "grid workers", "网格员人数", "persons", "人", "int", 1, 20_000, 24
    ),  # 7,191 / 300 households each
    Field("property_fee", "property fee", "物业费", "yuan/household/month", "元/户/月", "float", 0, 5000, 120.0),
    Field("community_fund", "community fund at start", "社区基金期初余额", "yuan", "元", "float", 0, 1e9, 100_000.0),
    Field("government_grant", "government grant", "政府拨款", "yuan/year", "元/年", "float", 0, 1e9, 300_000.0),
    Field("points_budget", "points budget", "积分兑换预算", "yuan/year", "元/年", "float", 0, 1e9, 60_000.0),
    # observed figures (optional): used by `cogov calibrate`
    Field(
        "obs_volunteers", "registered volunteers", "注册志愿者", "persons", "人", "int", 0, 1_000_000, None, False, True
    ),
    Field(
        "obs_matters",
        "matters and complaints a year",
        "年受理事项和投诉",
        "matters/year",
        "件/年",
        "int",
        0,
        10**7,
        None,
        False,
        True,
    ),
    Field("obs_disputes", "disputes a year", "年纠纷数", "disputes/year", "件/年", "int", 0, 10**6, None, False, True),
    Field(
        "obs_meetings",
        "meetings held a year",
        "年议事会次数",
        "meetings/year",
        "次/年",
        "int",
        0,
        10_000,
        None,
        False,
        True,
    ),
)
BY_KEY = {f.key: f for f in FIELDS}


@dataclass
class Profile:
    """A read and checked profile: its facts, observed figures and the scenario parameters they give."""

    path: str
    name: str
    facts: dict[str, Any]
    observed: dict[str, float] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)


# --- facts -> parameters ---------------------------------------------------------------------

_PCT = {"children_pct": "share_children", "elderly_pct": "share_elderly", "renters_pct": "share_renters"}
_PCT |= {"migrants_pct": "share_migrants"}
_SAME = ("estates", "households", "residents", "volunteer_teams", "professional_orgs", "interest_groups")
_SAME_FLOAT = {"property_fee": "property_fee", "community_fund": "initial_fund"}
_SAME_FLOAT |= {"government_grant": "government_grant", "points_budget": "points_budget"}


def to_params(f: dict[str, Any]) -> dict[str, Any]:
    """Scenario parameters of the facts ``f`` (only those given)."""
    p: dict[str, Any] = {}
    for k in _SAME:
        if k in f:
            p[k] = int(f[k])
    for k, name in _PCT.items():
        if k in f:
            p[name] = float(f[k]) / 100.0
    for k, name in _SAME_FLOAT.items():
        if k in f:
            p[name] = float(f[k])
    res, hh = f.get("residents"), f.get("households")
    if "party_members" in f and res:
        p["share_party"] = float(f["party_members"]) / float(res)
    if "capable_residents" in f and res:
        p["share_capable"] = float(f["capable_residents"]) / float(res)
    if "buildings" in f and hh:
        p["households_per_building"] = max(1, round(float(hh) / float(f["buildings"])))
    if "grid_workers" in f and hh:
        p["households_per_grid_worker"] = max(1, round(float(hh) / float(f["grid_workers"])))
    return p


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """Where a value came from, for error messages."""

    sheet: str | None
    row: int
    column: str

    def where(self) -> str:
        """E.g. "sheet 'profile', row 5, column C"."""
        sheet = f"sheet '{self.sheet}', " if self.sheet else ""
        return f"{sheet}row {self.row}, column {self.column}"


def _rows_xlsx(path: Path) -> tuple[str, list[tuple[int, list[Any]]]]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover (a dependency)
        raise ScenarioError(f"{path}: reading .xlsx needs openpyxl; allowed: pip install 'openpyxl>=3.1'") from None
    try:
        # read_only + data_only: cell values only, no formulas evaluated, no macros: data, never code
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 (zip, XML and format errors all mean: not a readable workbook)
        raise ScenarioError(
            f"{path}: not a readable .xlsx workbook ({type(exc).__name__}); allowed: an .xlsx file"
        ) from None
    try:
        sheet = next((ws for ws in wb.worksheets if ws.title.lower() in (SHEET, "档案", "社区档案")), None)
        if sheet is None:
            names = ", ".join(ws.title for ws in wb.worksheets)
            raise ScenarioError(f"{path}: no sheet named '{SHEET}' (sheets: {names}); allowed: the template's sheets")
        rows = [(i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
        return sheet.title, rows
    finally:
        wb.close()


def _rows_csv(path: Path) -> tuple[None, list[tuple[int, list[Any]]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            return None, [(i, list(r)) for i, r in enumerate(csv.reader(fh), start=1)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ScenarioError(f"{path}: cannot be read as CSV ({exc}); allowed: a UTF-8 CSV file") from None


def _value(fld: Field, raw: Any, cell: Cell, path: Path) -> Any:
    """A cell's value checked against its field; ScenarioError naming the cell otherwise."""

    def bad(what: str) -> ScenarioError:
        return ScenarioError(f"{path}: {cell.where()} ({fld.key}): value {raw!r} {what}; allowed: {fld.allowed()}")

    if fld.kind == "text":
        text = str(raw).strip()
        if any(ord(c) < 32 for c in text) or len(text) > 200:
            raise bad("has control characters or is longer than 200 characters")
        return text
    if isinstance(raw, bool):
        raise bad("is not a number")
    if isinstance(raw, str):
        text = raw.strip().replace(",", "").replace("，", "")
        if fld.kind == "percent":
            text = text.rstrip("%").strip()
        try:
            num = float(text)
        except ValueError:
            raise bad("is not a number") from None
    elif isinstance(raw, int | float):
        num = float(raw)
    else:
        raise bad("is not a number")
    if not math.isfinite(num):
        raise bad("is not a finite number")
    if fld.kind == "int" and not num.is_integer():
        raise bad("is not a whole number")
    if fld.lo is not None and num < fld.lo or fld.hi is not None and num > fld.hi:
        raise bad("is out of range")
    return int(num) if fld.kind == "int" else num


def read_profile(path: str | Path) -> Profile:
    """Read and check a profile (.xlsx or .csv); raise ScenarioError naming the first bad cell."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ScenarioError(f"{path}: not a profile; allowed: a .xlsx or .csv file from `cogov community template`")
    if not path.is_file():
        raise ScenarioError(f"{path}: no such file; allowed: an existing .xlsx or .csv profile")
    sheet, rows = _rows_xlsx(path) if path.suffix.lower() == ".xlsx" else _rows_csv(path)
    facts: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for i, row in rows:
        if i == 1:
            continue  # headers (either language)
        key = str(row[0]).strip() if row and row[0] is not None else ""
        raw = row[2] if len(row) > 2 else None
        if not key or key.startswith("#"):
            continue
        fld = BY_KEY.get(key)
        if fld is None:
            raise ScenarioError(
                f"{path}: {Cell(sheet, i, 'A').where()}: unknown field {key!r}; allowed: {', '.join(BY_KEY)}"
            )
        if key in seen:
            raise ScenarioError(
                f"{path}: {Cell(sheet, i, 'A').where()}: field {key!r} again (first in row {seen[key]}); "
                "allowed: each field once"
            )
        seen[key] = i
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if fld.required:
                raise ScenarioError(f"{path}: {Cell(sheet, i, 'C').where()} ({key}): empty; allowed: {fld.allowed()}")
            continue
        facts[key] = _value(fld, raw, Cell(sheet, i, "C"), path)
    missing = [f.key for f in FIELDS if f.required and f.key not in facts]
    if missing:
        raise ScenarioError(f"{path}: missing fields {', '.join(missing)}; allowed: every field of the template")
    _check_consistent(facts, seen, sheet, path)
    observed = {f.key: float(facts.pop(f.key)) for f in FIELDS if f.observed and f.key in facts}
    name = str(facts.pop("community", "") or path.stem)
    params = to_params(facts)
    try:
        validate({**defaults(), **params}, str(path), keys=set(params))
    except ScenarioError as exc:
        raise ScenarioError(f"{exc}; check the profile's figures") from None
    return Profile(str(path), name, facts, observed, params)


def _check_consistent(f: dict[str, Any], rows: dict[str, int], sheet: str | None, path: Path) -> None:
    """Facts that contradict each other: name the later cell and what is allowed."""
    rules: list[tuple[str, Callable[[], bool], str]] = [
        ("residents", lambda: f["residents"] >= f["households"], "at least the number of households"),
        ("buildings", lambda: f["buildings"] <= f["households"], "at most the number of households"),
        ("buildings", lambda: f["buildings"] >= f["estates"], "at least one building per estate"),
        (
            "party_members",
            lambda: f["party_members"] <= f["residents"] * (1 - f["children_pct"] / 100),
            "at most the adult residents",
        ),
        ("capable_residents", lambda: f["capable_residents"] <= f["residents"], "at most the residents"),
        ("grid_workers", lambda: f["grid_workers"] <= f["households"], "at most the number of households"),
        (
            "elderly_pct",
            lambda: f["children_pct"] + f["elderly_pct"] <= 100,
            "children and elderly together at most 100%",
        ),
    ]
    for key, ok, allowed in rules:
        if not ok():
            fld = BY_KEY[key]
            cell = Cell(sheet, rows[key], "C")
            raise ScenarioError(
                f"{path}: {cell.where()} ({fld.key}): value {f[key]!r} is inconsistent; allowed: {allowed}"
            )


def profile_scenario(path: str | Path) -> Scenario:
    """The scenario of a profile: built-in defaults with the profile's facts."""
    prof = read_profile(path)
    params = defaults()
    params.update(prof.params)
    validate(params, str(path))
    return Scenario(prof.name, params, f"community profile {Path(path).name}", str(path), str(path), [Path(path).stem])


# --- the template -------------------------------------------------------------------------------

INSTRUCTIONS_TEXT = {
    "en": [
        "Community profile for cogov-sim: fill in your community's figures from its ledger (台账).",
        "Sheet 'profile': change only column C (value). Column A is the field's key and must stay as it is.",
        "Units are in column D and the allowed range in column E. The example values are X community's.",
        "Percentages are typed as numbers (25 means 25%). Leave observed figures (obs_...) empty if unknown.",
        'Use it: cogov run my-community.xlsx   or in a scenario file: community = "my-community.xlsx"',
        "Observed figures (volunteers, matters, disputes, meetings a year) are for calibration "
        "(cogov calibrate my-community.xlsx).",
    ],
    "zh": [
        "cogov-sim 社区档案:请按本社区台账填写。",
        "“profile”工作表:只修改 C 列(数值);A 列是字段键,请勿改动。",
        "D 列为单位,E 列为允许范围。示例数值为 X 社区的数据。",
        "百分比填数字(25 表示 25%)。观测数据(obs_…)不清楚可留空。",
        '使用方法:cogov run my-community.xlsx,或在情景文件中写 community = "my-community.xlsx"',
        "观测数据(志愿者、年事项、年纠纷、年议事会)供 cogov calibrate my-community.xlsx 校准使用。",
    ],
}


def template_rows(lang: str = "en") -> list[list[Any]]:
    """The profile sheet's rows: headers, then one row per field with X community's value."""
    rows: list[list[Any]] = [list(HEADERS[lang])]
    for f in FIELDS:
        name = f.en if lang == "en" else f.zh
        unit = f.unit_en if lang == "en" else f.unit_zh
        rows.append([f.key, name, f.example, unit, f.allowed(lang)])
    return rows


def write_template(path: str | Path, lang: str = "en") -> Path:
    """Write a profile template (.xlsx with an instruction sheet, or .csv) filled with X community's figures."""
    path = Path(path)
    if lang not in HEADERS:
        raise ScenarioError(f"--lang {lang}: unknown language; allowed: en, zh")
    if path.suffix.lower() not in SUFFIXES:
        raise ScenarioError(f"{path}: unknown template type; allowed: a file name ending in .xlsx or .csv")
    rows = template_rows(lang)
    if path.suffix.lower() == ".csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(["" if v is None else v for v in r] for r in rows)
        return path
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    wb = openpyxl.Workbook()
    ins = wb.active
    ins.title = INSTRUCTIONS
    for line in INSTRUCTIONS_TEXT[lang]:
        ins.append([line])
    ins.column_dimensions["A"].width = 110
    ws = wb.create_sheet(SHEET)
    for r in rows:
        ws.append(r)
    for c in ws[1]:
        c.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF4CC")
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].fill = fill  # the cells to fill in
    for col, width in zip("ABCDE", (20, 38, 14, 22, 28), strict=True):
        ws.column_dimensions[col].width = width
    wb.active = 1
    wb.save(path)
    return path


# --- `cogov community` ---------------------------------------------------------------------------


def add_arguments(p) -> None:
    """Options of ``cogov community``."""
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    t = sub.add_parser("template", help="write a profile spreadsheet to fill in (X community as the example)")
    t.add_argument("file", metavar="FILE", help="my-community.xlsx (or .csv)")
    t.add_argument("--lang", choices=("en", "zh"), default="en", help="language of headers and instructions")
    t.add_argument("--force", action="store_true", help="overwrite an existing file")
    c = sub.add_parser("check", help="read a profile, check every cell and print the parameters it gives")
    c.add_argument("file", metavar="FILE", help="a profile (.xlsx or .csv)")


def main_args(args) -> int:
    """Run ``cogov community``."""
    if args.action == "template":
        if Path(args.file).exists() and not args.force:
            raise ScenarioError(f"{args.file}: exists; allowed: a new file name, or --force to overwrite")
        out = write_template(args.file, args.lang)
        print(f"wrote {out}: fill in column C of sheet '{SHEET}', then: cogov run {out}")
        return 0
    prof = read_profile(args.file)
    print(f"# {prof.name}: parameters from {args.file}")
    for k, v in prof.params.items():
        print(f"{k} = {v!r}")
    if prof.observed:
        print("# observed figures: " + ", ".join(f"{k} = {v:g}" for k, v in prof.observed.items()))
    return 0


# --- `cogov calibrate`: fit the calibrated parameters to the profile's observed figures -------------

# which outcome each observed figure is compared with, read on the last simulated day
OBSERVED_OUTCOME = {
    "obs_volunteers": "volunteer_share",  # divided by residents
    "obs_matters": "matters_raised",  # a year's count = cumulative after 365 days
    "obs_disputes": "disputes_total",
}
INFORMS = {"volunteer_share": "base_logit"}
# a window for a calibrated parameter that has no plausible range in the schema (docs/validation.md case 1)
FALLBACK_WINDOW = {"base_logit": (-11.5, -8.0)}


def calibrated_params() -> list[str]:
    """Parameters of the schema whose value is calibrated (``Param.role``; else a source saying so)."""
    from sim.params import PARAMS

    out = []
    for p in PARAMS:
        role = getattr(p, "role", None)
        if role == "calibrated" or (role is None and str(p.source).startswith("calibrated")):
            out.append(p.name)
    return out


def _window(name: str) -> tuple[float, float]:
    from sim.params import BY_NAME

    plausible = getattr(BY_NAME[name], "plausible", None)
    if plausible:
        return float(plausible[0]), float(plausible[1])
    return FALLBACK_WINDOW.get(name, (float(BY_NAME[name].lo), float(BY_NAME[name].hi)))


def profile_targets(prof: Profile, ticks: int) -> list:
    """Calibration targets (sim.calibrate.Target) from a profile's observed figures, scaled to ``ticks`` days."""
    from sim.calibrate import Target

    out = []
    for key, outcome in OBSERVED_OUTCOME.items():
        if key not in prof.observed:
            continue
        value = prof.observed[key]
        if key == "obs_volunteers":
            value /= float(prof.params["residents"])
        else:
            value *= ticks / 365.0  # a year's figure, over the simulated days
        out.append(Target(outcome, value, None, 1.0, None, f"{key} = {prof.observed[key]:g} ({prof.path})"))
    return out


@dataclass
class Fit:
    """A profile's calibration: fitted values with 95% intervals, fit against observed, what was held."""

    params: dict[str, float]
    interval: dict[str, tuple[float, float]]
    moments: list[dict[str, Any]]
    held: list[str]
    result: Any


class TooFewFigures(ScenarioError):
    """The profile has fewer observed figures than a fit needs."""


def calibrate_profile(path: str | Path, seeds: int = 8, ticks: int = 365, jobs: int = 1, max_evals: int = 40) -> Fit:
    """Fit the calibrated parameters to the profile's observed figures (sim.calibrate, SMM on common seeds).

    One parameter is fitted per observed figure, in schema order; the others are held
    at their values and named in ``held``. The 95% interval of a single fitted value
    comes from the seed-to-seed spread of the simulated moment and its local slope
    (delta method): values whose moment stays within 1.96 standard errors of the observed one.
    """
    import numpy as np

    from sim.calibrate import _key, calibrate, simulate

    prof = read_profile(path)
    targets = profile_targets(prof, ticks)
    free_all = calibrated_params()
    if not targets:
        raise TooFewFigures(
            f"{path}: no observed figures to fit; allowed: fill in at least one of "
            + ", ".join(OBSERVED_OUTCOME)
            + " (registered volunteers, matters a year, disputes a year)"
        )
    # the parameter each figure informs first (participation's baseline for volunteers), then schema order
    free = list(dict.fromkeys(INFORMS[t.outcome] for t in targets if INFORMS.get(t.outcome) in free_all))
    free += [n for n in free_all if n not in free][: max(0, len(targets) - len(free))]
    held = [n for n in free_all if n not in free]
    scen = profile_scenario(path)
    seed_list = list(range(1, seeds + 1))
    res = calibrate(scen, targets, {n: _window(n) for n in free}, seed_list, ticks, jobs=jobs, max_evals=max_evals)
    interval: dict[str, tuple[float, float]] = {}
    if len(free) == 1 and len(targets) >= 1:
        name, t = free[0], targets[0]
        best = res.params[name]
        lo_w, hi_w = _window(name)
        h = (hi_w - lo_w) / 50
        sims = {d: simulate(scen, {name: best + d}, [t], seed_list, ticks, jobs)[_key(t)] for d in (-h, h)}
        slope = (sims[h].mean() - sims[-h].mean()) / (2 * h)
        mo = res.moments[0]
        se = mo["sd"] / np.sqrt(len(seed_list))
        half = 1.96 * max(se, abs(mo["mean"] - t.value)) / abs(slope) if slope else float("inf")
        interval[name] = (best - half, best + half)
    return Fit(res.params, interval, res.moments, held, res)


def write_calibration(fit: Fit, profile_path: str | Path, out: str | Path) -> tuple[Path, Path]:
    """Write the calibrated scenario (TOML building on the profile) and a short fit report (Markdown)."""
    from sim.params import BY_NAME

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    profile_path = Path(profile_path).resolve()
    scen = out / "scenario.toml"
    lines = [
        "[scenario]",
        f'name = "{profile_path.stem}-calibrated"',
        f'description = "{profile_path.stem}: calibrated to its observed figures (cogov calibrate)"',
        f"community = {json_str(str(profile_path))}",
        "",
    ]
    by_section: dict[str, list[str]] = {}
    for k, v in fit.params.items():
        by_section.setdefault(BY_NAME[k].section, []).append(f"{k} = {v:.6g}")
    for sec, items in by_section.items():
        lines += [f"[{sec}]", *items, ""]
    scen.write_text("\n".join(lines), encoding="utf-8")
    rep = out / "fit-report.md"
    r = [f"# Calibration of {profile_path.name}", ""]
    r.append(f"Method: {fit.result.method}; {len(fit.result.seeds)} seeds, {fit.result.ticks} days.")
    r.append("")
    r.append("| parameter | fitted | 95% interval |")
    r.append("|---|---|---|")
    for k, v in fit.params.items():
        lo, hi = fit.interval.get(k, (float("nan"), float("nan")))
        r.append(f"| {k} | {v:.4g} | {lo:.4g} – {hi:.4g} |")
    r += ["", "| target | observed | simulated (95% CI over seeds) |", "|---|---|---|"]
    for m in fit.moments:
        r.append(f"| {m['target']} | {m['observed']:.4g} | {m['mean']:.4g} [{m['ci_low']:.4g}, {m['ci_high']:.4g}] |")
    if fit.held:
        r += ["", f"Held at their values (too few observed figures to fit them too): {', '.join(fit.held)}."]
    rep.write_text("\n".join(r) + "\n", encoding="utf-8")
    return scen, rep


def json_str(text: str) -> str:
    """A TOML basic string (JSON string syntax is valid TOML for these paths)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def add_calibrate_arguments(p) -> None:
    """Options of ``cogov calibrate``."""
    p.add_argument("profile", metavar="PROFILE", help="a community profile (.xlsx or .csv) with observed figures")
    p.add_argument("--seeds", type=int, default=8, metavar="N", help="common random seeds (default: 8)")
    p.add_argument("--ticks", type=int, default=365, metavar="N", help="days per run (default: 365)")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (default: 1)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: results/calibration-<profile>)")


def calibrate_main(args) -> int:
    """Run ``cogov calibrate``."""
    if args.seeds < 2 or args.ticks < 1 or args.jobs < 1:
        raise ScenarioError("--seeds, --ticks, --jobs: too small; allowed: seeds >= 2, ticks >= 1, jobs >= 1")
    fit = calibrate_profile(args.profile, args.seeds, args.ticks, args.jobs)
    out = args.out or f"results/calibration-{Path(args.profile).stem}"
    scen, rep = write_calibration(fit, args.profile, out)
    print(fit.result.summary())
    if fit.held:
        print(f"too few observed figures to fit {', '.join(fit.held)}: held at their values")
    print(f"wrote {scen} and {rep}")
    return 0
