"""The mechanism lifecycle: each mechanism is a module with its own random stream."""

from __future__ import annotations


class Mechanism:
    """One rule module of the tick.

    Subclasses set ``name`` (also the name of their random stream), override
    ``active`` to say when they run (a mechanism switched off is skipped: it
    costs nothing and draws nothing) and ``step`` for one day's work.
    """

    name = "mechanism"

    def __init__(self, model):
        self.model = model
        self.rng = model.streams[self.name]

    def active(self, p: dict) -> bool:
        """Whether the mechanism runs under parameters ``p``."""
        return True

    def step(self) -> None:
        """Advance the mechanism by one day."""
