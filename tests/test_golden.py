"""The golden file: every preset's final outcome row (seeds 1-3, 180 days, reference population).

A refactor must not move a number. Each run is compared bit for bit with
tests/golden/final_rows.json; when a change is meant to move numbers, regenerate it with
``PYTHONPATH=. python tests/golden/regenerate.py`` and say why in the commit message.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from sim.scenario import preset_names

_HERE = Path(__file__).with_name("golden")
_spec = importlib.util.spec_from_file_location("golden_regenerate", _HERE / "regenerate.py")
regen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regen)
EXPECTED = json.loads((_HERE / "final_rows.json").read_text())


def test_golden_covers_every_preset():
    assert {k.split("/")[0] for k in EXPECTED} == set(preset_names())


@pytest.mark.parametrize("preset", preset_names())
def test_golden_final_rows_unchanged(preset):
    for seed in regen.SEEDS:
        key = f"{preset}/{seed}"
        got = {key: regen.final_row(preset, seed)}
        assert not regen.differences({key: EXPECTED[key]}, got), regen.differences({key: EXPECTED[key]}, got)[:10]


def test_golden_comparison_detects_a_change():
    key = next(iter(EXPECTED))
    moved = {key: dict(EXPECTED[key])}
    name = next(k for k, v in moved[key].items() if v == v and k != "tick")
    moved[key][name] += 1e-9
    assert regen.differences({key: EXPECTED[key]}, moved)
