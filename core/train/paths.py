"""Where a run's artefacts live: ``projects/<pid>/runs/<run_id>/`` (model, log, predict.py)."""

from __future__ import annotations

from pathlib import Path

from core.db import Store
from core.store.paths import resolve

LOG_NAME, MODEL_NAME, SCRIPT_NAME, CARD_NAME = "train.log", "model", "predict.py", "model_card.json"


def run_relpath(project_id: int, run_id: int) -> str:
    """The run folder relative to the artefact root."""
    return f"projects/{int(project_id)}/runs/{int(run_id)}"


def run_dir(store: Store, project_id: int, run_id: int) -> Path:
    """Absolute run folder."""
    return resolve(store, run_relpath(project_id, run_id))


def log_relpath(project_id: int, run_id: int) -> str:
    """The run's log file relative to the artefact root (stored on the run row)."""
    return f"{run_relpath(project_id, run_id)}/{LOG_NAME}"


def read_log_tail(store: Store, relpath: str, max_chars: int = 8000) -> str:
    """The last characters of a run's log ('' when it does not exist)."""
    if not relpath:
        return ""
    try:
        path = resolve(store, relpath)
        with path.open("rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - max_chars * 2))
            return fh.read().decode("utf-8", errors="replace")[-max_chars:]
    except (OSError, ValueError):
        return ""
