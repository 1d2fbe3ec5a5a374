"""cogov-sim: an agent-based simulator of community co-governance (Mesa 3).

Quick start::

    import sim
    model = sim.CommunityModel(scenario="governance-partners", seed=1)
    model.run(365)
    df = model.results()

Your own mechanism: subclass ``sim.Mechanism`` and pass it as a plug-in,
``sim.CommunityModel(scenario, seed=1, plugins=[MyMechanism])`` (docs/extending.md).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cogov-sim")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.1.0+source"

from sim.mechanisms.base import Mechanism, Outcome, Param, State  # noqa: E402
from sim.model import CommunityModel  # noqa: E402
from sim.scenario import Scenario, ScenarioError, load_scenario, preset_names  # noqa: E402

__all__ = [
    "CommunityModel",
    "Mechanism",
    "Outcome",
    "Param",
    "Scenario",
    "ScenarioError",
    "State",
    "load_scenario",
    "preset_names",
    "__version__",
]
