"""Project CRUD through the UI (AppTest): create, bad input, reopen, rename, duplicate, delete, demo."""

from __future__ import annotations

from core.i18n import t
from core.store.projects import list_projects
from tests.app.conftest import new_app, no_exception


def _button(at, label):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; have {[b.label for b in at.button]}"
    return matches[0]


def _create(at, lang, name, **fields):
    at.text_input(key="new_name").input(name)
    for key, value in fields.items():
        widget = at.text_area if key == "description" else at.text_input
        widget(key=f"new_{key}").input(value)
    _button(at, t("home.create.submit", lang)).click().run()
    no_exception(at)
    return at


def _texts(at) -> str:
    return " ".join(e.value for part in (at.markdown, at.subheader, at.caption, at.success, at.error)
                    for e in part).replace("\\", "")


def test_create_opens_the_project_and_a_refresh_reopens_it(app_store):
    at = _create(new_app("ja").run(), "ja", "解約予測", owner="営業部")
    projects = list_projects(app_store)
    assert [p.name for p in projects] == ["解約予測"]
    assert at.query_params["project"] == str(projects[0].id)
    assert t("home.created", "ja", name="解約予測") in _texts(at)
    assert t("progress.missing.goal", "ja") in _texts(at)  # the tracker says what is missing
    refreshed = new_app("ja", projects[0].id).run()  # a browser refresh is a new session
    no_exception(refreshed)
    assert "解約予測" in _texts(refreshed)
    assert refreshed.selectbox(key="ui_project_picker").value == projects[0].id


def test_bad_names_show_a_message_in_the_ui_language_and_create_nothing(app_store):
    at = new_app("ja").run()
    for bad, key in (("", "project.error.name_empty"), ("../x", "project.error.name_path"),
                     ("x" * 150, "project.error.name_too_long")):
        _create(at, "ja", bad)
        assert any(t(key, "ja", max=100, length=150)[:12] in e.value for e in at.error), bad
    assert list_projects(app_store) == []
    _create(at, "ja", "ok")
    _create(at, "ja", "OK")
    assert t("project.error.name_taken", "ja", name="OK") in [e.value for e in at.error]
    assert len(list_projects(app_store)) == 1


def test_html_in_names_renders_as_text(app_store):
    name = "<img src=x onerror=alert(1)>"
    at = _create(new_app("en").run(), "en", name, description="<script>alert('x')</script>")
    assert all(not m.proto.allow_html for m in at.markdown)
    assert name in _texts(at)
    assert "<script>alert('x')</script>" in _texts(at)


def test_rename_duplicate_and_delete(app_store):
    at = _create(new_app("en").run(), "en", "Churn")
    pid = list_projects(app_store)[0].id
    at.text_input(key=f"rename_{pid}").input("Churn 2024")
    _button(at, t("home.manage.save", "en")).click().run()
    no_exception(at)
    assert [p.name for p in list_projects(app_store)] == ["Churn 2024"]

    _button(at, t("home.manage.duplicate", "en")).click().run()
    no_exception(at)
    names = sorted(p.name for p in list_projects(app_store))
    assert names == ["Churn 2024", "Churn 2024 (copy)"]
    copy_id = int(at.query_params["project"])
    assert copy_id != pid

    at.text_input(key=f"delete_name_{copy_id}").input("wrong")
    _button(at, t("home.manage.delete", "en")).click().run()
    assert t("home.manage.delete_mismatch", "en") in [e.value for e in at.error]
    assert len(list_projects(app_store)) == 2
    at.text_input(key=f"delete_name_{copy_id}").input("Churn 2024 (copy)")
    _button(at, t("home.manage.delete", "en")).click().run()
    no_exception(at)
    assert [p.name for p in list_projects(app_store)] == ["Churn 2024"]
    assert "project" not in at.query_params


def test_demo_opens_in_one_click(app_store):
    at = new_app("en").run()
    _button(at, t("home.demo.button", "en")).click().run()
    no_exception(at)
    (demo,) = list_projects(app_store)
    assert demo.is_demo and demo.target_column == "Churn?" and demo.current_dataset_id
    assert at.query_params["project"] == str(demo.id)
    _button(at, t("home.demo.button", "en")).click().run()  # a second click reopens, no copy
    assert len(list_projects(app_store)) == 1


def test_language_switch_keeps_the_open_project(app_store):
    at = new_app("en").run()
    at.text_input(key="new_name").input("")  # a rerun first: the sidebar must survive it (ui/router.py)
    at.run()
    at.radio(key="ui_lang_picker").set_value("ja").run()
    no_exception(at)
    assert at.query_params["lang"] == "ja"
    assert t("home.list.title", "ja") in [s.value for s in at.subheader]
    _button(at, t("home.demo.button", "ja")).click().run()
    (demo,) = list_projects(app_store)
    assert demo.target_column == "解約" and demo.name == t("demo.name", "ja")
    assert at.query_params["lang"] == "ja" and at.query_params["project"] == str(demo.id)
    back = new_app("en", demo.id).run()
    back.radio(key="ui_lang_picker").set_value("ja").run()
    assert back.query_params["project"] == str(demo.id)
    assert demo.name in _texts(back)
