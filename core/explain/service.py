"""Explanations of a run's model, cached on disk next to the model, computed inline or in a worker.

Files (per run and model, in ``projects/<pid>/runs/<run_id>/``):

* ``shap_<model>.parquet``: SHAP values per explained test row (index: row id) and column,
  plus ``__prediction__``;
* ``shap_<model>.json``: base value, method (exact / mixed / approximate), exact share, parts,
  background size and timing;
* ``shap_<model>.status.json``: a background job's state (running / done / failed, pid, error).

Background rows are a fixed sample of ``BACKGROUND_ROWS`` *training* rows (never test rows): 50
keeps 1,000 test rows of the Quick preset's ensemble within 15 s on two cores (``bench/bench_explain.py``).
Small or exactly explainable jobs run while the page waits (:func:`runs_inline`); the others run in
``python -m core.explain.worker`` and the page polls :func:`status`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from core.db import Store
from core.errors import UserError
from core.evaluate.data import EvalData, load_eval_data
from core.explain.engine import Explanation, explain_predictor
from core.models import utcnow
from core.store import runs
from core.train.paths import run_dir

ROOT = Path(__file__).resolve().parents[2]
BACKGROUND_ROWS = 50  # 1,000 rows of the Quick preset's ensemble in under 15 s on 2 cores (bench_explain)
INLINE_ROWS = 300
PRED = "__prediction__"
RUNNING, DONE, FAILED = "running", "done", "failed"
STARTING_S = 30.0
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def _paths(store: Store, run: runs.RunInfo, model: str) -> tuple[Path, Path, Path]:
    folder = run_dir(store, run.project_id, run.id)
    stem = "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in model)
    return folder / f"shap_{stem}.parquet", folder / f"shap_{stem}.json", folder / f"shap_{stem}.status.json"


def runs_inline(data: EvalData) -> bool:
    """Whether the page may compute all explanations while the user waits (few rows, exact methods)."""
    return len(data.X_test) <= INLINE_ROWS and data.problem_type in ("binary", "regression")


def background_rows(data: EvalData, n: int = BACKGROUND_ROWS, seed: int = 0) -> pd.DataFrame:
    """A fixed sample of the training rows' features (the reference the values are measured against)."""
    return data.X_train.sample(n=min(n, len(data.X_train)), random_state=seed)


def compute(data: EvalData, rows: list[Any] | None = None, background: int = BACKGROUND_ROWS) -> Explanation:
    """SHAP values for test rows ``rows`` (row ids; all test rows when None), not cached."""
    X = data.X_test if rows is None else data.X_test.loc[rows]
    label = data.recipe.target.positive_class if data.problem_type == "multiclass" else None
    if data.problem_type == "multiclass" and label not in [str(c) for c in data.class_labels]:
        label = str(data.class_labels[0])
    if label is not None:
        label = next(c for c in data.class_labels if str(c) == str(label))
    return explain_predictor(data.predictor, data.model, X, background_rows(data, background), class_label=label)


def save(store: Store, run: runs.RunInfo, explanation: Explanation) -> None:
    """Write the cache files of an explanation."""
    parquet, meta, _ = _paths(store, run, explanation.model)
    frame = explanation.values.copy()
    frame.columns = [str(c) for c in frame.columns]
    frame[PRED] = explanation.prediction.to_numpy()
    frame.index = frame.index.astype("int64")
    tmp = parquet.with_suffix(".tmp")
    frame.to_parquet(tmp)
    os.replace(tmp, parquet)
    meta.write_text(json.dumps({**explanation.meta(), "created_at": utcnow().isoformat(),
                                "columns": list(explanation.values.columns)}, ensure_ascii=False), encoding="utf-8")


def load_cached(store: Store, run: runs.RunInfo, model: str) -> Explanation | None:
    """The cached explanation of ``model``, or None."""
    parquet, meta, _ = _paths(store, run, model)
    if not (parquet.exists() and meta.exists()):
        return None
    info = json.loads(meta.read_text(encoding="utf-8"))
    frame = pd.read_parquet(parquet)
    values = frame.drop(columns=[PRED])
    values.columns = info.get("columns") or list(values.columns)
    return Explanation(values=values, base=float(info["base"]), prediction=frame[PRED], output=info["output"],
                       class_label=info.get("class_label"), method=info["method"],
                       exact_share=float(info["exact_share"]), model=info["model"], parts=info.get("parts", []),
                       background_rows=int(info.get("background_rows", 0)), seconds=float(info.get("seconds", 0)))


