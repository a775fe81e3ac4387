"""What the harnesses share: slow-input capture and the seed corpus.

A harness runs one entry point on one input. An exception the entry point does not document is a crash
(libFuzzer saves the input under ``fuzz/artifacts/<target>/crash-*``); an input slower than
``SLOW_SECONDS`` is saved as ``slow-*`` beside them, and one past libFuzzer's ``-timeout`` as ``timeout-*``.
"""

from __future__ import annotations

import hashlib
import os
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SLOW_SECONDS = float(os.environ.get("COMITY_FUZZ_SLOW", "2.0"))
#: The page titles ``fuzz_wikitext`` chooses from with the first byte of an input.
TITLES = [
    "Foreign relations of Peru",
    "Foreign relations of South Korea",
    "Foreign relations of Kosovo",
    "Foreign relations of Abkhazia",
    "Foreign relations of Taiwan",
    "Foreign relations of the Sahrawi Arab Democratic Republic",
    "Foreign relations of Atlantis",
    "Foreign relations of Korea",
]


def artifacts(target: str) -> Path:
    path = HERE / "artifacts" / target
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def timed(target: str, data: bytes):
    """Save ``data`` as a slow input when the body takes longer than ``SLOW_SECONDS``."""
    t0 = time.perf_counter()
    yield
    took = time.perf_counter() - t0
    if took > SLOW_SECONDS:
        name = f"slow-{took:.1f}s-{hashlib.sha1(data).hexdigest()[:12]}"
        (artifacts(target) / name).write_bytes(data)
