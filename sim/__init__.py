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

# Loaded on first use (PEP 562), so `import sim.cli` starts fast and a Ctrl-C while the
# command line is still importing numpy or pandas can be handled there (exit 130, no traceback).
_LAZY = {
    "CommunityModel": "sim.model",
    "Mechanism": "sim.mechanisms.base",
    "Outcome": "sim.mechanisms.base",
    "Param": "sim.mechanisms.base",
    "State": "sim.mechanisms.base",
    "Scenario": "sim.scenario",
    "ScenarioError": "sim.scenario",
    "load_scenario": "sim.scenario",
    "preset_names": "sim.scenario",
}


# submodules the README uses as ``sim.io.write_run(...)`` after a plain ``import sim``
_SUBMODULES = ("io", "plotting", "outcomes", "params", "scenario", "timeline", "validation", "calibrate", "profile")


def __getattr__(name: str):
    import importlib

    if name in _SUBMODULES:
        value = importlib.import_module(f"sim.{name}")
        globals()[name] = value
        return value
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_SUBMODULES})
