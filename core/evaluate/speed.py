"""Service-level speed: latency per row and batch throughput, against the goal's speed requirement.

Latency is the median time of a one-row prediction (what an online endpoint pays per call,
including AutoGluon's feature preparation); throughput is rows per second of one batch of
``batch_rows`` test rows (repeated when the test set is smaller), as a nightly batch job runs.
A batch requirement ("10,000 items within 360 minutes") needs items / (minutes × 60) rows per
second; an online requirement needs the latency at most the stated milliseconds.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from core.evaluate.data import EvalData


@dataclass
class Speed:
    """Measured speed and the requirement it is compared with."""

    latency_ms: float
    throughput: float
    batch_rows: int
    kind: str | None = None
    required: float | None = None
    passed: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)


def required_speed(data: EvalData) -> tuple[str | None, float | None]:
    """("batch", rows per second needed) or ("online", max milliseconds per row) or (None, None)."""
    speed = data.goal.preconditions.speed
    if speed.kind == "online" and speed.latency_ms:
        return "online", float(speed.latency_ms)
    if speed.kind == "batch" and speed.items and speed.window_minutes:
        return "batch", float(speed.items) / (float(speed.window_minutes) * 60)
    return None, None


def check(speed: Speed) -> bool | None:
    """Whether the measured speed meets the requirement (None when there is none)."""
    if speed.kind == "online":
        return speed.latency_ms <= speed.required
    if speed.kind == "batch":
        return speed.throughput >= speed.required
    return None


def measure_speed(data: EvalData, batch_rows: int = 1000, repeats: int = 7) -> Speed:
    """Latency of one-row predictions and throughput of one batch, with the goal's verdict."""
    predictor, model = data.predictor, data.model
    predict = predictor.predict if data.problem_type == "regression" else predictor.predict_proba
    one = data.X_test.iloc[:1]
    predict(one, model=model)  # warm-up: lazy loading is not what a running service pays
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        predict(one, model=model)
        times.append(time.perf_counter() - t0)
    reps = -(-batch_rows // len(data.X_test))
    batch = pd.concat([data.X_test] * reps).iloc[:batch_rows]
    t0 = time.perf_counter()
    predict(batch, model=model)
    elapsed = max(time.perf_counter() - t0, 1e-9)
    kind, required = required_speed(data)
    out = Speed(round(statistics.median(times) * 1000, 2), round(len(batch) / elapsed, 1), len(batch), kind, required)
    out.passed = check(out)
    return out
