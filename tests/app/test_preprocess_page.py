"""Page "4 Preprocess" (AppTest): recipe pre-filled from the analysis, accept/reject, split, save; bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from core.demo import open_or_create_demo
from core.i18n import t
from core.preprocess import latest_recipe
from core.progress import project_progress
from core.store import datasets
from core.analyze.saved import run_analysis
from core.store.projects import create_project, update_project
from core.store.recipes import list_recipes
from tests.app.conftest import new_app, no_exception
from ui.context import md

ROOT = Path(__file__).resolve().parents[2]


def _texts(at) -> str:
    parts = (at.markdown, at.caption, at.success, at.error, at.warning, at.info, at.subheader)
    return " ".join(e.value for part in parts for e in part).replace("\\", "")


def _page(store, project_id: int, lang: str):
    at = new_app(lang, project_id).run()
    at.switch_page("pages/preprocess.py").run()
    no_exception(at)
    return at


def _demo(store, lang: str):
    demo = open_or_create_demo(store, lang)
    run_analysis(store, demo.id)
    return demo, f"{demo.id}_{demo.current_dataset_id}"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_demo_recipe_is_prefilled_a_drop_rejected_and_saved(app_store, lang):
    demo, sfx = _demo(app_store, lang)
    phone = "Phone" if lang == "en" else "電話番号"
    at = _page(app_store, demo.id, lang)
    prefix = f"pre_drop_{sfx}_"
    suggested = [tg.key.removeprefix(prefix) for tg in at.toggle if tg.key.startswith(prefix)]
    assert phone in suggested and len(suggested) >= 3  # the phone ID and one of each minutes/charge pair
    minutes = next(c for c in suggested if c != phone)
    # pre-filled from the analysis: the ID-like phone column is dropped, with its reason
    assert at.toggle(key=f"pre_drop_{sfx}_{phone}").value is True
    assert t("analyze.reason.id_like", lang) in _texts(at)
    assert at.radio(key=f"pre_strategy_{sfx}").value == "stratified"  # classification default
    assert t("preprocess_ui.why.split_first", lang) in _texts(at)
    assert t("preprocess.test_locked", lang, test="1,000") in _texts(at)  # 20% of 5,000 rows, locked

    at.toggle(key=f"pre_drop_{sfx}_{minutes}").set_value(False).run()  # the domain expert wants it kept
    no_exception(at)
    assert t("preprocess_ui.drops.kept", lang) in _texts(at)
    at.button(key=f"pre_save_{sfx}").click().run()
    no_exception(at)

    saved = latest_recipe(app_store, demo.id)
    assert saved is not None and saved.number == 1
    assert phone in saved.recipe.dropped() and minutes not in saved.recipe.dropped()
    rejected = next(d for d in saved.recipe.drop_columns if d.column == minutes)
    assert rejected.accepted is False and rejected.source == "analysis"  # the rejection is recorded
    assert saved.split.strategy == "stratified" and saved.split.counts()["test"] == 1000
    assert t("preprocess_ui.save.done", lang, number=1, train="4,000", test="1,000") in _texts(at)
    assert {s.step: s.state for s in project_progress(app_store, demo.id)}["preprocess"] == "done"
    when = saved.info.created_at.strftime("%Y-%m-%d %H:%M")
    assert t("preprocess_ui.origin.saved", lang, number=1, when=when) in _texts(at)  # now editing version 1

    at.button(key=f"pre_save_{sfx}").click().run()  # saving again: a new version, same test rows
    versions = list_recipes(app_store, demo.id)
    assert [v.number for v in versions] == [2, 1]
    assert versions[0].split["test_index"] == versions[1].split["test_index"]


def _house(store):
    project = create_project(store, "Houses")
    df = pd.read_csv(ROOT / "sample_data" / "house_prices.csv")
    datasets.add_dataset_version(store, project.id, df, source={"kind": "test"})
    update_project(store, project.id, target_column="sale_price", problem_type="regression")
    run_analysis(store, project.id)
    return project, f"{project.id}_{datasets.list_datasets(store, project.id)[0].id}"


def test_time_split_is_proposed_for_dated_data_and_a_random_split_warns(app_store):
    project, sfx = _house(app_store)
    at = _page(app_store, project.id, "en")
    assert at.radio(key=f"pre_strategy_{sfx}").value == "time"
    assert at.selectbox(key=f"pre_time_col_{sfx}").value == "sale_date"
    # issue 13: the IQR bound is proposed by the analysis, but removing rows is off until accepted
    assert at.toggle(key=f"pre_outliers_{sfx}").value is False
    shown = _texts(at)
    assert "Turned on, the model would never see \"sale_price\" values above" in shown
    assert t("preprocess_ui.split.when_time", "en") in shown

    at.radio(key=f"pre_strategy_{sfx}").set_value("random").run()
    warning = t("preprocess.warning.random_with_dates", "en", column=md("sale_date"))  # user text escaped
    assert warning in [w.value for w in at.warning]  # the risk of a random split is explained
    at.radio(key=f"pre_strategy_{sfx}").set_value("time").run()
    assert warning not in [w.value for w in at.warning]
    at.button(key=f"pre_save_{sfx}").click().run()
    no_exception(at)
    saved = latest_recipe(app_store, project.id)
    assert saved.split.strategy == "time" and saved.split.cutoff
    dates = pd.to_datetime(pd.read_csv(ROOT / "sample_data" / "house_prices.csv")["sale_date"])
    train, test = saved.split.train_index(), saved.split.test_index
    assert dates.iloc[train].max() <= dates.iloc[test].min()  # only later rows are tested


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_bad_recipes_show_a_message_and_save_nothing(app_store, lang):
    demo, sfx = _demo(app_store, lang)
    at = _page(app_store, demo.id, lang)
    state = "State" if lang == "en" else "州"
    # a time split on a column without dates
    at.radio(key=f"pre_strategy_{sfx}").set_value("time").run()
    at.selectbox(key=f"pre_time_col_{sfx}").set_value(state).run()
    no_exception(at)
    errors = [e.value for e in at.error]
    assert any(e.startswith(t("preprocess.error.time_unparsable", lang, column=state, parsed=0, rows=5000)[:20])
               for e in errors), errors
    assert at.button(key=f"pre_save_{sfx}").disabled
    # a recipe that leaves no feature
    at.radio(key=f"pre_strategy_{sfx}").set_value("stratified").run()
    more = at.multiselect(key=f"pre_drop_more_{sfx}")
    more.set_value(list(more.options)).run()
    no_exception(at)
    assert t("preprocess.error.no_features", lang) in [e.value for e in at.error]
    assert at.button(key=f"pre_save_{sfx}").disabled
    assert latest_recipe(app_store, demo.id) is None


def test_an_accepted_outlier_filter_shows_its_rows_here_and_on_the_train_page(app_store):
    project, sfx = _house(app_store)
    at = _page(app_store, project.id, "en")
    at.toggle(key=f"pre_outliers_{sfx}").set_value(True).run()  # the user accepts the proposal
    no_exception(at)
    shown = _texts(at)
    assert "On: the model will not learn \"sale_price\" values above" in shown
    at.button(key=f"pre_save_{sfx}").click().run()
    no_exception(at)
    saved = latest_recipe(app_store, project.id)
    spec = saved.recipe.row_filters[0]
    assert spec["kind"] == "target_range" and spec["accepted"] is True
    df = pd.read_csv(ROOT / "sample_data" / "house_prices.csv")
    train, test = saved.split.parts(df)
    removed = int((train["sale_price"] > spec["upper"]).sum())
    assert removed > 0
    trained = f"{len(train) - removed:,}"
    assert t("preprocess_ui.save.done", "en", number=1, train=trained, test=f"{len(test):,}") in _texts(at)
    at.switch_page("pages/train.py").run()
    no_exception(at)
    shown = _texts(at)
    assert t("train_ui.recipe_line", "en", number=1, train=trained, test=f"{len(test):,}") in shown
    assert f'{removed:,} rows whose "sale_price" is above {spec["upper"]:,.0f}' in shown  # and why
