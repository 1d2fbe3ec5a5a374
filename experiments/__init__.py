"""Experiments on the cogov-sim model: scenario comparisons, parameter sweeps, analysis.

* ``experiments.compare``: ``cogov compare A B ...`` (CIs, paired tests, HTML report)
* ``experiments.sweep``: ``cogov sweep FILE`` (dask.distributed, resumable)
* ``experiments.analysis``: Sobol and Morris sensitivity, scenario discovery
* ``experiments.store``: ``load_sweep(DIR)`` loads a sweep directory into one DataFrame
"""

from experiments.store import load_series, load_sweep

__all__ = ["load_series", "load_sweep"]
