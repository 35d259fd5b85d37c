"""Progress shared by the worker's heartbeat thread and AutoGluon's callback (no AutoGluon import)."""

from __future__ import annotations

import threading
import time
from typing import Any

from core.db import Store
from core.store import runs

POST_FIT_ALLOWANCE_S = 5.0  # threshold calibration and saving after the last model


class Reporter:
    """Shared state between the callback and the heartbeat thread; writes the run row."""

    def __init__(self, store: Store, run_id: int, time_limit: float | None, planned: int = 0) -> None:
        self.store, self.run_id, self.time_limit = store, run_id, time_limit
        self.planned, self.done, self.current = planned, 0, ""
        self.status = runs.RUNNING
        self.fit_started = time.monotonic()
        self.lock = threading.Lock()

    @property
    def cancel_requested(self) -> bool:
        """Whether to stop: the user cancelled, or the run was ended or deleted meanwhile."""
        return self.status != runs.RUNNING

    def eta(self) -> float | None:
        """Seconds left: the smaller of the time budget left and the average model time × models left."""
        elapsed = time.monotonic() - self.fit_started
        guesses = []
        if self.time_limit:
            guesses.append(max(0.0, self.time_limit - elapsed) + POST_FIT_ALLOWANCE_S)
        if self.done and self.planned:
            guesses.append(elapsed / self.done * max(0, self.planned - self.done) + POST_FIT_ALLOWANCE_S)
        return round(min(guesses), 1) if guesses else None

    def progress(self) -> float:
        """Share done, by models and by time, never 1 before the run has finished."""
        by_models = self.done / self.planned if self.planned else 0.0
        by_time = (time.monotonic() - self.fit_started) / self.time_limit if self.time_limit else 0.0
        return round(min(0.99, max(by_models, by_time)), 3)

    def write(self, **extra: Any) -> None:
        """Write progress, ETA and the current model (and any extra fields) to the run row."""
        with self.lock:
            values = {"progress": self.progress(), "models_done": self.done, "models_planned": self.planned,
                      "current_model": self.current[:200], "eta_seconds": self.eta(), **extra}
        status = runs.update_progress(self.store, self.run_id, **values)
        self.status = status or runs.CANCELLING  # a deleted run (project deleted) stops too
