"""Checks made before any work starts, and signal handling, shared by the CLI and the experiments.

Everything here is light (standard library only), so the CLI can use it before its heavy
imports: a Ctrl-C while ``cogov`` is still importing then ends quietly with exit 130.

- ``check_seed`` / ``seed_arg``: one seed range, 0 ≤ seed < 2**63, for the CLI, the API
  and sweep files (a seed is stored as a signed 64-bit integer in every Parquet table).
- ``check_text``: text values without control characters.
- ``check_output_dir``: an output folder that can be created and written, checked before
  a run starts rather than found unwritable after it.
- ``sigterm_as_interrupt``: SIGTERM (sent by ``timeout``, Slurm, containers, systemd)
  handled like Ctrl-C; ``exit_code`` gives 143 after SIGTERM and 130 after Ctrl-C.
- ``error_line``: the one ``cogov: error:`` line every user error is reported as.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SEED_LIMIT = 2**63  # seeds are stored as int64 (Parquet, pandas): 0 ≤ seed < 2**63
SEED_ALLOWED = f"a whole number from 0 to {SEED_LIMIT - 1} (2**63 - 1)"
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports after Ctrl-C
EXIT_TERMINATED = 143  # 128 + SIGTERM
MAX_RUNS = 1_000_000  # designs larger than this need --max-runs (a typo in a grid is not a week of work)
TEXT_ALLOWED_CONTROLS = {"\n", "\t"}  # multi-line descriptions are ordinary TOML


class OutputError(ValueError):
    """An output folder that cannot be created or written; reported as a ``cogov: error:`` line."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be so that one code path saves a run for both."""


# --- seeds and text ---------------------------------------------------------------------


def check_seed(value: Any, where: str = "seed") -> int:
    """Return ``value`` as an int seed, or raise ``ScenarioError`` naming ``where``.

    Accepts ints and integral floats/numpy numbers (``3.0``); refuses booleans, text,
    fractions (``1.7`` would otherwise silently become 1) and values outside 0 ≤ seed < 2**63.
    """
    from sim.scenario import ScenarioError  # here, not at the top: keeps this module light

    if isinstance(value, bool) or not _is_number(value):
        raise ScenarioError(f"{where}: {value!r} is not a number; allowed: {SEED_ALLOWED}")
    try:
        as_int = int(value)
        integral = as_int == value
    except (OverflowError, ValueError):  # inf, nan
        integral = False
    if not integral:
        raise ScenarioError(f"{where}: {value!r} is not a whole number; allowed: {SEED_ALLOWED}")
    if not 0 <= as_int < SEED_LIMIT:
        raise ScenarioError(f"{where}: {as_int} is out of range; allowed: {SEED_ALLOWED}")
    return as_int


def _is_number(value: Any) -> bool:
    if isinstance(value, (int, float)):
        return True
    # numpy scalars without importing numpy
    return hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iuf" and getattr(value, "ndim", 1) == 0


def seed_arg(text: str) -> int:
    """Argparse type of a seed (``--seed N``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}; allowed: {SEED_ALLOWED}") from None
    if not 0 <= value < SEED_LIMIT:
        raise argparse.ArgumentTypeError(f"{value} is out of range; allowed: {SEED_ALLOWED}")
    return value


def whole_number(unit: str = "", minimum: int = 0, allowed: str | None = None):
    """An argparse type for a whole number ≥ ``minimum`` (of ``unit``), with a plain message."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            of = f" of {unit}" if unit else ""
            raise argparse.ArgumentTypeError(f"expected a whole number{of}, got {text!r}") from None
        if value < minimum:
            what = allowed or f"{minimum} {unit} or more".replace("  ", " ")
            raise argparse.ArgumentTypeError(f"{value} is not allowed; allowed: {what}")
        return value

    return parse


workers_arg = whole_number("workers", 0, "1 or more worker processes, or 0 to run in this process")


def control_character(text: str) -> str | None:
    """The first control character in ``text`` (newline and tab allowed), or None."""
    for ch in text:
        if ch not in TEXT_ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs"):
            return ch
    return None


