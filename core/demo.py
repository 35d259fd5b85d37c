"""The demo project: the workshop's telecom churn case, ready to analyse in one click."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from core import models as m
from core.data import read_upload
from core.db import Store
from core.i18n import normalise_language, t
from core.store import datasets, goals
from core.store.projects import ProjectInfo, create_project, get_project, name_key, update_project
from core.value.examples import example_dict

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
# The Japanese demo brings the Excel-style CP932 file with Japanese headers, as users would.
_FILES = {"en": ("telecom_churn.csv", "Churn?"), "ja": ("telecom_churn_ja_cp932.csv", "解約")}


def _existing_demo(store: Store, name: str) -> ProjectInfo | None:
    with store.sessions() as session:
        pid = session.scalar(select(m.Project.id).where(m.Project.name_key == name_key(name),
                                                         m.Project.is_demo.is_(True)))
    return get_project(store, pid)


def open_or_create_demo(store: Store, lang: str = "en") -> ProjectInfo:
    """Return the demo project for ``lang``, creating it (goal, data, target) if missing."""
    lang = normalise_language(lang)
    name = t("demo.name", lang)
    found = _existing_demo(store, name)
    if found is not None:
        return found
    project = create_project(store, name, t("demo.description", lang), t("demo.owner", lang),
                             language=lang, currency="JPY", is_demo=True)
    try:
        _fill(store, project, lang)
    except BaseException:
        from core.store.projects import delete_project

        delete_project(store, project.id)
        raise
    return get_project(store, project.id)


def _fill(store: Store, project: ProjectInfo, lang: str) -> None:
    filename, target = _FILES[lang]
    content = (SAMPLE_DIR / filename).read_bytes()
    result = read_upload(content, filename)
    source = {"kind": result.source_kind, "filename": filename, "encoding": result.encoding,
              "delimiter": result.delimiter}
    datasets.add_dataset_version(store, project.id, result.df, source=source,
                                 label=t("demo.dataset_label", lang), created_by=t("demo.owner", lang))
    goals.save_goal(store, project.id, example_dict("telecom_churn", lang))
    update_project(store, project.id, target_column=target, positive_class="True.", problem_type="binary")
