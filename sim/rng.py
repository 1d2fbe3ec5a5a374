"""Common random numbers: one independent random stream per mechanism.

Each stream is derived from the run's seed and the mechanism's name, so
switching a mechanism or lever changes only the draws of what depends on it;
every other mechanism sees exactly the same random numbers as before.
"""

from __future__ import annotations

import zlib

import numpy as np


class Streams:
    """Named random generators derived from one seed (``numpy.random.SeedSequence``)."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._streams: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        gen = self._streams.get(name)
        if gen is None:
            key = zlib.crc32(name.encode("utf-8"))
            seq = np.random.SeedSequence(entropy=self.seed, spawn_key=(key,))
            gen = self._streams[name] = np.random.Generator(np.random.PCG64(seq))
        return gen


def fresh_seed() -> int:
    """A random seed from the OS, for runs started without one (it is recorded)."""
    return int(np.random.SeedSequence().entropy % (2**63))
