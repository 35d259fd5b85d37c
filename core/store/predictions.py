"""Prediction batches, their scored rows and operators' feedback.

A batch row tracks one scored file: ``status`` (``queued`` → ``running`` → ``done`` |
``failed``), ``n_rows``, the model that scored it and, in ``source``, the file name, the
stored input snapshot (``input_path``), the threshold used, the column-guard report, the
reasons method and the background job (``job``: pid, heartbeat, error). Progress is the
number of stored prediction rows (chunks are committed as they are scored), so no counter
can drift from the truth. Predictions are keyed by batch and row position.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Sequence

import pandas as pd
from sqlalchemy import delete, func, insert, select

from core import models as m
from core.db import Store
from core.errors import UserError
from core.store.runs import aware

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)
PREDICTION_COLUMNS = ["id", "row_index", "row_key", "prediction", "probability", "decision", "reasons",
                      "model_version"]
FEEDBACK_COLUMNS = ["feedback_id", "prediction_id", "batch_id", "row_index", "row_key", "prediction", "probability",
                    "decision", "model_version", "correct", "true_value", "source", "given_by", "created_at",
                    "predicted_at"]


@dataclass(frozen=True)
class BatchInfo:
    """A prediction batch as pages see it (``n_done``: rows scored and stored so far)."""

    id: int
    project_id: int
    model_id: int | None
    status: str
    n_rows: int
    n_done: int
    source: dict[str, Any]
    drift: dict[str, Any]
    created_by: str
    created_at: datetime

    @property
    def progress(self) -> float:
        """Share of rows scored (1.0 when done)."""
        return 1.0 if self.status == DONE else (self.n_done / self.n_rows if self.n_rows else 0.0)

    @property
    def error(self) -> dict[str, Any]:
        """``{"key", "params"}`` of a failed batch, else ``{}``."""
        return dict((self.source.get("job") or {}).get("error") or {})


def _count(session: Any, batch_id: int) -> int:
    return session.scalar(select(func.count(m.Prediction.id)).where(m.Prediction.batch_id == batch_id)) or 0


def _info(row: m.PredictionBatch, n_done: int) -> BatchInfo:
    return BatchInfo(row.id, row.project_id, row.model_id, row.status, row.n_rows, n_done, dict(row.source or {}),
                     dict(row.drift or {}), row.created_by, aware(row.created_at))


def create_batch(store: Store, project_id: int, *, model_id: int | None, n_rows: int, source: dict[str, Any],
                 created_by: str = "", status: str = QUEUED) -> BatchInfo:
    """A new batch row (no predictions yet)."""
    with store.sessions.begin() as session:
        if session.get(m.Project, project_id) is None:
            raise UserError("project.error.not_found", id=project_id)
        row = m.PredictionBatch(project_id=project_id, model_id=model_id, status=status, n_rows=int(n_rows),
                                source=source, created_by=created_by[:100])
        session.add(row)
        session.flush()
        return _info(row, 0)


def get_batch(store: Store, batch_id: int | None) -> BatchInfo | None:
    """One batch with its progress, or None (also when it was deleted)."""
    if batch_id is None:
        return None
    with store.sessions() as session:
        row = session.get(m.PredictionBatch, batch_id)
        return _info(row, _count(session, row.id)) if row else None


def require_batch(store: Store, batch_id: int) -> BatchInfo:
    """One batch; a clear UserError when it does not exist (or was deleted)."""
    batch = get_batch(store, batch_id)
    if batch is None:
        raise UserError("predict.error.batch_missing", id=batch_id)
    return batch


def list_batches(store: Store, project_id: int) -> list[BatchInfo]:
    """A project's batches, newest first."""
    with store.sessions() as session:
        rows = list(session.scalars(select(m.PredictionBatch).where(m.PredictionBatch.project_id == project_id)
                                    .order_by(m.PredictionBatch.id.desc())))
        counts = dict(session.execute(select(m.Prediction.batch_id, func.count(m.Prediction.id))
                                      .where(m.Prediction.batch_id.in_([r.id for r in rows]))
                                      .group_by(m.Prediction.batch_id)).all()) if rows else {}
        return [_info(r, counts.get(r.id, 0)) for r in rows]


def update_batch(store: Store, batch_id: int, *, source: dict[str, Any] | None = None, **values: Any) -> BatchInfo:
    """Set ``status``/``n_rows``/``drift``/``model_id``; ``source`` keys are merged in."""
    allowed = {"status", "n_rows", "drift", "model_id"}
    if set(values) - allowed:
        raise ValueError(f"not batch fields: {sorted(set(values) - allowed)}")
    with store.sessions.begin() as session:
        row = session.get(m.PredictionBatch, batch_id)
        if row is None:
            raise UserError("predict.error.batch_missing", id=batch_id)
        for key, value in values.items():
            setattr(row, key, value)
        if source:
            row.source = {**(row.source or {}), **source}
        session.flush()
        return _info(row, _count(session, row.id))


