"""Analysis of sweeps: global sensitivity (SALib) and scenario discovery.

* ``sobol_indices(DIR, outcome)``: first- and total-order Sobol indices with
  confidence intervals, from a sweep whose design is ``sobol``.
* ``morris_indices(DIR, outcome)``: Morris elementary effects (mu*, sigma)
  from a ``morris`` sweep.
* ``sensitivity_chart(indices)``: a tornado/bar chart of the indices.
* ``discover(df, factors, outcome, threshold)``: which parameter ranges lead to
  an outcome above (or below) a threshold, found by PRIM (EMA Workbench) and
  printed as readable rules with coverage, density, quasi-p-values and
  resampling stability; ``discover_sweep`` runs it on an lhs sweep.

Seeds: a sweep's seeds are averaged per point before the analysis, so the
indices describe the parameters' effect on the expected outcome. The noise
left in the means does not merely widen the confidence intervals: it adds
about (noise variance / seeds) / variance of the point means to every
total-order index. ``sobol_indices`` therefore needs 2 or more seeds per
point, reports this *noise share* (warning above 0.1), and the Sobol design
carries a dummy factor that only re-draws the seeds, whose ST is the noise floor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.design import DUMMY
from experiments.store import load_sweep, read_manifest

NOISE_WARNING = 0.1  # noise share above which an outcome's indices are mostly seed noise
# Largest change of any total-order index between the first N/2 base samples and all N below
# which the indices count as converged (assumption: a tolerance below which the ranking of
# factors whose ST differ by more than 0.1 cannot flip).
CONVERGED_CHANGE = 0.05


class NoisyOutcomeWarning(UserWarning):
    """Seed noise is a large share of the variance of an outcome's point means."""


def _problem(manifest: dict[str, Any]) -> dict[str, Any]:
    names = [f["name"] for f in manifest["factors"]] + ([DUMMY] if manifest.get("dummy_factor") else [])
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def _outcome_column(df: pd.DataFrame, outcome: str, directory: str | Path) -> str:
    col = f"{outcome}_outcome" if f"{outcome}_outcome" in df.columns else outcome
    if col not in df.columns:
        raise KeyError(f"{outcome}: not an outcome of this sweep")
    if df[col].isna().any():
        missing = int(df[col].isna().sum())
        raise ValueError(f"{directory}: {missing} runs are not finished; resume the sweep first")
    return col


def point_means(directory: str | Path, outcome: str) -> pd.DataFrame:
    """Outcome averaged over seeds at each design point, in design order."""
    df = load_sweep(directory)
    col = _outcome_column(df, outcome, directory)
    return df.groupby("point", sort=True)[col].mean().rename(outcome).reset_index()


def noise_share(values: pd.DataFrame, column: str) -> float:
    """Share of the variance of the point means that is seed noise.

    (mean within-point variance across seeds / seeds per point) / variance of
    the point means. Noise adds about this much to every total-order index, so
    above ``NOISE_WARNING`` the indices mostly describe the noise. NaN with one
    seed per point (the noise cannot be measured).
    """
    g = values.groupby("point", sort=True)[column]
    n = g.count()
    if n.min() < 2:
        return float("nan")
    within = float(g.var(ddof=1).mean())
    between = float(g.mean().var(ddof=1))
    if between <= 0:
        return float("inf") if within > 0 else 0.0
    return within / float(n.mean()) / between


def sobol_from_values(
    problem: dict[str, Any], y: np.ndarray, second_order: bool = False, seed: int = 1
) -> pd.DataFrame:
    """Sobol indices (S1, ST and their 95% CI half-widths) of outputs ``y`` in Saltelli order.

    With ``second_order`` the second-order indices are kept in ``attrs["S2"]``
    (a parameter x parameter table) and their half-widths in ``attrs["S2_conf"]``.
    """
    from SALib.analyze import sobol

    res = sobol.analyze(
        problem,
        np.asarray(y, dtype=float),
        calc_second_order=second_order,
        num_resamples=200,
        conf_level=0.95,
        seed=seed,
    )
    out = pd.DataFrame(
        {
            "parameter": problem["names"],
            "S1": res["S1"],
            "S1_conf": res["S1_conf"],
            "ST": res["ST"],
            "ST_conf": res["ST_conf"],
        }
    ).sort_values("ST", ascending=False, ignore_index=True)
    if second_order:
        names = problem["names"]
        out.attrs["S2"] = pd.DataFrame(res["S2"], index=names, columns=names)
        out.attrs["S2_conf"] = pd.DataFrame(res["S2_conf"], index=names, columns=names)
    return out


