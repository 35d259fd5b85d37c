"""Duplicate a project: its goal, data versions (with files), analyses, data request, recipes and reviews.

Training runs, models, test reports and predictions are not copied: a copy is a new
experiment that starts before training, so its results are its own.
"""

from __future__ import annotations

import shutil

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import models as m
from core.db import Store
from core.errors import UserError
from core.store.paths import dataset_relpath, project_dir, resolve
from core.store.projects import ProjectInfo, _info, clean_name, name_key

_SKIP = {"id", "project_id"}


def _clone(row: m.Base, **overrides: object) -> m.Base:
    cls = type(row)
    values = {c.key: getattr(row, c.key) for c in cls.__mapper__.column_attrs if c.key not in _SKIP}
    values.update(overrides)
    return cls(**values)


def duplicate_project(store: Store, project_id: int, new_name: str, owned_by: str | None = None) -> ProjectInfo:
    """Copy a project under a new name; files are copied before the rows are committed.

    Who may open it is not copied: the copy belongs to ``owned_by`` (the signed-in user, if any).
    """
    new_name = clean_name(new_name)
    copied_dir = None
    try:
        with store.sessions.begin() as session:
            src = session.get(m.Project, project_id)
            if src is None:
                raise UserError("project.error.not_found", id=project_id)
            if session.scalar(select(m.Project.id).where(m.Project.name_key == name_key(new_name))):
                raise UserError("project.error.name_taken", name=new_name)
            dst = _clone(src, name=new_name, name_key=name_key(new_name), is_demo=False,
                         version=1, current_dataset_id=None)
            session.add(dst)
            session.flush()
            copied_dir = project_dir(store, dst.id)
            id_map = _copy_datasets(store, session, src.id, dst.id)
            dst.current_dataset_id = id_map.get(src.current_dataset_id)
            _copy_children(session, src.id, dst.id, id_map)
            if owned_by:
                session.add(m.ProjectMember(project_id=dst.id, username=owned_by, role="owner", added_by=owned_by))
            session.flush()
            return _info(dst)
    except BaseException:
        if copied_dir is not None:
            shutil.rmtree(copied_dir, ignore_errors=True)
        raise


def _copy_datasets(store: Store, session: Session, src_id: int, dst_id: int) -> dict[int, int]:
    id_map: dict[int, int] = {}
    rows = session.scalars(select(m.DatasetVersion).where(m.DatasetVersion.project_id == src_id)
                           .order_by(m.DatasetVersion.id))
    for row in rows:
        new = _clone(row, project_id=dst_id, parquet_path="", parent_id=None)
        session.add(new)
        session.flush()
        new.parent_id = id_map.get(row.parent_id)
        new.parquet_path = dataset_relpath(dst_id, new.id)
        target = resolve(store, new.parquet_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(resolve(store, row.parquet_path), target)
        id_map[row.id] = new.id
    return id_map


def _copy_children(session: Session, src_id: int, dst_id: int, id_map: dict[int, int]) -> None:
    for cls in (m.BusinessGoal, m.DataRequest, m.AnalysisReport, m.Recipe, m.Review):
        for row in session.scalars(select(cls).where(cls.project_id == src_id).order_by(cls.id)):
            overrides: dict[str, object] = {"project_id": dst_id}
            if hasattr(row, "dataset_id"):
                overrides["dataset_id"] = id_map.get(row.dataset_id)
                if cls is m.AnalysisReport and overrides["dataset_id"] is None:
                    continue
            if cls is m.BusinessGoal:
                overrides["version"] = 1
            session.add(_clone(row, **overrides))
