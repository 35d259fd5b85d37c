"""Dataset versions: Parquet snapshots on disk, one database row each, kept consistent."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import select

from core import models as m
from core.db import Store
from core.data.storable import storable_frame
from core.data.versions import content_hash
from core.errors import UserError
from core.messages import Message
from core.store.paths import dataset_relpath, resolve
from core.store.projects import ProjectInfo, get_project


@dataclass(frozen=True)
class DatasetInfo:
    """A dataset version as pages see it."""

    id: int
    project_id: int
    label: str
    content_hash: str
    n_rows: int
    n_cols: int
    columns: list[dict[str, str]]
    source: dict[str, Any]
    parent_id: int | None
    created_by: str
    created_at: datetime


def _info(row: m.DatasetVersion) -> DatasetInfo:
    return DatasetInfo(
        id=row.id, project_id=row.project_id, label=row.label, content_hash=row.content_hash,
        n_rows=row.n_rows, n_cols=row.n_cols, columns=list(row.columns), source=dict(row.source),
        parent_id=row.parent_id, created_by=row.created_by, created_at=row.created_at,
    )


def _parquet_safe(df: pd.DataFrame, checked: bool = False) -> pd.DataFrame:
    """Text column names, and columns Parquet cannot hold as they are turned into text (missing kept).

    ``checked``: the caller already ran :func:`storable_frame` (the values are not looked at again).
    """
    out = df if checked else storable_frame(df)[0]
    if all(isinstance(c, str) for c in out.columns):
        return out  # only read from here on: no copy needed
    return out.set_axis([str(c) for c in out.columns], axis=1)


def _write_parquet(df: pd.DataFrame, path: os.PathLike[str]) -> None:
    """Write atomically: a temporary file renamed into place."""
    path = os.fspath(path)
    tmp = f"{path}.tmp"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def find_by_hash(store: Store, project_id: int, content_hash: str) -> DatasetInfo | None:
    """An existing version of this project with the same content, if any."""
    with store.sessions() as session:
        row = session.scalar(select(m.DatasetVersion).where(
            m.DatasetVersion.project_id == project_id, m.DatasetVersion.content_hash == content_hash))
        return _info(row) if row else None


def add_dataset_version(
    store: Store,
    project_id: int,
    df: pd.DataFrame,
    *,
    source: dict[str, Any],
    label: str = "",
    created_by: str = "",
    parent_id: int | None = None,
    make_current: bool = True,
    storable_checked: bool = False,
) -> tuple[DatasetInfo, bool]:
    """Store ``df`` as a new version; returns (version, created). Same content → existing one.

    ``storable_checked``: ``df`` comes from :func:`core.data.storable.storable_frame` already.
    """
    df = _parquet_safe(df, checked=storable_checked)
    digest = content_hash(df)
    existing = find_by_hash(store, project_id, digest)
    if existing is not None:
        if make_current:
            set_current(store, project_id, existing.id)
        return existing, False
    columns = [{"name": c, "dtype": str(df[c].dtype)} for c in df.columns]
    written: str | None = None
    try:
        with store.sessions.begin() as session:
            project = session.get(m.Project, project_id)
            if project is None:
                raise UserError("project.error.not_found", id=project_id)
            row = m.DatasetVersion(
                project_id=project_id, label=label[:200], content_hash=digest, n_rows=len(df),
                n_cols=df.shape[1], columns=columns, source=source, parquet_path="",
                parent_id=parent_id, created_by=created_by[:100],
            )
            session.add(row)
            session.flush()
            row.parquet_path = dataset_relpath(project_id, row.id)
            written = os.fspath(resolve(store, row.parquet_path))
            _write_parquet(df, written)
            if make_current:
                project.current_dataset_id = row.id
            session.flush()
            info = _info(row)
    except OSError as exc:
        _remove(written)
        raise UserError("store.error.storage", detail=exc.strerror or str(exc)) from exc
    except BaseException:
        _remove(written)
        raise
    return info, True


def _remove(path: str | None) -> None:
    if path and os.path.exists(path):
        os.remove(path)


def list_datasets(store: Store, project_id: int) -> list[DatasetInfo]:
    """All versions of a project, newest first."""
    with store.sessions() as session:
        rows = session.scalars(select(m.DatasetVersion).where(m.DatasetVersion.project_id == project_id)
                               .order_by(m.DatasetVersion.id.desc()))
        return [_info(r) for r in rows]


def get_dataset(store: Store, dataset_id: int | None) -> DatasetInfo | None:
    """One version, or None."""
    if dataset_id is None:
        return None
    with store.sessions() as session:
        row = session.get(m.DatasetVersion, dataset_id)
        return _info(row) if row else None


def current_data(store: Store, project_id: int) -> tuple[ProjectInfo, DatasetInfo]:
    """(the project, its current dataset version); a clear UserError when either is missing."""
    project = get_project(store, project_id)
    if project is None:
        raise UserError("project.error.not_found", id=project_id)
    version = get_dataset(store, project.current_dataset_id)
    if version is None:
        raise UserError("prepare.error.no_data")
    return project, version


def load_dataframe(store: Store, dataset_id: int, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a version's snapshot (only ``columns`` when given); a missing file is a clear error, not a traceback."""
    with store.sessions() as session:
        row = session.get(m.DatasetVersion, dataset_id)
        if row is None:
            raise UserError("store.error.version_missing", id=dataset_id)
        path = resolve(store, row.parquet_path)
    if not path.exists():
        raise UserError("store.error.snapshot_missing", id=dataset_id)
    return pd.read_parquet(path, columns=columns)


def set_current(store: Store, project_id: int, dataset_id: int) -> None:
    """Make a version the project's current data."""
    with store.sessions.begin() as session:
        project = session.get(m.Project, project_id)
        row = session.get(m.DatasetVersion, dataset_id)
        if project is None or row is None or row.project_id != project_id:
            raise UserError("store.error.version_missing", id=dataset_id)
        project.current_dataset_id = dataset_id


def origin(store: Store, project_id: int) -> Message | None:
    """How the project's first data came in, when a command made it (said in the reader's language)."""
    with store.sessions() as session:
        source = session.scalar(select(m.DatasetVersion.source).where(m.DatasetVersion.project_id == project_id)
                                .order_by(m.DatasetVersion.id).limit(1))
    if not source or source.get("via") != "cli":
        return None
    return Message("data.origin.cli", {"filename": str(source.get("filename") or "")})


def class_labels(store: Store, project_id: int, limit: int = 30) -> list[str]:
    """The classes of the project's target in its current data, most frequent first ([] when not known)."""
    with store.sessions() as session:
        project = session.get(m.Project, project_id)
        dataset_id, target = (project.current_dataset_id, project.target_column) if project else (None, None)
    if dataset_id is None or not target:
        return []
    try:
        values = load_dataframe(store, dataset_id, [target])[target]
    except (UserError, KeyError, ValueError, OSError):
        return []
    return [str(v) for v in values.dropna().value_counts().index[:limit]]
