"""Projects: create, list, rename, duplicate and delete (with their artefacts)."""

from __future__ import annotations

import shutil
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core import models as m
from core.db import Store
from core.errors import UserError
from core.i18n import DEFAULT_CURRENCY, LANGUAGES, normalise_language
from core.store.paths import project_dir

MAX_NAME = 100
MAX_DESCRIPTION = 5000
MAX_OWNER = 100
CURRENCIES = ("JPY", "USD", "EUR", "GBP", "CNY", "KRW")
_FORBIDDEN_IN_NAME = set('/\\')


@dataclass(frozen=True)
class ProjectInfo:
    """A project as pages see it (detached from the database session)."""

    id: int
    name: str
    description: str
    owner: str
    currency: str
    language: str
    is_demo: bool
    current_dataset_id: int | None
    target_column: str | None
    positive_class: str | None
    problem_type: str | None
    created_at: datetime
    updated_at: datetime
    version: int


def _info(p: m.Project) -> ProjectInfo:
    return ProjectInfo(
        id=p.id, name=p.name, description=p.description, owner=p.owner, currency=p.currency,
        language=p.language, is_demo=p.is_demo, current_dataset_id=p.current_dataset_id,
        target_column=p.target_column, positive_class=p.positive_class,
        problem_type=p.problem_type, created_at=p.created_at, updated_at=p.updated_at,
        version=p.version,
    )


def clean_name(raw: str | None) -> str:
    """Validate a project name and return it trimmed; raise UserError when unusable."""
    name = unicodedata.normalize("NFC", (raw or "")).strip()
    if not name:
        raise UserError("project.error.name_empty")
    if len(name) > MAX_NAME:
        raise UserError("project.error.name_too_long", max=MAX_NAME, length=len(name))
    if any(ch in _FORBIDDEN_IN_NAME for ch in name) or name in {".", ".."}:
        raise UserError("project.error.name_path")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in name):
        raise UserError("project.error.name_control")
    return name


def name_key(name: str) -> str:
    """Key that makes names unique regardless of case and full-/half-width forms."""
    return unicodedata.normalize("NFKC", name).casefold()


def _clean_text(raw: str | None, limit: int, key: str) -> str:
    text = (raw or "").replace("\x00", "").strip()
    if len(text) > limit:
        raise UserError(key, max=limit, length=len(text))
    return text


def _check_currency(currency: str) -> str:
    if currency not in CURRENCIES:
        raise UserError("project.error.currency", currency=currency)
    return currency


def _name_taken(session: Session, key: str, exclude_id: int | None = None) -> bool:
    query = select(m.Project.id).where(m.Project.name_key == key)
    if exclude_id is not None:
        query = query.where(m.Project.id != exclude_id)
    return session.scalar(query) is not None


def create_project(
    store: Store,
    name: str,
    description: str = "",
    owner: str = "",
    language: str = "en",
    currency: str | None = None,
    is_demo: bool = False,
    owned_by: str | None = None,
) -> ProjectInfo:
    """Create a project; the name must be unique (ignoring case and width).

    ``owned_by`` is the signed-in user's name when access control is on: they become its owner.
    """
    name = clean_name(name)
    language = normalise_language(language)
    project = m.Project(
        name=name,
        name_key=name_key(name),
        description=_clean_text(description, MAX_DESCRIPTION, "project.error.description_too_long"),
        owner=_clean_text(owner, MAX_OWNER, "project.error.owner_too_long"),
        language=language,
        currency=_check_currency(currency or DEFAULT_CURRENCY[language]),
        is_demo=is_demo,
    )
    try:
        with store.sessions.begin() as session:
            if _name_taken(session, project.name_key):
                raise UserError("project.error.name_taken", name=name)
            session.add(project)
            session.flush()
            if owned_by:
                session.add(m.ProjectMember(project_id=project.id, username=owned_by, role="owner",
                                            added_by=owned_by))
            return _info(project)
    except IntegrityError as exc:  # a concurrent create with the same name won the race
        raise UserError("project.error.name_taken", name=name) from exc


