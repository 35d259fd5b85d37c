"""Preprocessing recipes (Step 4): a new numbered version per save, each with its stored split."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core import models as m
from core.db import Store
from core.errors import UserError


@dataclass(frozen=True)
class RecipeInfo:
    """A saved recipe version: the recipe and split documents (see ``core.preprocess``)."""

    id: int
    project_id: int
    number: int
    dataset_id: int | None
    data: dict[str, Any]
    split: dict[str, Any]
    created_by: str
    created_at: datetime


def _info(row: m.Recipe) -> RecipeInfo:
    return RecipeInfo(row.id, row.project_id, row.number, row.dataset_id, dict(row.data), dict(row.split),
                      row.created_by, row.created_at)


def add_recipe(store: Store, project_id: int, data: dict[str, Any], split: dict[str, Any], *,
               dataset_id: int | None, created_by: str = "") -> RecipeInfo:
    """Save a new version (number = previous + 1); earlier versions stay as they were.

    Numbers are unique per project (a database constraint): when two saves race for the same
    number, the loser takes the next one.
    """
    for attempt in range(_NUMBER_RETRIES):
        try:
            with store.sessions.begin() as session:
                project = session.get(m.Project, project_id, with_for_update=True)
                if project is None:
                    raise UserError("project.error.not_found", id=project_id)
                last = session.scalar(select(func.max(m.Recipe.number))
                                      .where(m.Recipe.project_id == project_id)) or 0
                row = m.Recipe(project_id=project_id, number=last + 1, dataset_id=dataset_id, data=data,
                               split=split, created_by=created_by[:100])
                session.add(row)
                session.flush()
                return _info(row)
        except IntegrityError:
            if attempt == _NUMBER_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


_NUMBER_RETRIES = 3


def get_recipe(store: Store, recipe_id: int | None) -> RecipeInfo | None:
    """One version by id, or None."""
    if recipe_id is None:
        return None
    with store.sessions() as session:
        row = session.get(m.Recipe, recipe_id)
        return _info(row) if row else None


def latest_recipe(store: Store, project_id: int) -> RecipeInfo | None:
    """The project's newest version, or None when none was saved."""
    with store.sessions() as session:
        row = session.scalar(select(m.Recipe).where(m.Recipe.project_id == project_id)
                             .order_by(m.Recipe.number.desc()).limit(1))
        return _info(row) if row else None


def list_recipes(store: Store, project_id: int) -> list[RecipeInfo]:
    """All versions of a project, newest first."""
    with store.sessions() as session:
        rows = session.scalars(select(m.Recipe).where(m.Recipe.project_id == project_id)
                               .order_by(m.Recipe.number.desc()))
        return [_info(r) for r in rows]
