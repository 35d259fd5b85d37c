"""Loading a run's AutoGluon predictor: one cache for the whole process (Test step, Predict, explanations).

A predictor is loaded once per folder and file version and kept (at most :data:`CACHE_SIZE` at a
time, the oldest dropped first). ``persist`` keeps a model's fitted members in memory for fast
repeated scoring (Predict); evaluating only reads. A missing or incomplete folder is one clear
error, whoever asks.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from core.errors import UserError

CACHE_SIZE = 4
_CACHE: dict[tuple[str, float], Any] = {}
_PERSISTED: set[tuple[tuple[str, float], str]] = set()
_LOCK = threading.Lock()


def load_predictor(path: Path, *, persist: str | None = None) -> Any:
    """The predictor in ``path`` (loaded on first use); ``persist``: a model to keep in memory ("best" for the best)."""
    marker = Path(path) / "predictor.pkl"
    if not marker.exists():
        raise UserError("train.error.model_files_missing", path=str(path))
    key = (str(path), marker.stat().st_mtime)
    with _LOCK:
        predictor = _CACHE.get(key)
        if predictor is None:
            from autogluon.tabular import TabularPredictor

            from core.train.worker import quiet_torch_probes

            quiet_torch_probes()
            predictor = TabularPredictor.load(str(path), verbosity=0, require_py_version_match=False)
            while len(_CACHE) >= CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = predictor
        if persist and (key, persist) not in _PERSISTED:
            try:
                predictor.persist(models=[persist] if persist != "best" else "best")
                _PERSISTED.add((key, persist))
            except Exception:  # noqa: BLE001 - not enough memory to persist: score from disk instead
                pass
        return predictor
