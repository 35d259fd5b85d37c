"""Page "5 Train" (AppTest): Train → live progress → leaderboard with baselines; refusal, cancel, languages.

The worker is a real separate process. ``ML_STUDIO_TRAIN_OVERRIDES`` (read by
``core.train.settings.with_env_overrides``) shrinks the Quick preset to three tiny models and a
10-second budget; the tests poll the run row until it ends, then rerun the page.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.i18n import t
from core.preprocess import Recipe, SplitSettings, TargetSpec, save_recipe_version
from core.store import datasets, projects, runs
from core.train import cancel_run
from tests.app.conftest import TINY, new_app, no_exception
from tests.helpers import churn_project, wait_for_run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(app_store, monkeypatch):
    """The app's store with tiny training settings; no worker outlives the test."""
    monkeypatch.setenv("ML_STUDIO_TRAIN_OVERRIDES", json.dumps(TINY))
    yield app_store
    for run in runs.active_runs(app_store):
        cancel_run(app_store, run.id, grace_s=5)


def _texts(at) -> str:
    parts = (at.markdown, at.caption, at.success, at.error, at.warning, at.info, at.subheader)
    return " ".join(e.value for part in parts for e in part).replace("\\", "")


def _train_page(project_id: int, lang: str = "en", run_id: int | None = None):
    at = new_app(lang, project_id)
    if run_id is not None:
        at.query_params["run"] = str(run_id)
    at.run()
    at.switch_page("pages/train.py").run()
    no_exception(at)
    return at


def test_train_shows_progress_then_a_leaderboard_with_baselines(store):
    pid = churn_project(store)
    at = _train_page(pid)
    shown = _texts(at)
    assert t("train_ui.settings.overrides", "en", names="extra, hyperparameters, time_limit") in shown
    assert t("train.metric.why.f1_for_recall", "en") in shown  # the churn goal has a recall target
    assert at.radio(key=f"trn_preset_{pid}").value == "quick"
    assert at.checkbox(key=f"trn_explainable_{pid}").value is False  # an overall explanation is enough

    at.button(key=f"trn_start_{pid}").click().run()
    no_exception(at)
    (run,) = runs.list_runs(store, pid)
    assert at.query_params["run"] == str(run.id)  # a refresh returns to this run
    assert run.settings["time_limit"] == 10 and run.record["created_by"] == "ana"
    statuses = [t(f"train.status.{s}", "en") for s in runs.ACTIVE + runs.FINAL]
    assert any(s in _texts(at) for s in statuses)
    assert at.button(key=f"trn_cancel_{run.id}")  # the live view offers Cancel

    at.button(key=f"trn_start_{pid}").click().run()  # a second click while it runs is refused
    no_exception(at)
    assert t("train.error.already_running", "en", run=run.id) in [e.value for e in at.error]
    assert len(runs.list_runs(store, pid)) == 1

    reopened = _train_page(pid)  # another tab / the project reopened: back to the run
    assert reopened.query_params["run"] == str(run.id)
    assert t("train_ui.run.title", "en", run=run.id) in _texts(reopened)

    run = wait_for_run(store, run.id, 90, succeed=False)
    assert run.status == runs.SUCCEEDED, run.error
    at.run()
    no_exception(at)
    board = next(d.value for d in at.dataframe if "Model" in d.value.columns)
    models = board["Model"].tolist()
    assert any(m.startswith("Dummy") for m in models) and any(m.startswith("LinearModel") for m in models)
    assert set(board["Baseline"]) >= {"simple rule", ""}
    best = run.metrics["best_model"]
    assert board.loc[board["In use"] == "●", "Model"].tolist() == [best]
    assert t("train_ui.board.verdict", "en") in _texts(at)
    assert t("train_ui.result.done", "en", run=run.id, elapsed="", models=len(run.leaderboard))[:10] in _texts(at)
    assert any(b.key == f"trn_zip_{run.id}" for b in at.get("download_button"))

    baseline = next(m for m in models if m.startswith("LinearModel"))
    at.selectbox(key=f"trn_pick_{run.id}").set_value(baseline).run()
    at.button(key=f"trn_pick_save_{run.id}").click().run()
    no_exception(at)
    assert runs.get_run(store, run.id).chosen_model == baseline
    assert t("train.verdict.baseline_best", "en", model=baseline, score="")[:25] in _texts(at)

    ja = _train_page(pid, "ja", run.id)  # the same run in Japanese
    shown = _texts(ja)
    assert t("train_ui.board.title", "ja") in shown
    assert t("train_ui.board.verdict", "ja") in shown and t("train_ui.board.verdict", "en") not in shown
    assert any("モデル" in d.value.columns for d in ja.dataframe)


