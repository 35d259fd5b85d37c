"""Artefact paths, always derived from database ids (never from user-typed names)."""

from __future__ import annotations

from pathlib import Path

from core.db import Store


def project_dir(store: Store, project_id: int) -> Path:
    """Folder holding one project's artefacts."""
    return store.artefacts / "projects" / str(int(project_id))


def dataset_relpath(project_id: int, dataset_id: int) -> str:
    """Parquet snapshot of a dataset version, relative to the artefact root."""
    return f"projects/{int(project_id)}/datasets/{int(dataset_id)}.parquet"


def resolve(store: Store, relpath: str) -> Path:
    """Absolute path of an artefact; refuses anything outside the artefact root."""
    root = store.artefacts.resolve()
    path = (root / relpath).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"artefact path escapes the artefact folder: {relpath!r}")
    return path
