"""Where the app keeps its data: ``ML_STUDIO_HOME`` and ``DATABASE_URL``."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_HOME = Path("~/.ml-enablement-studio")


def studio_home() -> Path:
    """The app's data folder (database file and artefacts), created if missing."""
    home = Path(os.environ.get("ML_STUDIO_HOME") or DEFAULT_HOME).expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


def database_url() -> str:
    """SQLAlchemy URL of the project database; a SQLite file in the home by default."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{studio_home() / 'studio.db'}"


def artefact_root() -> Path:
    """Folder for dataset snapshots, models and reports, addressed by database ids."""
    root = studio_home() / "artefacts"
    root.mkdir(parents=True, exist_ok=True)
    return root
