"""Artefact paths come from ids and never leave the artefact folder (path traversal fails)."""

from __future__ import annotations

import pandas as pd
import pytest

from core.store.datasets import add_dataset_version
from core.store.paths import dataset_relpath, project_dir, resolve
from core.store.projects import create_project


@pytest.mark.parametrize("relpath", ["../outside.parquet", "/etc/passwd", "projects/1/../../../x",
                                     "projects/../../studio.db"])
def test_paths_outside_the_artefact_folder_are_refused(sqlite_store, relpath):
    with pytest.raises(ValueError, match="escapes"):
        resolve(sqlite_store, relpath)


@pytest.mark.parametrize("bad_id", ["1/../2", "../1", "1; rm -rf /"])
def test_ids_must_be_numbers(sqlite_store, bad_id):
    with pytest.raises(ValueError):
        project_dir(sqlite_store, bad_id)
    with pytest.raises(ValueError):
        dataset_relpath(bad_id, 1)


def test_a_hostile_project_name_does_not_shape_any_path(sqlite_store):
    project = create_project(sqlite_store, "..%2F..%2Fetc <script>")
    info, _ = add_dataset_version(sqlite_store, project.id, pd.DataFrame({"a": [1, 2]}), source={}, label="x")
    folder = project_dir(sqlite_store, project.id)
    assert folder == sqlite_store.artefacts / "projects" / str(project.id)
    files = [p.relative_to(sqlite_store.artefacts).as_posix() for p in sqlite_store.artefacts.rglob("*")
             if p.is_file()]
    assert files == [dataset_relpath(project.id, info.id)]
