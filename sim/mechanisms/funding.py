"""Resources and funding (seed 001 §3; seed 000 §4.1.2).

Money flows in each day: the government grant to each community fund, and
outsourced-service income split 70% to the providing organisation, 25% to the
incubation platform (which funds the community's organisations) and 5% to the
community fund. Richer communities earn more (``community_wealth``). Money
flows out to points redemption (an earmarked budget set aside from the fund
each year), to projects and to organisations' running costs. No account ever
goes negative: a payment the balance cannot cover is refused.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.calendar import is_year_start, per_day
from sim.mechanisms.base import A, Mechanism, ModelLike, Outcome, Param, param

# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [funding])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "government_grant",
        "funding",
        300000.0,
        "float",
        "government grant to each community fund per year",
        A,
        "yuan/year",
        0.0,
        1e9,
        lever=True,
        zh="政府年度拨款",
    ),
    param(
        "government_budget",
        "funding",
        2_000_000.0,
        "float",
        "government budget per year for co-funding projects, shared by all communities",
        A,
        "yuan/year",
        0.0,
        1e10,
        zh="政府项目配套年度预算",
    ),
    param(
        "service_income",
        "funding",
        100000.0,
        "float",
        "income from outsourced services per community per year",
        "seed 001 §3 一是; amount assumption",
        "yuan/year",
        0.0,
        1e9,
        zh="服务外包年收入",
    ),
    param(
        "share_provider",
        "funding",
        0.70,
        "float",
        "share of service income to the providing organisation",
        "seed 001 §3 一是 (70/25/5)",
        "",
        0.0,
        1.0,
        zh="服务方分成",
    ),
    param(
        "share_incubator",
        "funding",
        0.25,
        "float",
        "share of service income to the incubation platform (funds organisations)",
        "seed 001 §3 一是 (70/25/5)",
        "",
        0.0,
        1.0,
        zh="孵化平台分成",
    ),
    param(
        "share_fund",
        "funding",
        0.05,
        "float",
        "share of service income to the community fund",
        "seed 001 §3 一是 (70/25/5)",
        "",
        0.0,
        1.0,
        zh="社区基金分成",
    ),
    param(
        "initial_fund",
        "funding",
        100000.0,
        "float",
        "community fund at the start",
        A,
        "yuan",
        0.0,
        1e9,
        zh="社区基金初始额",
    ),
)


class Funds:
    """Money accounts of each community, in yuan."""

    def __init__(self, n_communities: int, initial: float):
        self.community = np.full(n_communities, float(initial))
        self.points_budget = np.zeros(n_communities)
        self.bank_hours_forfeited = 0.0

    def spend_community(self, c: int, amount: float) -> None:
        """Pay ``amount`` from community ``c``'s fund (callers check the balance)."""
        if amount > self.community[c] + 1e-9:
            raise ValueError("payment exceeds the community fund")
        self.community[c] -= amount


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "fund_balance",
        "money in the community funds (yuan)",
        "yuan",
        "Community funds",
        "社区基金余额（元）",
        "stock",
        "neutral",
        compute=lambda m: float(m.funds.community.sum()),
    ),
    Outcome(
        "points_budget_left",
        "money left for redeeming points this year (yuan)",
        "yuan",
        "Points budget left",
        "积分兑换剩余预算（元）",
        "stock",
        "neutral",
        compute=lambda m: float(m.funds.points_budget.sum()),
    ),
)


class Funding(Mechanism):
    """Daily inflows, yearly budgets, organisations' funding."""

    name = "funding"
    outcomes = OUTCOMES
    params = CORE_PARAMS

    def __init__(self, model: ModelLike):
        super().__init__(model)
        # the yearly points budget this year's allocation was made for (0: points off); None
        # until the first year's allocation on day 1
        self._year_budget: float | None = None

    def params_changed(self) -> None:
        """A dated change of ``points`` or ``points_budget`` resizes this year's points budget on its day.

        The year's budget becomes the new yearly amount less what was already spent: a rise
        moves the difference from the fund (as far as it holds), a cut or switching points off
        returns the unspent difference to it. Before day 1 the first allocation is still to come.
        """
        if self._year_budget is None:
            return
        p, f = self.model.p, self.model.funds
        want = float(p["points_budget"]) if p["points"] else 0.0
        delta = want - self._year_budget
        if delta > 0:
            take = np.minimum(delta, f.community)
            f.community -= take
            f.points_budget += take
        elif delta < 0:
            back = np.minimum(-delta, f.points_budget)
            f.points_budget -= back
            f.community += back
        self._year_budget = want

    @override
    def step(self) -> None:
        m, p, f = self.model, self.model.p, self.model.funds
        if is_year_start(m.tick):
            self._new_year()
        wealth = p["community_wealth"]
        grant = per_day(p["government_grant"] * wealth)
        income = per_day(p["service_income"] * wealth)
        f.community += grant + income * p["share_fund"]
        orgs = m.orgs
        if orgs.n:
            per_c = np.bincount(orgs.community, weights=orgs.alive, minlength=len(f.community))
            providers = (orgs.kind == 1) & orgs.alive  # money goes to organisations still active
            n_prov = np.bincount(orgs.community[providers], minlength=len(f.community)).astype(float)
            incub = income * p["share_incubator"] / np.maximum(per_c, 1)
            prov = np.where(n_prov > 0, income * p["share_provider"] / np.maximum(n_prov, 1), 0.0)
            orgs.funding += incub[orgs.community] * orgs.alive + providers * prov[orgs.community]
            orgs.run_costs(p["org_friction_rate"])

    def _new_year(self) -> None:
        m, p, f = self.model, self.model.p, self.model.funds
        m.government.budget = p["government_budget"]
        if p["points"]:
            # unspent money from last year returns to the fund before the new allocation
            f.community += f.points_budget
            f.points_budget[:] = 0.0
            take = np.minimum(p["points_budget"], f.community)
            f.community -= take
            f.points_budget += take
        self._year_budget = float(p["points_budget"]) if p["points"] else 0.0