def sobol_indices(directory: str | Path, outcome: str) -> pd.DataFrame:
    """Sobol indices of ``outcome`` from a finished ``sobol`` sweep, with their noise and convergence checks.

    Columns: parameter (the factors and ``dummy``), S1, ST with 95% CI
    half-widths, the same indices from the first N/2 base samples (S1_half,
    ST_half) and ST_change = ST - ST_half. ``attrs``: ``noise_share`` (see
    ``noise_share``; a ``NoisyOutcomeWarning`` above 0.1), ``dummy_ST`` (the
    noise floor: a factor whose ST is not above it cannot be told from noise),
    ``max_ST_change``, ``converged`` (``max_ST_change`` at most
    ``CONVERGED_CHANGE``: doubling N from N/2 moved no ST by more than that),
    ``N``, ``seeds``, ``salib_version`` and ``S2`` when the design has
    second-order terms.
    """
    import warnings
    from importlib import metadata

    man = read_manifest(directory)
    if man["design"] != "sobol":
        raise ValueError(f"{directory}: design is '{man['design']}'; Sobol indices need design = \"sobol\"")
    df = load_sweep(directory)
    col = _outcome_column(df, outcome, directory)
    share = noise_share(df, col)
    if not np.isfinite(share):
        raise ValueError(f"{directory}: one seed per point; Sobol indices need 2 or more seeds to measure the noise")
    y = df.groupby("point", sort=True)[col].mean().to_numpy()
    problem, second = _problem(man), bool(man.get("second_order", False))
    n = int(man["samples"])
    full = sobol_from_values(problem, y, second)
    per_block = (2 * problem["num_vars"] + 2) if second else (problem["num_vars"] + 2)
    half = sobol_from_values(problem, y[: (n // 2) * per_block], second).set_index("parameter")
    full["S1_half"] = full["parameter"].map(half["S1"])
    full["ST_half"] = full["parameter"].map(half["ST"])
    full["ST_change"] = full["ST"] - full["ST_half"]
    full.attrs.update(
        noise_share=share,
        max_ST_change=float(full["ST_change"].abs().max()),
        converged=bool(full["ST_change"].abs().max() <= CONVERGED_CHANGE),
        N=n,
        seeds=int(df.groupby("point")[col].count().min()),
        salib_version=metadata.version("SALib"),
    )
    if man.get("dummy_factor"):
        full.attrs["dummy_ST"] = float(full.set_index("parameter").loc[DUMMY, "ST"])
    if share > NOISE_WARNING:
        warnings.warn(
            f"{outcome}: seed noise is {share:.0%} of the variance of the point means (above "
            f"{NOISE_WARNING:.0%}); its Sobol indices are inflated by about that much: add seeds",
            NoisyOutcomeWarning,
            stacklevel=2,
        )
    return full


def morris_indices(directory: str | Path, outcome: str) -> pd.DataFrame:
    """Morris screening (mu*, its CI, sigma) of ``outcome`` from a finished ``morris`` sweep."""
    from SALib.sample import morris as morris_sample

    man = read_manifest(directory)
    if man["design"] != "morris":
        raise ValueError(f"{directory}: design is '{man['design']}'; Morris screening needs design = \"morris\"")
    problem = _problem(man)
    stored = Path(directory) / "unit_design.parquet"
    if stored.exists():  # the design the runs were made from, not a resample
        x = pd.read_parquet(stored)[problem["names"]].to_numpy()
    else:
        x = morris_sample.sample(problem, man["samples"], num_levels=4, seed=man["design_seed"])
    y = point_means(directory, outcome)[outcome].to_numpy()
    return morris_from_values(problem, x, y)


def morris_from_values(problem: dict[str, Any], x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """Morris mu*, its 95% CI, mu and sigma of outputs ``y`` at the unit-cube design ``x``."""
    from SALib.analyze import morris

    res = morris.analyze(
        problem,
        np.asarray(x, dtype=float),
        np.asarray(y, dtype=float),
        num_resamples=200,
        conf_level=0.95,
        num_levels=4,
        seed=1,
    )
    return pd.DataFrame(
        {
            "parameter": problem["names"],
            "mu_star": res["mu_star"],
            "mu_star_conf": res["mu_star_conf"],
            "mu": res["mu"],
            "sigma": res["sigma"],
        }
    ).sort_values("mu_star", ascending=False, ignore_index=True)


def sensitivity_chart(indices: pd.DataFrame, title: str, path: str | Path | None = None):
    """Tornado/bar chart of Sobol (S1 and ST with CIs) or Morris (mu* with CI) indices."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    df = indices.iloc[::-1]
    y = np.arange(len(df))
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(df) + 1.4))
    if "ST" in df.columns:
        ax.barh(y + 0.2, df["ST"], 0.4, xerr=df["ST_conf"], capsize=3, label="total order (ST)", color="#c0392b")
        ax.barh(y - 0.2, df["S1"], 0.4, xerr=df["S1_conf"], capsize=3, label="first order (S1)", color="#2980b9")
        ax.set_xlabel("Sobol index (share of output variance)")
        if DUMMY in set(df["parameter"]):  # the dummy's ST: indices below it cannot be told from seed noise
            floor = float(df.loc[df["parameter"] == DUMMY, "ST"].iloc[0])
            ax.axvline(floor, color="grey", ls="--", lw=1, label=f"noise floor (dummy ST {floor:.2f})")
        ax.legend(frameon=False, fontsize=8)
    else:
        ax.barh(y, df["mu_star"], 0.6, xerr=df["mu_star_conf"], capsize=3, color="#2980b9")
        ax.set_xlabel("Morris mu* (mean absolute elementary effect)")
    ax.set_yticks(y)
    ax.set_yticklabels(df["parameter"])
    ax.axvline(0, color="black", lw=0.6)
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=120)
        plt.close(fig)
    return fig


# --- scenario discovery -------------------------------------------------------------------


@dataclass
class Rule:
    """One PRIM box of parameter space: its restrictions, coverage, density and their reliability."""

    conditions: list[str]
    n: int
    hits: int
    coverage: float
    density: float
    qp: dict[str, float] = field(default_factory=dict)
    stability: dict[str, float] = field(default_factory=dict)
    outside: int = 0  # boxes found before this one: its runs are those outside all of them

    def text(self) -> str:
        """The rule in words, with the quasi-p-value of each restriction and its resampling stability."""
        cond = " AND ".join(self.conditions) if self.conditions else "(any parameters)"
        if self.outside:
            cond = f"(outside the {'box' if self.outside == 1 else f'{self.outside} boxes'} above) AND {cond}"
        out = (
            f"IF {cond} THEN {self.density:.0%} of runs are of interest "
            f"({self.hits} of {self.n} runs; {self.coverage:.0%} of all runs of interest)"
        )
        if self.qp:
            out += "; quasi-p " + ", ".join(f"{k} {v:.2g}" for k, v in self.qp.items())
        if self.stability:
            out += "; restriction found in " + ", ".join(f"{k} {v:.0%}" for k, v in self.stability.items())
            out += " of resamples"
        return out


def _prim_frame(df: pd.DataFrame, factors: list[str]) -> pd.DataFrame:
    """Factors as PRIM needs them: numbers as floats, lists of values and flags as unordered categories."""
    x = pd.DataFrame(index=range(len(df)))
    for f in factors:
        col = df[f].reset_index(drop=True)
        if pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col):
            x[f] = pd.Categorical(col.astype(str))
        else:
            x[f] = col.astype(float)
    return x


def _box_mask(x: pd.DataFrame, lims: pd.DataFrame, dims: list[str]) -> np.ndarray:
    inside = np.ones(len(x), dtype=bool)
    for d in dims:
        lo, hi = lims[d].iloc[0], lims[d].iloc[1]
        if isinstance(lo, set):
            inside &= x[d].astype(str).isin(lo).to_numpy()
        else:
            inside &= ((x[d] >= lo) & (x[d] <= hi)).to_numpy()
    return inside


def _restricted(lims: pd.DataFrame, init: pd.DataFrame) -> list[str]:
    out = []
    for d in init.columns:
        a, b = lims[d].iloc[0], lims[d].iloc[1]
        if isinstance(a, set):
            if a != init[d].iloc[0]:
                out.append(d)
        elif a > init[d].iloc[0] or b < init[d].iloc[1]:
            out.append(d)
    return out


def _condition_text(d: str, lims: pd.DataFrame, init: pd.DataFrame) -> str:
    lo, hi = lims[d].iloc[0], lims[d].iloc[1]
    if isinstance(lo, set):
        return f"{d} in {{{', '.join(sorted(map(str, lo)))}}}"
    parts = []
    if lo > init[d].iloc[0]:
        parts.append(f"{lo:.4g} <=")
    parts.append(d)
    if hi < init[d].iloc[1]:
        parts.append(f"<= {hi:.4g}")
    return " ".join(parts)


def discover(
    df: pd.DataFrame,
    factors: list[str],
    outcome: str,
    threshold: float,
    above: bool = True,
    min_coverage: float = 0.8,
    min_density: float = 0.5,
    mass_min: float = 0.05,
    peel_alpha: float = 0.05,
    max_boxes: int = 3,
    resamples: int = 10,
    seed: int = 1,
) -> list[Rule]:
    """Parameter regions where ``outcome`` is above (or below) ``threshold``, found by PRIM.

    PRIM (Friedman & Fisher 1999) from EMA Workbench peels the parameter space
    towards the runs of interest; categorical parameters are restricted to
    subsets of their values, never treated as ordered. Each box is taken at the
    point of its peeling trajectory with the highest density whose coverage is
    at least ``min_coverage`` (or with the largest coverage x density when none
    reaches it); boxes with density below ``min_density`` are dropped. As in PRIM's
    covering, each box after the first holds only the runs outside the boxes before
    it (so the boxes are disjoint and their coverages add up to at most 100%).
    Coverage: share of all runs of interest inside the box; density: share of the
    box's runs of interest. Each restriction carries its quasi-p-value (the chance that
    restricting that parameter is no better than chance) and the share of
    ``resamples`` PRIM runs on half the data that restrict it too. Use runs from
    an ``lhs`` design (Saltelli and Morris designs are not space-filling).
    """
    from ema_workbench.analysis import prim

    data = df.dropna(subset=[outcome]).reset_index(drop=True)
    x = _prim_frame(data, factors)
    y = ((data[outcome] > threshold) if above else (data[outcome] < threshold)).to_numpy()
    total = int(y.sum())
    if total == 0:
        return []
    p = prim.Prim(x, y, peel_alpha=peel_alpha, mass_min=mass_min)
    init = p.box_init
    rules: list[Rule] = []
    taken = np.zeros(len(x), dtype=bool)  # runs inside the boxes found so far (PRIM peels the rest)
    for _ in range(max_boxes):
        box = p.find_box()
        if box is None:
            break
        traj = box.peeling_trajectory.reset_index(drop=True)
        i = _choose(traj, min_coverage)
        lims = box.box_lims[i]
        dims = _restricted(lims, init)
        if not dims:
            break
        inside = _box_mask(x, lims, dims) & ~taken
        hits = int(y[inside].sum())
        qp = {d: max((v for v in box.p_values[i].get(d, []) if v >= 0), default=float("nan")) for d in dims}
        stability = _stability(x, y, dims, resamples, seed, min_coverage, mass_min, peel_alpha) if resamples else {}
        box.select(i)  # the next box peels the runs outside this one
        rules.append(
            Rule(
                [_condition_text(d, lims, init) for d in dims],
                int(inside.sum()),
                hits,
                hits / total,
                hits / max(int(inside.sum()), 1),
                qp,
                stability,
                len(rules),
            )
        )
        taken |= inside
        if traj.loc[i, "density"] < min_density:
            rules.pop()  # not a region of interest: stop
            break
    return rules


def _choose(traj: pd.DataFrame, min_coverage: float) -> int:
    ok = traj[traj["coverage"] >= min_coverage]
    return int(ok["density"].idxmax()) if len(ok) else int((traj["coverage"] * traj["density"]).idxmax())


def _stability(
    x: pd.DataFrame,
    y: np.ndarray,
    dims: list[str],
    n: int,
    seed: int,
    min_coverage: float,
    mass_min: float,
    alpha: float,
) -> dict[str, float]:
    """Share of PRIM runs on random halves of the runs whose first box restricts each of ``dims``."""
    from ema_workbench.analysis import prim

    rng = np.random.default_rng(seed)
    found = dict.fromkeys(dims, 0)
    for _ in range(n):
        idx = np.sort(rng.choice(len(y), size=len(y) // 2, replace=False))
        if not y[idx].any():
            continue
        p = prim.Prim(x.iloc[idx].reset_index(drop=True), y[idx], peel_alpha=alpha, mass_min=mass_min)
        box = p.find_box()
        traj = box.peeling_trajectory.reset_index(drop=True)
        for d in _restricted(box.box_lims[_choose(traj, min_coverage)], p.box_init):
            if d in found:
                found[d] += 1
    return {d: k / n for d, k in found.items()}


def discover_sweep(directory: str | Path, outcome: str, threshold: float, above: bool = True, **kw) -> list[Rule]:
    """``discover`` on the runs of a finished sweep; refuses Saltelli and Morris designs (use ``lhs``)."""
    man = read_manifest(directory)
    if man["design"] in ("sobol", "morris"):
        raise ValueError(
            f"{directory}: design is '{man['design']}', whose points are not space-filling; "
            "allowed: scenario discovery on an lhs (or grid) sweep"
        )
    df = load_sweep(directory, complete=True)
    col = _outcome_column(df, outcome, directory)
    return discover(df, [f["name"] for f in man["factors"]], col, threshold, above, **kw)


def print_rules(rules: list[Rule], what: str) -> str:
    """Readable text of discovered rules."""
    if not rules:
        return f"No parameter region where {what}."
    lines = [f"Parameter regions where {what} (PRIM):"]
    lines += [f"  {i + 1}. {r.text()}" for i, r in enumerate(rules)]
    return "\n".join(lines)