def test_cancel_stops_the_run_and_the_page_says_so(store):
    pid = churn_project(store, "Cancel me")
    at = _train_page(pid, "ja")
    at.button(key=f"trn_start_{pid}").click().run()
    (run,) = runs.list_runs(store, pid)
    at.button(key=f"trn_cancel_{run.id}").click().run()
    no_exception(at)
    run = wait_for_run(store, run.id, 60, succeed=False)
    assert run.status == runs.CANCELLED
    at.run()
    no_exception(at)
    assert t("train.status.cancelled", "ja") in [i.value for i in at.info]
    assert not runs.active_runs(store, pid)  # the project is free for a new run


def _houses_project(store, name: str = "Houses") -> int:
    """160 house sales, sale price by a time split on the sale date."""
    df = pd.read_csv(ROOT / "sample_data" / "house_prices.csv").head(160)
    project = projects.create_project(store, name, owner="ana")
    datasets.add_dataset_version(store, project.id, df, source={"kind": "test"})
    projects.update_project(store, project.id, target_column="sale_price", problem_type="regression")
    recipe = Recipe(target=TargetSpec("sale_price", "regression"), split=SplitSettings("time", 0.2, 42, "sale_date"))
    recipe.type_overrides.append({"column": "sale_date", "to": "date"})
    save_recipe_version(store, project.id, recipe, created_by="ana")
    return project.id


def test_a_time_split_run_says_how_it_validated_and_shows_errors_positive(store):
    pid = _houses_project(store)
    at = _train_page(pid)
    shown = _texts(at)
    assert t("train_ui.validation.holdout_latest", "en", share="20%", column="sale_date") in shown
    assert t("train.validation.why.time", "en") in shown  # why, before anything is trained
    captions = list(at.radio(key=f"trn_preset_{pid}").proto.captions)
    assert captions[0] == t("train_ui.preset.quick_help_time", "en")  # not "5-fold" for a time split

    at.button(key=f"trn_start_{pid}").click().run()
    (run,) = runs.list_runs(store, pid)
    run = wait_for_run(store, run.id, 90)
    at.run()
    no_exception(at)
    info = run.record["validation"]
    shown = _texts(at)
    assert t("train_ui.validation.rows_latest", "en", rows=f"{info['rows']:,}", train_rows=f"{info['train_rows']:,}",
             cutoff=info["cutoff"][:10], learned_until=info["learned_until"][:10]) in shown
    assert t("train_ui.validation.refit_note", "en") in shown

    label = t("train_ui.metric.lower_better", "en", name=t("train.metric.name.root_mean_squared_error", "en"))
    board = next(d.value for d in at.dataframe if "Model" in d.value.columns)
    assert board[label].dropna().gt(0).all()  # RMSE positive, lower is better
    assert board[label].iloc[0] == board[label].min()  # best (lowest error) first
    assert board.loc[board["In use"] == "●", label].tolist() == [board[label].min()]
    assert run.metrics["best_model"].endswith("_FULL")  # retrained on all training rows after validation
    verdict = run.metrics["verdict"]
    assert verdict["params"]["score"] > 0 and verdict["params"]["baseline_score"] > 0
    assert t(verdict["key"], "en", **verdict["params"]) in shown
    history = next(d.value for d in at.dataframe if "Validation score" in d.value.columns)
    assert history["Validation score"].gt(0).all() and set(history["Metric"]) == {label}

    ja = _train_page(pid, "ja", run.id)
    assert t("train_ui.validation.title", "ja") in _texts(ja)
    assert t("train_ui.validation.title", "en") not in _texts(ja)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_lone_training_date_is_refused_before_training(store, lang):
    """A recipe filter leaves one sale date (20 rows) in training: a clear message, and no run is stored."""
    df = pd.DataFrame({"sale_date": [f"2024-03-{1 + i % 5:02d}" for i in range(100)],
                       "day": [i % 5 for i in range(100)], "area": np.arange(100) * 10.0,
                       "price": np.arange(100) * 1000.0})
    project = projects.create_project(store, f"One day {lang}", owner="ana")
    datasets.add_dataset_version(store, project.id, df, source={"kind": "test"})
    recipe = Recipe(target=TargetSpec("price", "regression"), split=SplitSettings("time", 0.2, 42, "sale_date"),
                    row_filters=[{"kind": "range", "column": "day", "upper": 0.0, "accepted": True}])
    save_recipe_version(store, project.id, recipe, created_by="ana")
    at = _train_page(project.id, lang)
    at.button(key=f"trn_start_{project.id}").click().run()
    no_exception(at)
    expected = t("train.error.time_constant", lang, column="sale_date", value="2024-03-01")
    assert expected in [e.value.replace("\\", "") for e in at.error]
    assert runs.list_runs(store, project.id) == []
