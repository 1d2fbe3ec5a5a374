"""Threshold participation: residents join once enough others already take part.

An alternative to the logistic choice of ``participation.py`` (selected with
``participation_rule = "threshold"``): each adult has a threshold, the share
of the other adults in their reference group (building or community) who must
already be taking part before they join too (Granovetter 1978, AJS 83(6):
"Threshold models of collective behavior"). Thresholds are drawn once from
``threshold_dist``:

- ``"even"``: evenly spaced from 0 to just below 1 (k/N for k = 0 … N−1 over
  the N adults of each reference group), in random order: Granovetter's
  uniform distribution, thresholds 0, 1, …, 99 for 100 people;
- ``"uniform"``: independent uniform draws on [0, 1);
- ``"normal"``: independent normal draws with mean ``threshold_mean`` and sd
  ``threshold_sd`` (a threshold below 0 joins at once, above 1 never);
- ``"normal-even"``: the normal quantiles at (k + ½)/N, k = 0 … N−1, in random
  order: the expected normal distribution, without sampling gaps (the
  setting of Granovetter's analytic normal example).

Each day a resident whose threshold is met by the share of others active
within ``activity_window`` (as at the end of yesterday) takes part with the
chance that there is an occasion to join (organisations provide occasions, as
in the logistic rule). A resident's threshold stands for everything else in
the logistic rule; newcomers draw a fresh one. Nothing is drawn while the rule
is "logit".
"""

from __future__ import annotations

from typing import override

import numpy as np
from scipy.special import ndtri

from sim.mechanisms.base import A, Mechanism, ModelLike, Param, param, segment_starts

TOLERANCE = 1e-9  # shares equal up to rounding meet the threshold


# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [thresholds])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "participation_rule",
        "thresholds",
        "logit",
        "choice",
        "how residents decide to take part: the logistic choice, or thresholds on the share of "
        "others already taking part",
        "Granovetter 1978, AJS 83(6) (threshold models); logit the default",
        choices=("logit", "threshold"),
        zh="参与决策规则",
    ),
    param(
        "threshold_dist",
        "thresholds",
        "even",
        "choice",
        "distribution of thresholds: evenly spaced 0…(N−1)/N, uniform draws, normal draws, or evenly "
        "spaced normal quantiles",
        "Granovetter 1978 (uniform and normal examples)",
        choices=("even", "uniform", "normal", "normal-even"),
        zh="阈值分布",
    ),
    param(
        "threshold_mean",
        "thresholds",
        0.25,
        "float",
        "mean threshold (share of others taking part) of the normal distribution",
        "Granovetter 1978 (mean 25 of 100)",
        "",
        -1.0,
        2.0,
        zh="阈值均值",
    ),
    param(
        "threshold_sd",
        "thresholds",
        0.10,
        "float",
        "sd of thresholds of the normal distribution",
        "Granovetter 1978 (critical sd ≈ 12 of 100); default assumption",
        "",
        0.0,
        2.0,
        zh="阈值标准差",
    ),
    param(
        "threshold_scope",
        "thresholds",
        "community",
        "choice",
        "whose participation a resident counts: the other adults of the building or of the community",
        A,
        choices=("community", "building"),
        zh="参照范围",
    ),
)


class Thresholds(Mechanism):
    """Draw thresholds once; each day the residents whose threshold is met take part."""

    name = "thresholds"
    params = CORE_PARAMS

    def __init__(self, model: ModelLike):
        super().__init__(model)
        self._theta: np.ndarray | None = None
        self._last_tick = 0

    @override
    def active(self, p: dict) -> bool:
        """Runs when the threshold rule is chosen."""
        return p["participation_rule"] == "threshold"

    def _scope(self) -> tuple[np.ndarray, int]:
        """Reference group of every resident and the number of groups."""
        m = self.model
        if m.p["threshold_scope"] == "building":
            return m.residents.building, m.struct.n_buildings
        return m.residents.community, m.struct.n_communities

    def _draw(self, ids: np.ndarray) -> np.ndarray:
        p = self.model.p
        dist = p["threshold_dist"]
        if dist == "normal":
            return self.rng.normal(p["threshold_mean"], p["threshold_sd"], len(ids))
        if dist == "uniform":
            return self.rng.random(len(ids))
        # even spacing within each reference group, in random order: k/N, or normal quantiles
        group, _ = self._scope()
        g = group[ids]
        order = np.lexsort((self.rng.random(len(ids)), g))
        sizes = np.bincount(g)
        start = segment_starts(sizes)
        sg = g[order]
        rank = np.arange(len(ids)) - start[sg]
        out = np.empty(len(ids))
        n = np.maximum(sizes[sg], 1)
        if dist == "normal-even":
            out[order] = p["threshold_mean"] + p["threshold_sd"] * ndtri((rank + 0.5) / n)
        else:
            out[order] = rank / n
        return out

    def thresholds(self) -> np.ndarray:
        """Every resident's threshold (NaN for children), drawn on first use.

        The array is the residents' state: an experiment may change single
        thresholds (as Granovetter does) before the run goes on.
        """
        res = self.model.residents
        if self._theta is None:
            self._theta = np.full(res.n, np.nan)
            adults = np.flatnonzero(res.adult)
            self._theta[adults] = self._draw(adults)
        return self._theta

    @override
    def step(self) -> None:
        m, res = self.model, self.model.residents
        theta = self.thresholds()
        new = m.arrived_since(self._last_tick)
        new = new[res.adult[new]]
        if len(new) and self._last_tick > 0:
            theta[new] = self._draw(new)
        self._last_tick = m.tick
        group, n_groups = self._scope()
        adult = res.adult
        active = m.recent & adult
        n_active = np.bincount(group, weights=active, minlength=n_groups)
        n_adult = np.bincount(group, weights=adult, minlength=n_groups)
        others = np.maximum(n_adult[group] - adult, 1)
        share = (n_active[group] - active) / others
        met = adult & (share + TOLERANCE >= theta)
        cand = np.flatnonzero(met)
        if len(cand) == 0:
            return
        chance = m.occasions[res.community[cand]]
        who = cand[self.rng.random(len(cand)) < chance]
        m.record_activity(who)
