"""Analysis of sweeps: global sensitivity (SALib) and scenario discovery.

* ``sobol_indices(DIR, outcome)``: first- and total-order Sobol indices with
  confidence intervals, from a sweep whose design is ``sobol``.
* ``morris_indices(DIR, outcome)``: Morris elementary effects (mu*, sigma)
  from a ``morris`` sweep.
* ``sensitivity_chart(indices)``: a tornado/bar chart of the indices.
* ``discover(df, factors, outcome, threshold)``: which parameter ranges lead to
  an outcome above (or below) a threshold, found by a shallow decision tree
  (scikit-learn) and printed as readable rules with coverage and density.

Seeds: a sweep with several seeds per point is averaged per point before the
analysis, so the indices describe the parameters' effect on the expected
outcome; the seed-to-seed noise left in the means widens the confidence intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.store import load_sweep, read_manifest


def _problem(manifest: dict[str, Any]) -> dict[str, Any]:
    names = [f["name"] for f in manifest["factors"]]
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def point_means(directory: str | Path, outcome: str) -> pd.DataFrame:
    """Outcome averaged over seeds at each design point, in design order."""
    df = load_sweep(directory)
    col = f"{outcome}_outcome" if f"{outcome}_outcome" in df.columns else outcome
    if col not in df.columns:
        raise KeyError(f"{outcome}: not an outcome of this sweep")
    if df[col].isna().any():
        missing = int(df[col].isna().sum())
        raise ValueError(f"{directory}: {missing} runs are not finished; resume the sweep first")
    return df.groupby("point", sort=True)[col].mean().rename(outcome).reset_index()


def sobol_from_values(
    problem: dict[str, Any], y: np.ndarray, second_order: bool = False, seed: int = 1
) -> pd.DataFrame:
    """Sobol indices (S1, ST and their 95% CI half-widths) of outputs ``y`` in Saltelli order."""
    from SALib.analyze import sobol

    res = sobol.analyze(
        problem,
        np.asarray(y, dtype=float),
        calc_second_order=second_order,
        num_resamples=200,
        conf_level=0.95,
        seed=seed,
    )
    return pd.DataFrame(
        {
            "parameter": problem["names"],
            "S1": res["S1"],
            "S1_conf": res["S1_conf"],
            "ST": res["ST"],
            "ST_conf": res["ST_conf"],
        }
    ).sort_values("ST", ascending=False, ignore_index=True)


def sobol_indices(directory: str | Path, outcome: str) -> pd.DataFrame:
    """Sobol first- and total-order indices of ``outcome`` from a finished ``sobol`` sweep."""
    man = read_manifest(directory)
    if man["design"] != "sobol":
        raise ValueError(f"{directory}: design is '{man['design']}'; Sobol indices need design = \"sobol\"")
    y = point_means(directory, outcome)[outcome].to_numpy()
    return sobol_from_values(_problem(man), y, bool(man.get("second_order", False)))


def morris_indices(directory: str | Path, outcome: str) -> pd.DataFrame:
    """Morris screening (mu*, its CI, sigma) of ``outcome`` from a finished ``morris`` sweep."""
    from SALib.sample import morris as morris_sample

    man = read_manifest(directory)
    if man["design"] != "morris":
        raise ValueError(f"{directory}: design is '{man['design']}'; Morris screening needs design = \"morris\"")
    problem = _problem(man)
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
    """One box of parameter space: its conditions, coverage and density."""

    conditions: list[str]
    n: int
    hits: int
    coverage: float
    density: float

    def text(self) -> str:
        """The rule in words."""
        cond = " AND ".join(self.conditions) if self.conditions else "(any parameters)"
        return (
            f"IF {cond} THEN {self.density:.0%} of runs are of interest "
            f"({self.hits} of {self.n} runs; {self.coverage:.0%} of all runs of interest)"
        )


def _encode(df: pd.DataFrame, factors: list[str]) -> tuple[pd.DataFrame, dict[str, list]]:
    x = pd.DataFrame(index=df.index)
    cats: dict[str, list] = {}
    for f in factors:
        col = df[f]
        if col.dtype == bool or col.dtype == object or isinstance(col.dtype, pd.StringDtype):
            values = sorted(col.unique(), key=str)
            cats[f] = values
            x[f] = col.map({v: i for i, v in enumerate(values)}).astype(float)
        else:
            x[f] = col.astype(float)
    return x, cats


def _condition(name: str, threshold: float, left: bool, cats: dict[str, list]) -> str:
    if name in cats:
        values = [v for i, v in enumerate(cats[name]) if (i <= threshold) == left]
        return f"{name} in {{{', '.join(map(str, values))}}}"
    return f"{name} {'<=' if left else '>'} {threshold:.4g}"


def discover(
    df: pd.DataFrame,
    factors: list[str],
    outcome: str,
    threshold: float,
    above: bool = True,
    max_depth: int = 3,
    min_share: float = 0.05,
    min_density: float = 0.5,
) -> list[Rule]:
    """Parameter ranges where ``outcome`` is above (or below) ``threshold``, as rules.

    Fits a shallow decision tree (scikit-learn) on the runs; every leaf where
    most runs are of interest becomes a rule. Coverage: share of all runs of
    interest inside the box; density: share of the box's runs that are of interest.
    """
    from sklearn.tree import DecisionTreeClassifier

    data = df.dropna(subset=[outcome])
    x, cats = _encode(data, factors)
    y = (data[outcome] > threshold) if above else (data[outcome] < threshold)
    y = y.to_numpy()
    total = int(y.sum())
    if total == 0:
        return []
    tree = DecisionTreeClassifier(
        max_depth=max_depth, min_samples_leaf=max(2, int(min_share * len(y))), random_state=0
    ).fit(x.to_numpy(), y)
    t = tree.tree_
    rules: list[Rule] = []

    def walk(node: int, conds: list[str], idx: np.ndarray) -> None:
        if t.children_left[node] == -1:
            hits = int(y[idx].sum())
            if len(idx) and hits / len(idx) >= min_density:
                rules.append(Rule(_merge(conds), len(idx), hits, hits / total, hits / len(idx)))
            return
        f, thr = factors[t.feature[node]], t.threshold[node]
        col = x.to_numpy()[idx, t.feature[node]]
        walk(t.children_left[node], conds + [_condition(f, thr, True, cats)], idx[col <= thr])
        walk(t.children_right[node], conds + [_condition(f, thr, False, cats)], idx[col > thr])

    walk(0, [], np.arange(len(y)))
    return sorted(rules, key=lambda r: (-r.density, -r.coverage))


def _merge(conds: list[str]) -> list[str]:
    """Merge repeated bounds on one parameter (keep the tightest) for readability."""
    lower: dict[str, float] = {}
    upper: dict[str, float] = {}
    other: list[str] = []
    for c in conds:
        parts = c.split(" ")
        if len(parts) == 3 and parts[1] in ("<=", ">"):
            name, op, val = parts[0], parts[1], float(parts[2])
            if op == "<=":
                upper[name] = min(upper.get(name, np.inf), val)
            else:
                lower[name] = max(lower.get(name, -np.inf), val)
        else:
            other.append(c)
    out = []
    for name in dict.fromkeys([c.split(" ")[0] for c in conds]):
        if name in lower and name in upper:
            out.append(f"{lower[name]:.4g} < {name} <= {upper[name]:.4g}")
        elif name in lower:
            out.append(f"{name} > {lower[name]:.4g}")
        elif name in upper:
            out.append(f"{name} <= {upper[name]:.4g}")
    # categorical conditions: keep the last one for each parameter (the tightest)
    last: dict[str, str] = {}
    for c in other:
        last[c.split(" ")[0]] = c
    return out + list(last.values())


def print_rules(rules: list[Rule], what: str) -> str:
    """Readable text of discovered rules."""
    if not rules:
        return f"No parameter region where {what}."
    lines = [f"Parameter regions where {what}:"]
    lines += [f"  {i + 1}. {r.text()}" for i, r in enumerate(rules)]
    return "\n".join(lines)
