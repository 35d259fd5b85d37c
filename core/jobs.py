"""What every background worker process (train, predict, explain) starts with."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from core.db import Store, open_store


@contextlib.contextmanager
def worker_store() -> Iterator[Store]:
    """Log to stderr and open the store the parent named (``ML_STUDIO_ARTEFACTS``); close it after."""
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    artefacts = os.environ.get("ML_STUDIO_ARTEFACTS")
    store = open_store(artefacts=Path(artefacts) if artefacts else None, run_migrations=False)
    try:
        yield store
    finally:
        store.engine.dispose()
