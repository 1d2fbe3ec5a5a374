"""Validation suite: the model reproduces what is known, and says how sure it is.

One module per case (``case1_x`` … ``case8_licheng``, ``case_rules``, ``case_points``,
``case_timeline``, ``case_smooth``), each with a ``run(settings) -> CaseResult``;
``runner`` runs them, prints a table of checks with 95% confidence intervals over seeds, writes one figure per case
and a JSON/Markdown summary. ``cogov validate`` is the command line.
"""

from sim.validation.common import CaseResult, Check, Settings
from sim.validation.runner import CASES, run_cases

__all__ = ["CASES", "CaseResult", "Check", "Settings", "run_cases"]
