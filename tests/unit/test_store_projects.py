"""Project store on SQLite and PostgreSQL: CRUD, duplicate, delete with artefacts, bad names."""

from __future__ import annotations

import pandas as pd
import pytest

from core.errors import UserError
from core.store import datasets, goals
from core.store.duplicate import duplicate_project
from core.store.paths import project_dir, resolve
from core.store.projects import (
    create_project,
    delete_project,
    get_project,
    list_projects,
    rename_project,
    unique_copy_name,
    update_project,
)


def test_create_list_get(store):
    a = create_project(store, "Churn", "Who leaves?", "Sales team", language="ja")
    b = create_project(store, "Prices", language="en")
    assert a.currency == "JPY" and b.currency == "USD"
    assert {p.name for p in list_projects(store)} == {"Churn", "Prices"}
    got = get_project(store, a.id)
    assert (got.name, got.description, got.owner) == ("Churn", "Who leaves?", "Sales team")
    assert get_project(store, 999_999) is None


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("", "project.error.name_empty"),
        ("   ", "project.error.name_empty"),
        ("../x", "project.error.name_path"),
        ("a/b", "project.error.name_path"),
        ("a\\b", "project.error.name_path"),
        ("..", "project.error.name_path"),
        ("x" * 101, "project.error.name_too_long"),
        ("bad\x00name", "project.error.name_control"),
        ("line\nbreak", "project.error.name_control"),
    ],
)
def test_bad_names_are_refused_and_nothing_is_created(store, name, key):
    with pytest.raises(UserError) as err:
        create_project(store, name)
    assert err.value.key == key
    assert err.value.message("ja") != key  # translated
    assert list_projects(store) == []


def test_duplicate_names_ignore_case_and_width(store):
    create_project(store, "Churn")
    for clash in ("churn", " CHURN ", "Ｃｈｕｒｎ"):
        with pytest.raises(UserError) as err:
            create_project(store, clash)
        assert err.value.key == "project.error.name_taken"
    assert len(list_projects(store)) == 1


def test_html_in_names_is_kept_as_text(store):
    p = create_project(store, "<img src=x onerror=alert(1)>", "<script>alert(1)</script>")
    got = get_project(store, p.id)
    assert got.name == "<img src=x onerror=alert(1)>"
    assert got.description == "<script>alert(1)</script>"


def test_rename_and_lost_update_guard(store):
    p = create_project(store, "Old")
    renamed = rename_project(store, p.id, "New", expected_version=p.version)
    assert renamed.name == "New" and renamed.version == p.version + 1
    with pytest.raises(UserError) as err:  # a second tab still holds the old version
        update_project(store, p.id, expected_version=p.version, description="other tab")
    assert err.value.key == "project.error.stale"
    assert get_project(store, p.id).description == ""
    create_project(store, "Taken")
    with pytest.raises(UserError):
        rename_project(store, p.id, "taken")


def _with_data(store, name="Churn"):
    p = create_project(store, name)
    df = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    version, created = datasets.add_dataset_version(store, p.id, df, source={"kind": "test"})
    goals.save_goal(store, p.id, {"statement": {"as_a": "buyer"}})
    return p, version, created


def test_dataset_versions_are_deduplicated_and_files_exist(store):
    p, version, created = _with_data(store)
    assert created and resolve(store, f"projects/{p.id}/datasets/{version.id}.parquet").exists()
    again, created_again = datasets.add_dataset_version(
        store, p.id, pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]}), source={"kind": "test"})
    assert not created_again and again.id == version.id
    assert get_project(store, p.id).current_dataset_id == version.id
    assert datasets.load_dataframe(store, version.id)["b"].tolist() == ["x", "y", "z"]


def test_duplicate_copies_goal_and_data(store):
    p, version, _ = _with_data(store)
    copy = duplicate_project(store, p.id, unique_copy_name(store, p.name))
    assert copy.name == "Churn (copy)" and copy.id != p.id
    assert copy.current_dataset_id not in (None, version.id)
    assert datasets.load_dataframe(store, copy.current_dataset_id)["a"].tolist() == [1, 2, 3]
    assert goals.load_goal(store, copy.id)[0] == {"statement": {"as_a": "buyer"}}
    assert unique_copy_name(store, p.name) == "Churn (copy) 2"


def test_delete_removes_rows_and_artefacts(store):
    p, version, _ = _with_data(store)
    other, _, _ = _with_data(store, "Other")
    folder = project_dir(store, p.id)
    assert folder.exists()
    assert delete_project(store, p.id) is True
    assert not folder.exists()
    assert get_project(store, p.id) is None
    assert datasets.get_dataset(store, version.id) is None
    assert goals.load_goal(store, p.id) == ({}, 0)
    assert get_project(store, other.id) is not None  # others untouched
    assert delete_project(store, p.id) is False


@pytest.mark.parametrize(("target", "error"), [
    ("to_parquet", OSError(28, "No space left on device")),  # disk full while writing
    ("replace", PermissionError(13, "Permission denied")),  # the finished file cannot be moved into place
    ("makedirs", OSError(30, "Read-only file system")),  # the folder cannot be created
])
def test_failed_snapshot_write_leaves_no_row_and_no_file(store, monkeypatch, target, error):
    import core.store.datasets as ds

    p = create_project(store, f"Disk {target}")

    def boom(*_a, **_k):
        raise error

    if target == "to_parquet":
        monkeypatch.setattr(pd.DataFrame, "to_parquet", boom)
    else:
        monkeypatch.setattr(ds.os, target, boom)
    with pytest.raises(UserError) as err:
        datasets.add_dataset_version(store, p.id, pd.DataFrame({"a": [1]}), source={})
    assert err.value.key == "store.error.storage" and error.strerror in err.value.message("ja")
    assert datasets.list_datasets(store, p.id) == []
    assert get_project(store, p.id).current_dataset_id is None
    assert not [f for f in store.artefacts.rglob("*") if f.is_file()]  # no snapshot, no temporary file
    monkeypatch.undo()
    info, created = datasets.add_dataset_version(store, p.id, pd.DataFrame({"a": [1]}), source={})
    assert created and datasets.load_dataframe(store, info.id)["a"].tolist() == [1]  # works once space is back


def test_goal_lost_update_guard(store):
    p = create_project(store, "Goal")
    v1 = goals.save_goal(store, p.id, {"a": 1}, expected_version=0)
    v2 = goals.save_goal(store, p.id, {"a": 2}, expected_version=v1)
    assert v2 == v1 + 1
    with pytest.raises(UserError) as err:
        goals.save_goal(store, p.id, {"a": 3}, expected_version=v1)
    assert err.value.key == "goal.error.stale"
    assert goals.load_goal(store, p.id) == ({"a": 2}, v2)