def list_projects(store: Store, visible: set[int] | None = None) -> list[ProjectInfo]:
    """All projects (or those whose ids are in ``visible``), most recently changed first."""
    with store.sessions() as session:
        query = select(m.Project).order_by(m.Project.updated_at.desc(), m.Project.id.desc())
        if visible is not None:
            query = query.where(m.Project.id.in_(sorted(visible)))
        return [_info(p) for p in session.scalars(query)]


def get_project(store: Store, project_id: int | None) -> ProjectInfo | None:
    """One project, or None when it does not exist (e.g. a stale link)."""
    if project_id is None:
        return None
    with store.sessions() as session:
        project = session.get(m.Project, project_id)
        return _info(project) if project else None


def find_project(store: Store, name: str) -> ProjectInfo | None:
    """The project with this name (ignoring case and width), if any."""
    with store.sessions() as session:
        project = session.scalar(select(m.Project).where(m.Project.name_key == name_key(name.strip())))
        return _info(project) if project else None


def update_project(store: Store, project_id: int, expected_version: int | None = None,
                   loaded: dict[str, Any] | None = None, **fields: Any) -> ProjectInfo:
    """Change a project's fields, refusing to overwrite a change made by someone else meanwhile.

    ``expected_version`` refuses any change since that version; ``loaded`` (the values a form
    was filled from) refuses only when one of those fields changed since, so unrelated updates
    (a new dataset version, a target chosen on another page) do not block a settings form.
    """
    allowed = {"name", "description", "owner", "currency", "language", "current_dataset_id",
               "target_column", "positive_class", "problem_type"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown project fields: {sorted(unknown)}")
    try:
        with store.sessions.begin() as session:
            project = session.get(m.Project, project_id)
            if project is None:
                raise UserError("project.error.not_found", id=project_id)
            if expected_version is not None and project.version != expected_version:
                raise UserError("project.error.stale", name=project.name)
            if loaded and any(getattr(project, k) != v for k, v in loaded.items()):
                raise UserError("project.error.stale", name=project.name)
            _apply(session, project, fields)
            session.flush()
            return _info(project)
    except StaleDataError as exc:
        raise UserError("project.error.stale", name=str(project_id)) from exc
    except IntegrityError as exc:
        raise UserError("project.error.name_taken", name=fields.get("name", "")) from exc


def _apply(session: Session, project: m.Project, fields: dict[str, Any]) -> None:
    if "name" in fields:
        name = clean_name(fields.pop("name"))
        if _name_taken(session, name_key(name), exclude_id=project.id):
            raise UserError("project.error.name_taken", name=name)
        project.name, project.name_key = name, name_key(name)
    if "description" in fields:
        fields["description"] = _clean_text(fields["description"], MAX_DESCRIPTION, "project.error.description_too_long")
    if "owner" in fields:
        fields["owner"] = _clean_text(fields["owner"], MAX_OWNER, "project.error.owner_too_long")
    if "currency" in fields:
        _check_currency(fields["currency"])
    if "language" in fields and fields["language"] not in LANGUAGES:
        raise UserError("project.error.language", language=fields["language"])
    for key, value in fields.items():
        setattr(project, key, value)


def rename_project(store: Store, project_id: int, new_name: str, expected_version: int | None = None) -> ProjectInfo:
    """Rename a project (unique names)."""
    return update_project(store, project_id, expected_version=expected_version, name=new_name)


def delete_project(store: Store, project_id: int) -> bool:
    """Delete a project, all its rows and its artefact folder. False when already gone."""
    with store.sessions.begin() as session:
        project = session.get(m.Project, project_id)
        if project is None:
            return False
        session.delete(project)
    shutil.rmtree(project_dir(store, project_id), ignore_errors=True)
    return True


def unique_copy_name(store: Store, name: str, lang: str = "en") -> str:
    """A free name for a copy: "name (copy)", "name (copy 2)", …"""
    from core.i18n import t

    with store.sessions() as session:
        taken = {k for (k,) in session.execute(select(m.Project.name_key))}
    base = t("project.copy_suffix", lang, name=name)
    candidate, n = base[:MAX_NAME], 2
    while name_key(candidate) in taken:
        candidate = f"{base} {n}"[:MAX_NAME]
        n += 1
    return candidate


def count_projects(store: Store) -> int:
    """How many projects exist."""
    with store.sessions() as session:
        return session.scalar(select(func.count(m.Project.id))) or 0