def check_text(value: str, where: str, multiline: bool = True) -> str:
    """Return ``value``, or raise ``ScenarioError`` if it holds control characters (NUL, ESC, ...)."""
    from sim.scenario import ScenarioError

    bad = control_character(value)
    if bad is None and not multiline and ("\n" in value or "\t" in value):
        bad = "\n" if "\n" in value else "\t"
    if bad is not None:
        raise ScenarioError(
            f"{where}: holds the control character U+{ord(bad):04X}; allowed: text without control characters"
        )
    return value


# --- output folders -------------------------------------------------------------------------


def check_output_dir(path: str | Path, create: bool = True) -> Path:
    """Make sure ``path`` can be a folder we write into; raise ``OutputError`` naming it if not.

    Checks every existing part of the path is a folder, creates the missing ones (when
    ``create``) and writes and removes a probe file in the folder. Probing by writing,
    not by ``os.access``, also catches read-only mounts, ``/proc`` and running as root.
    """
    out = Path(path)
    for part in [out, *out.parents]:
        if part.exists() or part.is_symlink():
            if not part.is_dir():
                where = "is a file" if part == out else f"is under {part}, which is a file"
                raise OutputError(f"--out {out}: {where}; allowed: a folder that can be created and written")
            break
    target = out if create else next(p for p in [out, *out.parents] if p.is_dir())
    try:
        target.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".cogov-probe-", dir=target)
        os.close(fd)
        os.unlink(probe)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__
        raise OutputError(
            f"--out {out}: cannot be written ({reason}); allowed: a folder that can be created and written"
        ) from None
    return out


# --- signals ----------------------------------------------------------------------------------

_received: list[int] = []  # signals that interrupted this process (for the exit code)


def _on_sigterm(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    _received.append(signum)
    raise Terminated()


def _on_sigint(signum, frame) -> None:  # noqa: ARG001
    _received.append(signum)
    raise KeyboardInterrupt()


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises ``Terminated`` (a ``KeyboardInterrupt``), like Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received.clear()
    # a signal the caller ignores (nohup, a background job of a script) stays ignored
    previous = {
        s: signal.signal(s, handler)
        for s, handler in ((signal.SIGTERM, _on_sigterm), (signal.SIGINT, _on_sigint))
        if signal.getsignal(s) is not signal.SIG_IGN
    }
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def interrupted_by() -> str | None:
    """Name of the signal that interrupted the work (``SIGTERM``/``SIGINT``), or None."""
    if not _received:
        return None
    return signal.Signals(_received[0]).name


def exit_code(code: int) -> int:
    """``code``, with an interrupted exit (130) turned into 143 when SIGTERM was the cause."""
    if code == EXIT_INTERRUPTED and _received and _received[0] == signal.SIGTERM:
        return EXIT_TERMINATED
    return code


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Let files be written in full even if Ctrl-C or SIGTERM comes again (both ignored inside)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def quiet_interrupt_on_import() -> Iterator[None]:
    """Ctrl-C during the imports in the block ends the program with exit 130 and no traceback."""
    try:
        yield
    except KeyboardInterrupt:
        raise SystemExit(EXIT_INTERRUPTED) from None


# --- error lines ----------------------------------------------------------------------------------


def error_line(message: str) -> str:
    """One ``cogov: error:`` line for ``message`` (several lines are joined with ``; ``)."""
    lines = [line.strip() for line in str(message).strip().splitlines() if line.strip()] or ["unknown error"]
    text = lines[0] if len(lines) == 1 else f"{lines[0]} (and {len(lines) - 1} more: {'; '.join(lines[1:])})"
    return f"cogov: error: {text}"


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one ``cogov: error:`` line and exit 2 (no usage block)."""

    def error(self, message: str):
        """Print ``message`` as one error line and exit 2."""
        report_error(f"{message} (see `{self.prog} --help`)")
        raise SystemExit(2)


def report_error(message: str, stream=None) -> None:
    """Print ``message`` as one ``cogov: error:`` line on stderr."""
    print(error_line(message), file=stream if stream is not None else sys.stderr)
