"""Plausible worlds: joint values of the model's uncertain assumptions.

A *world* fixes every uncertain (assumed or calibrated) parameter at one value;
the compared scenarios then differ only in their policy levers. Worlds are a
Latin hypercube over the parameters' plausible ranges (seeded, so the same
file and seed give the same worlds) or come from an ``--uncertain`` file:

.. code-block:: toml

    [worlds]
    seed = 20261128                     # optional: seeds the Latin hypercube

    [uncertain]
    w_social = [1.0, 3.0]               # uniform on [lo, hi]
    attitude_rate = { lo = 0.01, hi = 0.03 }
    patience_days = { lo = 23, hi = 68, dist = "triangular" }   # mode = the default value

Policy levers are never varied: they are what is being compared.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

from sim.params import BY_NAME, PARAMS, SIZE, SUM_TO_ONE

DISTRIBUTIONS = ("uniform", "triangular")
DEFAULT_SEED = 20261128
ROLES_UNCERTAIN = ("assumption", "calibrated")
EXAMPLE = "experiments/uncertain-example.toml"


class WorldsError(ValueError):
    """A bad ``--uncertain`` file or no uncertain parameters; the message is one line."""


@dataclass(frozen=True)
class Uncertain:
    """One uncertain parameter: its plausible range and the distribution drawn from it."""

    name: str
    lo: float
    hi: float
    dist: str = "uniform"
    mode: float | None = None

    @property
    def is_int(self) -> bool:
        """True when the parameter takes whole numbers (values are rounded)."""
        return BY_NAME[self.name].kind == "int"

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Map uniform [0, 1) draws to values of this parameter."""
        if self.dist == "triangular":
            mode = self.lo if self.mode is None else self.mode
            c = (mode - self.lo) / (self.hi - self.lo)
            x = stats.triang.ppf(u, c, loc=self.lo, scale=self.hi - self.lo)
        else:
            x = self.lo + u * (self.hi - self.lo)
        if self.is_int:
            x = np.clip(np.rint(x), np.ceil(self.lo), np.floor(self.hi))
        return x


def _err(path: str, key: str, what: str, allowed: str) -> WorldsError:
    return WorldsError(f"{path}: {key}: {what}; allowed: {allowed}")


