"""Scores read the way users expect: errors such as RMSE are positive wherever a person reads them.

AutoGluon stores every score higher-is-better (an RMSE of 19,528 as -19,528); the leaderboard,
the baseline verdict and the run comparison turn it back into the metric's own sign.
"""

from __future__ import annotations

from core.db import Store
from core.i18n import t
from core.store import projects, runs
from core.train import baseline_verdict, compare_runs, get_leaderboard_df
from core.train.leaderboard import merge_refit, shown_score


def _row(model: str, score_val: float, *, baseline: bool = False, fit: float = 1.0) -> dict:
    family = "baseline_constant" if baseline else "gradient_boosting"
    return {"model": model, "family": family, "note_key": f"train.family.{family}", "score_val": score_val,
            "fit_time_s": fit, "predict_ms_per_1000": 1.0, "predict_measured": True, "is_baseline": baseline,
            "is_best": model == "LightGBM", "can_infer": True, "stack_level": 1}


RMSE_ROWS = [_row("Dummy", -28_377.0, baseline=True), _row("LightGBM", -19_528.0), _row("CatBoost", -21_000.0)]


def test_errors_are_positive_and_lowest_first_on_the_leaderboard():
    board = get_leaderboard_df(RMSE_ROWS, "en", greater_is_better=False)
    assert board["model"].tolist() == ["LightGBM", "CatBoost", "Dummy"]
    assert board["score"].tolist() == [19_528.0, 21_000.0, 28_377.0]
    assert get_leaderboard_df(RMSE_ROWS, "en", greater_is_better=True)["score"].iloc[0] == -19_528.0
    assert shown_score(None, False) is None and shown_score(0.8, True) == 0.8


def test_the_verdict_reads_19528_beats_28377_not_minus():
    verdict = baseline_verdict(RMSE_ROWS, "LightGBM", greater_is_better=False)
    assert verdict["key"] == "train.verdict.beat"
    assert verdict["params"] == {"model": "LightGBM", "score": 19_528.0, "baseline": "Dummy",
                                 "baseline_score": 28_377.0}
    text = t(verdict["key"], "en", **verdict["params"])
    assert "19528" in text and "-" not in text.replace("F1", "")
    worse = [_row("Dummy", -100.0, baseline=True), _row("LightGBM", -120.0)]
    assert baseline_verdict(worse, "LightGBM", False)["key"] == "train.verdict.not_beat"


def test_compared_runs_show_errors_positive(sqlite_store: Store):
    store = sqlite_store
    project = projects.create_project(store, "Houses")
    ids = []
    for best, baseline in ((-19_528.0, -28_377.0), (-0.5, -0.9)):
        run = runs.create_run(store, project.id, dataset_id=None, recipe_id=None, settings={},
                              record={"metric": "root_mean_squared_error"})
        runs.mark_started(store, run.id, pid=1, log_path="")
        rows = [_row("Dummy", baseline, baseline=True), _row("LightGBM", best)]
        runs.finish_run(store, run.id, leaderboard=rows, record={"metric": "root_mean_squared_error"},
                        metrics={"best_model": "LightGBM", "score_val": best, "greater_is_better": False})
        ids.append(run.id)
    table = compare_runs(store, ids)
    assert table.loc["score_val"].tolist() == [19_528.0, 0.5]
    assert table.loc["baseline_score"].tolist() == [28_377.0, 0.9]


def test_a_refit_model_carries_its_parents_validation_score():
    rows = [_row("LightGBM", -19_528.0, fit=2.0), _row("LightGBM_FULL", float("nan"), fit=1.5),
            _row("Dummy", -28_377.0, baseline=True)]
    merged = merge_refit(rows, {"LightGBM": "LightGBM_FULL"})
    assert [r["model"] for r in merged] == ["LightGBM_FULL", "Dummy"]
    full = merged[0]
    assert (full["score_val"], full["fit_time_s"], full["refit_of"]) == (-19_528.0, 3.5, "LightGBM")
    assert merge_refit(rows, {}) == rows