def insert_predictions(store: Store, batch_id: int, rows: Sequence[Sequence[Any]]) -> int:
    """Bulk-insert scored rows, each a tuple in ``INSERT_COLUMNS`` order (``reasons`` as JSON text).

    Plain DB-API ``executemany`` in one transaction: several times faster than the ORM or Core
    paths, which convert every parameter of every row in Python.
    """
    if not rows:
        return 0
    columns = ["batch_id", *INSERT_COLUMNS]
    with store.engine.begin() as conn:
        if conn.scalar(select(m.PredictionBatch.id).where(m.PredictionBatch.id == batch_id)) is None:
            raise UserError("predict.error.batch_missing", id=batch_id)
        marks = _placeholders(conn.dialect.paramstyle, len(columns))
        sql = f"INSERT INTO {m.Prediction.__tablename__} ({', '.join(columns)}) VALUES ({marks})"
        conn.exec_driver_sql(sql, [(batch_id, *row) for row in rows])
    return len(rows)


INSERT_COLUMNS = ("row_index", "row_key", "prediction", "probability", "decision", "reasons", "model_version")


def _placeholders(paramstyle: str, n: int) -> str:
    """Positional parameter markers in the driver's style (qmark for SQLite, format for psycopg)."""
    if paramstyle == "qmark":
        return ", ".join("?" * n)
    if paramstyle == "numeric":
        return ", ".join(f":{i + 1}" for i in range(n))
    if paramstyle in ("format", "pyformat"):
        return ", ".join(["%s"] * n)
    raise ValueError(f"unsupported DB-API paramstyle {paramstyle!r}")


def load_predictions_df(store: Store, batch_id: int, row_indexes: Iterable[int] | None = None) -> pd.DataFrame:
    """A batch's predictions in row order (``reasons`` as lists)."""
    query = select(*(getattr(m.Prediction, c) for c in PREDICTION_COLUMNS)).where(m.Prediction.batch_id == batch_id)
    if row_indexes is not None:
        query = query.where(m.Prediction.row_index.in_([int(i) for i in row_indexes]))
    with store.engine.connect() as conn:
        df = pd.DataFrame(conn.execute(query.order_by(m.Prediction.row_index)).all(), columns=PREDICTION_COLUMNS)
    df["reasons"] = [json.loads(r) if isinstance(r, str) else (r or []) for r in df["reasons"]]
    return df


def delete_batch(store: Store, batch_id: int) -> BatchInfo | None:
    """Delete a batch with its predictions and feedback; returns what was deleted (None if gone)."""
    with store.sessions.begin() as session:
        row = session.get(m.PredictionBatch, batch_id)
        if row is None:
            return None
        info = _info(row, 0)
        ids = select(m.Prediction.id).where(m.Prediction.batch_id == batch_id)
        session.execute(delete(m.Feedback).where(m.Feedback.prediction_id.in_(ids)))
        session.execute(delete(m.Prediction).where(m.Prediction.batch_id == batch_id))
        session.delete(row)
        return info


def prediction_ids(store: Store, batch_id: int) -> dict[int, int]:
    """Row position → prediction id for a batch."""
    with store.sessions() as session:
        return dict(session.execute(select(m.Prediction.row_index, m.Prediction.id)
                                    .where(m.Prediction.batch_id == batch_id)).all())


def add_feedback_rows(store: Store, project_id: int, batch_id: int, rows: list[dict[str, Any]]) -> int:
    """Bulk-insert feedback (``prediction_id``, ``correct``, ``true_value``, ``source``, ``given_by``).

    Checked in the same transaction as the insert: a batch deleted meanwhile is a clear error.
    """
    with store.sessions.begin() as session:
        batch = session.get(m.PredictionBatch, batch_id)
        if batch is None or batch.project_id != project_id:
            raise UserError("predict.error.batch_missing", id=batch_id)
        if rows:
            session.execute(insert(m.Feedback), [{**r, "project_id": project_id} for r in rows])
    return len(rows)


def feedback_df(store: Store, project_id: int, batch_id: int | None = None) -> pd.DataFrame:
    """Every feedback row of a project with its prediction (oldest first)."""
    f, p, b = m.Feedback, m.Prediction, m.PredictionBatch
    query = (select(f.id, f.prediction_id, p.batch_id, p.row_index, p.row_key, p.prediction, p.probability,
                    p.decision, p.model_version, f.correct, f.true_value, f.source, f.given_by, f.created_at,
                    b.created_at)
             .join(p, p.id == f.prediction_id).join(b, b.id == p.batch_id).where(f.project_id == project_id))
    if batch_id is not None:
        query = query.where(p.batch_id == batch_id)
    with store.engine.connect() as conn:
        df = pd.DataFrame(conn.execute(query.order_by(f.id)).all(), columns=FEEDBACK_COLUMNS)
    for col in ("created_at", "predicted_at"):
        df[col] = pd.to_datetime(df[col], utc=True)
    return df
