"""EMA Workbench adapter: run a researcher's EMA scripts on this project's runner and store.

EMA Workbench (Kwakkel 2017) samples uncertainties and levers, runs a model
for each experiment and analyses the results (PRIM, feature scoring, robust
optimisation). This module lets such a script run cogov-sim through the dask
runner and the crash-safe run store of ``experiments/`` instead of EMA's own
evaluators::

    from ema_workbench import RealParameter, ScalarOutcome, perform_experiments
    from experiments.ema import StoreEvaluator, cogov_model

    model = cogov_model("governance-partners", ticks=365, residents=3000, households=1015)
    model.uncertainties = [RealParameter("base_logit", -11, -8), RealParameter("w_social", 0.5, 4)]
    model.levers = [RealParameter("points_budget", 0, 200000)]
    model.outcomes = [ScalarOutcome("participation"), ScalarOutcome("disputes_total")]
    with StoreEvaluator(model, "results/ema-study", workers=2) as ev:
        experiments, outcomes = perform_experiments(model, scenarios=64, policies=4, evaluator=ev)

Every experiment becomes one run of the store (its id hashes the full
parameter set, seed and length), so an interrupted study resumes where it
stopped and a repeated one reads its stored runs; runs made by other model
sources are refused (``store.StaleRunsError``). Outcome values are the run
summaries of ``store.summary_values`` (flows summed, stocks averaged over the
last 30 days). Parameter names are cogov-sim parameters (``cogov params``); a
``seed`` uncertainty or constant sets the seed (default 1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from experiments import runner, store
from sim.scenario import load_scenario


def run_cogov(base: str = "defaults", ticks: int = 365, seed: int = 1, **params: Any) -> dict[str, float]:
    """Run one model in this process and return its outcome summaries (EMA's model function)."""
    from sim.model import CommunityModel

    scen = load_scenario(None if base == "defaults" else base, **params)
    df = CommunityModel(scenario=scen, seed=int(seed)).run(int(ticks)).results()
    return {k: float(v) for k, v in store.summary_values(df).items()}


def cogov_model(base: str = "defaults", ticks: int = 365, name: str = "cogov", **fixed: Any):
    """An EMA ``Model`` of cogov-sim: base scenario, run length and fixed overrides as constants."""
    from ema_workbench import Constant, Model

    model = Model(name, function=run_cogov)
    model.constants = [Constant("base", base), Constant("ticks", ticks)] + [Constant(k, v) for k, v in fixed.items()]
    return model


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v


def _experiment_params(model, experiment) -> tuple[str, int, int, dict[str, Any]]:
    values: dict[str, Any] = {c.name: c.value for c in model.constants}
    values.update({k: _plain(v) for k, v in experiment.scenario.items()})
    values.update({k: _plain(v) for k, v in experiment.policy.items()})
    base = values.pop("base", "defaults")
    ticks = int(values.pop("ticks", 365))
    seed = int(values.pop("seed", 1))
    return base, ticks, seed, values


def _evaluator_base():
    from ema_workbench.em_framework.evaluators import BaseEvaluator

    return BaseEvaluator


class StoreEvaluator(_evaluator_base()):
    """EMA evaluator that runs experiments through ``experiments.runner`` into a run store at ``out``."""

    def __init__(self, msis, out: str | Path, workers: int | None = 0, scheduler: str | None = None):
        super().__init__(msis)
        self.out = Path(out)
        self.workers = workers
        self.scheduler = scheduler
        self.last: runner.Outcome | None = None

    def initialize(self):
        """Nothing to start: the runner starts (and stops) its dask cluster per batch."""

    def finalize(self):
        """Nothing to stop."""

    def evaluate_experiments(self, experiments, callback, **kwargs):
        """Run the experiments not stored yet, then report every experiment's outcomes to EMA."""
        experiments = list(experiments)
        models = {m.name: m for m in self._msis}
        tasks, order = [], []
        for exp in experiments:
            model = models[exp.model_name]
            base, ticks, seed, values = _experiment_params(model, exp)
            scen = load_scenario(None if base == "defaults" else base, **values)
            params = store.canonical(scen.params)
            rid = store.run_id(params, seed, ticks)
            order.append(rid)
            tasks.append(
                {
                    "run_id": rid,
                    "scenario": scen.name,
                    "params": params,
                    "seed": seed,
                    "ticks": ticks,
                    "description": scen.description,
                    "sources": scen.sources,
                }
            )
        store.clean_temporaries(self.out)
        done = store.done_ids(self.out)
        store.check_sources(self.out, done & set(order))
        todo = [t for t in runner.dedupe(tasks) if t["run_id"] not in done]
        self.last = runner.execute(
            todo,
            lambda rid, df: store.write_run(self.out, rid, df),
            store_dir=self.out,
            workers=self.workers,
            scheduler=self.scheduler,
        )
        if self.last.interrupted:
            raise KeyboardInterrupt
        if self.last.failed:
            rid, msg = next(iter(self.last.failed.items()))
            raise RuntimeError(f"{len(self.last.failed)} runs failed; first {rid}: {msg}")
        rows = store._read_parts(self.out / store.RUNS, list(dict.fromkeys(order))).set_index("run_id")
        for exp, rid in zip(experiments, order, strict=True):
            model = models[exp.model_name]
            names = [o.name for o in model.outcomes]
            callback(exp, {n: float(rows.loc[rid, n]) for n in names})
