"""Fuzzing scenario input: every input either runs or raises ScenarioError, never anything else."""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from pathlib import Path

from conftest import TINY
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sim import CommunityModel, ScenarioError, load_scenario
from sim.params import BY_NAME, PARAMS, SECTIONS, STRUCTURAL

NAMES = [p.name for p in PARAMS]
# FUZZ_EXAMPLES=600 for a longer hunt; 60 keeps the suite fast
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 60)), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# --- values --------------------------------------------------------------------------------

scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6,
)


def valid_value(p) -> st.SearchStrategy:
    """A value inside the parameter's declared range."""
    if p.kind == "bool":
        return st.booleans()
    if p.kind == "int":
        return st.integers(min_value=int(p.lo), max_value=int(p.hi))
    if p.kind == "float":
        return st.floats(min_value=p.lo, max_value=p.hi, allow_nan=False)
    if p.kind == "choice":
        return st.sampled_from(p.choices)
    return st.just({})


def edge_value(p) -> st.SearchStrategy:
    """Values at, just outside, and far outside the range, of the right and wrong type."""
    if p.kind in ("int", "float"):
        lo, hi = p.lo, p.hi
        edges = [lo, hi, lo - 1, hi + 1, -hi, hi * 10, math.nan, math.inf, -math.inf, float(lo), 0.5]
        return st.sampled_from(edges)
    if p.kind == "choice":
        return st.sampled_from(["", "WEEKLY", "daily", 0, True])
    if p.kind == "bool":
        return st.sampled_from([0, 1, "true", None, 1.0])
    return st.one_of(st.just(None), st.just([]), st.just(7))


@st.composite
def param_value(draw, name: str):
    p = BY_NAME.get(name)
    if p is None:
        return draw(junk)
    if name == "shock_set":
        return draw(st.dictionaries(st.sampled_from(NAMES + ["pointz", "nope"]), scalars, max_size=3))
    return draw(st.one_of(valid_value(p), valid_value(p), edge_value(p), junk))


keys = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(NAMES).map(lambda k: k[:-1]),  # misspelled
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12),
)


@st.composite
def overrides(draw, exclude=()):
    chosen = draw(st.lists(keys, max_size=6, unique=True))
    out = {k: draw(param_value(k)) for k in chosen if k not in exclude and k.isidentifier()}
    return out


# --- TOML writing (no TOML writer in the standard library) --------------------------------

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_key(k: str) -> str:
    return k if _BARE.match(k) else json.dumps(k)


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    if v is None:
        return '""'
    raise TypeError(type(v))


@st.composite
def toml_documents(draw):
    """Scenario files: known and unknown sections, keys in right and wrong sections, odd values."""
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        section = draw(st.one_of(st.sampled_from(SECTIONS), st.sampled_from(["scenario", "incentive", "x y"])))
        lines.append(f"[{toml_key(section)}]")
        for k, v in draw(overrides()).items():
            lines.append(f"{toml_key(k)} = {toml_value(v)}")
    if draw(st.booleans()):
        lines.insert(
            0,
            draw(
                st.sampled_from(
                    [
                        "points = true",
                        "junk",
                        '[scenario]\nextends = "self"',
                        "[scenario]\ndescription = 5",
                        "= 3",
                        "[[incentives]]",
                    ]
                )
            ),
        )
    return "\n".join(lines) + "\n"


# --- the properties ----------------------------------------------------------------------


def _only_scenario_errors(action) -> bool:
    """Run ``action``; True if it ran, False if it raised ScenarioError; anything else propagates."""
    try:
        action()
    except ScenarioError as exc:
        assert str(exc).strip(), "empty error message"
        event("ScenarioError")
        return False
    event("ran")
    return True


@FUZZ
@given(overrides())
def test_load_scenario_with_random_overrides(values):
    _only_scenario_errors(lambda: load_scenario(None, **values))


# population sizes are pinned to the tiny community so valid inputs run fast
@FUZZ
@given(overrides(exclude=set(TINY)), st.integers(0, 2**32 - 1))
def test_model_with_random_overrides_runs_or_raises_scenario_error(values, seed):
    def build_and_run():
        m = CommunityModel(seed=seed, check=True, **values, **TINY)
        m.run(35)
        df = m.results()
        assert len(df) == 36
        assert (df["residents"] == TINY["residents"]).all()

    _only_scenario_errors(build_and_run)


SHARE_GROUPS = (("share_small", "share_major", "share_hard"), ("share_provider", "share_incubator", "share_fund"))
IN_GROUPS = {k for g in SHARE_GROUPS for k in g}
POLICY = [p.name for p in PARAMS if p.name not in STRUCTURAL and p.name not in IN_GROUPS]


@st.composite
def valid_overrides(draw):
    """In-range values for random policy and behaviour parameters, shares summing to one, maybe a shock."""
    chosen = draw(st.lists(st.sampled_from(POLICY), max_size=12, unique=True))
    out = {k: draw(valid_value(BY_NAME[k])) for k in chosen}
    for group in SHARE_GROUPS:
        if draw(st.booleans()):
            w = draw(st.lists(st.integers(0, 10), min_size=3, max_size=3).filter(any))
            out.update({k: x / sum(w) for k, x in zip(group, w, strict=True)})
            # rounding can leave the sum a hair off 1; let the last share absorb it
            out[group[-1]] = max(0.0, 1.0 - out[group[0]] - out[group[1]])
    # a meeting-made rule needs meetings (scenario.py refuses it otherwise): give it a meeting cadence
    by_meeting = any(k.startswith("rule_origin") and v == "meeting" for k, v in out.items())
    if by_meeting and out.get("meeting_cadence", BY_NAME["meeting_cadence"].default) == "none":
        out["meeting_cadence"] = draw(st.sampled_from([c for c in BY_NAME["meeting_cadence"].choices if c != "none"]))
    if draw(st.booleans()):
        shock = draw(st.lists(st.sampled_from(POLICY), min_size=1, max_size=3, unique=True))
        out["shock_tick"] = draw(st.integers(0, 35))
        out["shock_set"] = {k: draw(valid_value(BY_NAME[k])) for k in shock}
    return out


@FUZZ
@given(valid_overrides(), st.integers(0, 2**32 - 1))
def test_model_with_random_valid_levers_runs_in_checked_mode(values, seed):
    # in-range, consistent values must run, and the invariants hold whatever the levers
    m = CommunityModel(seed=seed, check=True, **values, **TINY)
    m.run(40)
    assert not m.results().isna().any().any()


@FUZZ
@given(toml_documents())
def test_random_scenario_files_load_or_raise_scenario_error(text):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "self.toml"
        path.write_text(text, encoding="utf-8")

        def load_and_run():
            scen = load_scenario(path)
            CommunityModel(scen, seed=1, check=True, **TINY).run(10)

        _only_scenario_errors(load_and_run)


@FUZZ
@given(st.text(max_size=200))
def test_arbitrary_text_files_load_or_raise_scenario_error(text):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "any.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _only_scenario_errors(lambda: load_scenario(path))


@FUZZ
@given(st.binary(max_size=64))
def test_binary_files_raise_scenario_error_or_load(data):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "bin.toml"
        path.write_bytes(data)
        _only_scenario_errors(lambda: load_scenario(path))