TIED = frozenset(n for group in SUM_TO_ONE for n in group)  # shares drawn together or not at all


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check_parameter(name: str, lo: float, hi: float, where: str, key: str) -> None:
    """Refuse unknown parameters, levers, non-numbers, inverted or out-of-bounds ranges."""
    p = BY_NAME.get(name)
    if p is None:
        close = difflib.get_close_matches(name, BY_NAME, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise _err(where, key, f"unknown parameter{hint}", "a model parameter listed by `cogov params`")
    if getattr(p, "lever", False) or getattr(p, "role", "") == "lever":
        raise _err(
            where, key, "is a policy lever, and levers are what scenarios compare", "assumed or calibrated parameters"
        )
    if name in SIZE:
        raise _err(where, key, "is the community's size, the same in every world", "assumed or calibrated parameters")
    if name in TIED:
        group = next(g for g in SUM_TO_ONE if name in g)
        raise _err(
            where,
            key,
            f"is one of shares that must sum to one ({' + '.join(group)}): drawn on its own it would break the sum",
            "parameters not tied to others by a sum",
        )
    if p.kind not in ("int", "float"):
        raise _err(where, key, f"is a {p.kind} parameter and cannot be drawn from a range", "numeric parameters")
    if not (_number(lo) and _number(hi)):
        raise _err(where, key, f"range [{lo}, {hi}] is not two numbers", "[lo, hi] or { lo = ..., hi = ... }")
    if not lo < hi:
        raise _err(where, key, f"range [{lo}, {hi}] is empty or inverted", "lo < hi")
    if (p.lo is not None and lo < p.lo) or (p.hi is not None and hi > p.hi):
        raise _err(where, key, f"range [{lo}, {hi}] leaves the parameter's bounds", p.allowed())


def _entry(name: str, value: Any, where: str) -> Uncertain:
    key = f"[uncertain] {name}"
    if isinstance(value, list):
        if len(value) != 2:
            raise _err(where, key, f"{value} is not a [lo, hi] pair", "[lo, hi] or { lo = ..., hi = ... }")
        lo, hi, dist, mode = value[0], value[1], "uniform", None
    elif isinstance(value, dict):
        unknown = set(value) - {"lo", "hi", "dist", "mode"}
        if unknown:
            raise _err(where, f"{key}.{sorted(unknown)[0]}", "unknown key", "lo, hi, dist, mode")
        if "lo" not in value or "hi" not in value:
            raise _err(where, key, "needs both lo and hi", "{ lo = ..., hi = ... }")
        lo, hi = value["lo"], value["hi"]
        dist, mode = value.get("dist", "uniform"), value.get("mode")
    else:
        raise _err(where, key, f"{value!r} is not a range", "[lo, hi] or { lo = ..., hi = ..., dist = ... }")
    check_parameter(name, lo, hi, where, key)
    if dist not in DISTRIBUTIONS:
        raise _err(where, f"{key}.dist", f"unknown distribution {dist!r}", ", ".join(DISTRIBUTIONS))
    if dist == "triangular":
        mode = BY_NAME[name].default if mode is None else mode
        if not _number(mode) or not lo <= mode <= hi:
            raise _err(where, f"{key}.mode", f"mode {mode!r} is outside [{lo}, {hi}]", "a number in the range")
    elif mode is not None:
        raise _err(where, f"{key}.mode", "mode is only used by dist = 'triangular'", "dist = 'triangular'")
    return Uncertain(name, float(lo), float(hi), dist, None if mode is None else float(mode))


def load_plausible_json(path: Path) -> list[Uncertain]:
    """The ranges of a ``plausible.json`` written by ``python -m sim.calibrate … --plausible`` (uniform).

    This is how a calibrated parameter's history-matched range feeds the
    comparison across worlds: ``cogov compare A B --worlds N --uncertain plausible.json``.
    """
    import json

    where = str(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WorldsError(f"{where}: file not found; allowed: a plausible.json from sim.calibrate") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WorldsError(f"{where}: cannot be read ({exc}); allowed: a plausible.json from sim.calibrate") from None
    table = doc.get("plausible") if isinstance(doc, dict) else None
    if not isinstance(table, dict) or not table:
        raise _err(where, "plausible", "missing or empty", "the plausible.json written by sim.calibrate --plausible")
    return [_entry(k, list(v) if isinstance(v, (list, tuple)) else v, where) for k, v in table.items()]


def load_uncertain(path: str | Path) -> tuple[list[Uncertain], int | None]:
    """Read an ``--uncertain`` file (TOML, or a calibration's ``plausible.json``); return parameters and seed."""
    where = str(path)
    if Path(path).suffix.lower() == ".json":
        return load_plausible_json(Path(path)), None
    try:
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WorldsError(f"{where}: file not found; allowed: a TOML file like {EXAMPLE}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WorldsError(f"{where}: cannot be read ({exc}); allowed: a UTF-8 TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise WorldsError(f"{where}: not valid TOML ({exc}); allowed: a TOML file like {EXAMPLE}") from None
    extra = set(doc) - {"worlds", "uncertain"}
    if extra:
        raise _err(where, f"[{sorted(extra)[0]}]", "unknown table", "[worlds], [uncertain]")
    table = doc.get("uncertain")
    if not isinstance(table, dict) or not table:
        raise _err(where, "[uncertain]", "missing or empty", "one line per uncertain parameter: name = [lo, hi]")
    meta = doc.get("worlds", {})
    if not isinstance(meta, dict) or set(meta) - {"seed"}:
        raise _err(where, "[worlds]", f"unknown keys {sorted(set(meta) - {'seed'})}", "seed")
    seed = meta.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
        raise _err(where, "[worlds] seed", f"{seed!r} is not a whole number >= 0", "a whole number >= 0")
    return [_entry(k, v, where) for k, v in table.items()], seed


def declared_uncertain(params=None) -> list[Uncertain]:
    """Every parameter that declares a plausible range and is an assumption or calibrated.

    Left out: levers, the community's size (``sim.params.SIZE``) and shares that must sum
    to one (drawn independently they would break the rule). Assumptions read only when the
    community is built (initial trust, public spirit, the shares of groups, ...) are drawn like
    any other: every run of a world starts from them.
    """
    out = []
    for p in PARAMS if params is None else params:
        rng = getattr(p, "plausible", None)
        if rng is None or getattr(p, "role", "") not in ROLES_UNCERTAIN or p.kind not in ("int", "float"):
            continue
        if getattr(p, "lever", False) or p.name in SIZE or p.name in TIED:
            continue
        lo, hi = float(rng[0]), float(rng[1])
        if lo < hi:
            out.append(Uncertain(p.name, lo, hi))
    return out


DECLARED_ORIGIN = "declared plausible ranges (sim.params)"
API_ORIGIN = "Python API"
_ORIGIN_ZH = {DECLARED_ORIGIN: "sim.params 中声明的合理取值范围", API_ORIGIN: "Python 接口传入的取值范围"}


def origin_text(origin: str, lang: str = "en") -> str:
    """Where the worlds' ranges came from, in the report's language (a file path stays as it is)."""
    return _ORIGIN_ZH.get(origin, origin) if lang == "zh" else origin


def resolve_uncertain(uncertain: str | Path | list[Uncertain] | None) -> tuple[list[Uncertain], int | None, str]:
    """The uncertain parameters from a file, a list, or the declared plausible ranges; with seed and origin."""
    if uncertain is None:
        found = declared_uncertain()
        if not found:
            raise WorldsError(
                "--uncertain: no parameter declares a plausible range in this version of the model; "
                f"allowed: pass --uncertain FILE (see {EXAMPLE})"
            )
        return found, None, DECLARED_ORIGIN
    if isinstance(uncertain, (str, Path)):
        found, seed = load_uncertain(uncertain)
        return found, seed, str(uncertain)
    for u in uncertain:
        check_parameter(u.name, u.lo, u.hi, "uncertain", u.name)
    return list(uncertain), None, API_ORIGIN


def draw_worlds(uncertain: list[Uncertain], n: int, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """``n`` worlds by Latin hypercube: one row per world (column ``world`` = 0..n-1), one column per parameter."""
    if n < 1:
        raise WorldsError(f"--worlds {n}: too few; allowed: 1 or more")
    u = qmc.LatinHypercube(d=len(uncertain), rng=np.random.default_rng(seed)).random(n)
    table = {"world": np.arange(n)}
    for j, unc in enumerate(uncertain):
        x = unc.ppf(u[:, j])
        table[unc.name] = x.astype(int) if unc.is_int else x
    return pd.DataFrame(table)


def world_values(worlds: pd.DataFrame, w: int) -> dict[str, Any]:
    """The parameter overrides of world ``w`` as plain Python numbers."""
    row = worlds.loc[worlds["world"] == w].iloc[0]
    out: dict[str, Any] = {}
    for c in worlds.columns:
        if c == "world":
            continue
        out[c] = int(row[c]) if BY_NAME[c].kind == "int" else float(row[c])
    return out
