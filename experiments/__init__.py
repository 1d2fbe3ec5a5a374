"""Experiments on the cogov-sim model: scenario comparisons, parameter sweeps, analysis.

* ``experiments.compare``: ``cogov compare A B ...`` (CIs, paired tests, HTML report)
* ``experiments.robust``: ``cogov compare A B ... --worlds N`` (across plausible worlds; ``robust_compare``)
* ``experiments.shapley``: ``cogov explain A B`` (Shapley attribution to lever groups)
* ``experiments.sweep``: ``cogov sweep FILE`` (dask.distributed, resumable)
* ``experiments.analysis``: Sobol and Morris sensitivity, scenario discovery
* ``experiments.store``: ``load_sweep(DIR)`` loads a sweep directory into one DataFrame
"""

from experiments.store import load_series, load_sweep


def robust_compare(*args, **kwargs):
    """Compare scenarios across plausible worlds; see ``experiments.robust.robust_compare``."""
    from experiments.robust import robust_compare as run

    return run(*args, **kwargs)


__all__ = ["load_series", "load_sweep", "robust_compare"]