def explain_run(store: Store, run_id: int, model: str | None = None, *, data: EvalData | None = None,
                use_cache: bool = True) -> Explanation:
    """All test rows' explanation of the run's model: from the cache, else computed and cached."""
    data = data or load_eval_data(store, run_id, model)
    if use_cache:
        cached = load_cached(store, data.run, data.model)
        if cached is not None and set(cached.values.index) >= set(data.X_test.index):
            return cached
    explanation = compute(data)
    save(store, data.run, explanation)
    return explanation


def explain_row(data: EvalData, row_id: Any, cached: Explanation | None = None) -> Explanation:
    """One test row's explanation (from the cache when it holds the row)."""
    if row_id not in data.X_test.index:
        raise UserError("explain.error.row_not_found", row=row_id)
    if cached is not None and row_id in cached.values.index:
        return cached
    return compute(data, [row_id])


def find_row(data: EvalData, column: str, value: str) -> Any:
    """The row id of the first test row whose ``column`` equals ``value`` (as text), else UserError."""
    if column not in data.raw_test.columns:
        raise UserError("explain.error.no_column", column=column)
    hits = data.raw_test.index[data.raw_test[column].astype(str).str.strip() == str(value).strip()]
    if len(hits) == 0:
        raise UserError("explain.error.row_not_found", row=f"{column} = {value}")
    return hits[0]


# --------------------------------------------------------------------------- background job


def status(store: Store, run_id: int, model: str) -> dict[str, Any]:
    """A background job's state ({} when none was started); a dead worker shows as failed."""
    run = runs.get_run(store, run_id)
    if run is None:
        return {}
    _, _, path = _paths(store, run, model)
    if not path.exists():
        return {}
    info = json.loads(path.read_text(encoding="utf-8"))
    starting = info.get("pid") is None and info.get("state") == RUNNING and _age_s(info) < STARTING_S
    if info.get("state") == RUNNING and not starting and not _alive(info.get("pid")):
        info = {**info, "state": FAILED, "error": info.get("error") or "explain.error.worker_died"}
    return info


def _age_s(info: dict[str, Any]) -> float:
    """Seconds since a status file was written."""
    from datetime import datetime

    try:
        return (utcnow() - datetime.fromisoformat(info["updated_at"])).total_seconds()
    except (KeyError, ValueError, TypeError):
        return float("inf")


def _alive(pid: int | None) -> bool:
    import psutil

    for known, proc in list(_CHILDREN.items()):  # reap finished workers this process started
        if proc.poll() is not None:
            del _CHILDREN[known]
    try:
        return pid is not None and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def write_status(store: Store, run: runs.RunInfo, model: str, **info: Any) -> None:
    """Record a background job's state."""
    _, _, path = _paths(store, run, model)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**info, "updated_at": utcnow().isoformat()}), encoding="utf-8")


def explain_in_background(store: Store, run_id: int, model: str | None = None) -> int:
    """Start ``python -m core.explain.worker RUN_ID MODEL`` (its own session); returns its pid."""
    run = runs.get_run(store, run_id)
    if run is None or run.status != runs.SUCCEEDED:
        raise UserError("evaluate.error.run_not_ready", id=run_id)
    from core.evaluate.data import run_model

    name = run_model(run, model)
    current = status(store, run_id, name)
    if current.get("state") == RUNNING:
        return int(current["pid"])
    env = {**os.environ, "DATABASE_URL": store.engine.url.render_as_string(hide_password=False),
           "ML_STUDIO_ARTEFACTS": str(store.artefacts), "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    folder = run_dir(store, run.project_id, run.id)
    folder.mkdir(parents=True, exist_ok=True)
    write_status(store, run, name, state=RUNNING, pid=None, started_at=utcnow().isoformat())
    with (folder / "explain.log").open("ab") as log:
        proc = subprocess.Popen([sys.executable, "-m", "core.explain.worker", str(run_id), name], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    _CHILDREN[proc.pid] = proc
    if status(store, run_id, name).get("state") == RUNNING:  # unless the worker already finished
        write_status(store, run, name, state=RUNNING, pid=proc.pid, started_at=utcnow().isoformat())
    return proc.pid
