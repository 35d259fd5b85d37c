"""Page "Operate: Predict" (AppTest): what-if, batch with the column guard, feedback, outcomes, versions.

One tiny real run is trained for the module the way the Train page test does it
(``ML_STUDIO_TRAIN_OVERRIDES`` shrinks the Quick preset; the Start button runs the real worker)
on ~150 rows of the churn sample. Tabs are opened through the link (``?tab=…``), as a shared
link or a refresh would.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from core.db import Store, open_store
from core.i18n import t
from core.predict import example_rows, get_feedback_df
from core.store import model_versions, projects, runs
from core.store import predictions as store_p
from tests.app.conftest import TINY, new_app, no_exception, private_home
from tests.helpers import churn_project, wait_for_run

ROOT = Path(__file__).resolve().parents[2]
CHURN = pd.read_csv(ROOT / "sample_data" / "telecom_churn.csv")


@dataclass(frozen=True)
class Trained:
    store: Store
    project_id: int
    run_id: int


def _train(project_id: int) -> int:
    """Start a run with the Train page's button (tiny overrides) and wait for it."""
    at = new_app("en", project_id).run()
    at.switch_page("pages/train.py").run()
    at.button(key=f"trn_start_{project_id}").click().run()
    no_exception(at)
    store = open_store()
    try:
        run_id = runs.list_runs(store, project_id)[0].id
        wait_for_run(store, run_id)
    finally:
        store.engine.dispose()
    return run_id


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trained]:
    """A private app home with the churn project and one succeeded tiny run."""
    with private_home(tmp_path_factory, "predict_page", TINY) as (_home, store):
        pid = churn_project(store)
        yield Trained(store, pid, _train(pid))


def _page(project_id: int, tab: str = "whatif", lang: str = "en"):
    at = new_app(lang, project_id)
    at.query_params["tab"] = tab
    at.run()
    at.switch_page("pages/predict.py").run(timeout=120)
    no_exception(at)
    return at


def _texts(at) -> str:
    parts = (at.markdown, at.caption, at.success, at.error, at.warning, at.info, at.subheader)
    return " ".join(e.value for part in parts for e in part).replace("\\", "")


def _shown(elements) -> list[str]:
    """Messages as the user reads them (markdown escapes removed)."""
    return [e.value.replace("\\", "") for e in elements]


def _csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False).encode()


def _upload(at, key: str, filename: str, content: bytes):
    """Upload a file into the uploader ``key`` (as tests/app/test_analyze.py does)."""
    at.file_uploader(key=key).set_value((filename, content, "text/csv")).run(timeout=120)
    no_exception(at)
    return at


def _new_rows(n: int, start: int = 4000) -> pd.DataFrame:
    """Rows the model never saw, without the target."""
    return CHURN.iloc[start:start + n].drop(columns=["Churn?"]).reset_index(drop=True)


def _probability(at) -> tuple[str, str]:
    shown = {m.label: m.value for m in at.metric}
    probability = next(v for k, v in shown.items() if k.startswith("Probability of"))
    decision = next(v for k, v in shown.items() if k.startswith("Decision at threshold"))
    return probability, decision


def test_without_a_model_the_page_says_to_train_first(trained):
    empty = projects.create_project(trained.store, "No model yet", owner="ana")
    for lang in ("en", "ja"):
        at = _page(empty.id, lang=lang)
        assert t("predict_ui.no_model", lang) in [i.value for i in at.info]
        assert {p.label for p in at.get("page_link")} >= {t("nav.train", lang), t("nav.test", lang)}


def test_what_if_is_prefilled_and_updates_when_an_input_changes(trained):
    store, pid = trained.store, trained.project_id
    at = _page(pid)
    model = model_versions.find_for_run(store, trained.run_id)
    first = example_rows(store, pid, n=1).iloc[0]
    names = {n.label: n for n in at.number_input}
    assert names["Day Mins"].value == pytest.approx(float(first["Day Mins"]))
    assert names["CustServ Calls"].value == int(first["CustServ Calls"])
    assert at.selectbox(key=f"pw_f_{model.id}_0").value == first["State"]
    assert any(c.key == f"pw_waterfall_{model.id}" for c in at.get("plotly_chart")), "the SHAP waterfall is shown"
    before = _probability(at)

    for name, value in (("Day Mins", names["Day Mins"].max), ("CustServ Calls", names["CustServ Calls"].max),
                        ("Eve Mins", names["Eve Mins"].max)):
        widget = next(n for n in at.number_input if n.label == name)
        widget.set_value(type(widget.value)(value))
    at.run(timeout=120)
    no_exception(at)
    assert _probability(at) != before, "changing inputs changes the shown prediction"
    assert {n.label: n.value for n in at.number_input}["CustServ Calls"] == int(names["CustServ Calls"].max)

    at.select_slider(key=f"pw_thr_{model.id}").set_value(0.0).run(timeout=120)  # everything is positive at 0
    assert _probability(at)[1] == "True."
    assert not store_p.list_batches(store, pid), "what-if never stores predictions"


def test_a_batch_with_a_missing_column_is_refused_and_nothing_is_stored(trained):
    pid = trained.project_id
    before = len(store_p.list_batches(trained.store, pid))
    at = _page(pid, "batch")
    _upload(at, f"pb_upload_{pid}_0", "bad.csv", _csv(_new_rows(20).drop(columns=["Day Mins", "Eve Mins"])))
    message = t("predict.guard.missing_columns", "en", count=2, columns="Day Mins, Eve Mins")
    assert message in _shown(at.error)
    assert at.button(key=f"pb_score_{pid}").disabled
    words = _new_rows(20).assign(**{"Day Mins": "lots"})  # text where numbers are expected
    _upload(at, f"pb_upload_{pid}_0", "words.csv", _csv(words))
    assert any(m.startswith(t("predict.guard.text_for_number", "en", column="Day Mins", examples="lots")[:40])
               for m in _shown(at.error))
    assert at.button(key=f"pb_score_{pid}").disabled
    _upload(at, f"pb_upload_{pid}_0", "empty.csv", b"")
    assert t("data.import.empty", "en") in [e.value for e in at.error]
    odd = _new_rows(20).assign(State="Atlantis", note="x")  # unseen category and an extra column: warnings only
    _upload(at, f"pb_upload_{pid}_0", "odd.csv", _csv(odd))
    assert not at.button(key=f"pb_score_{pid}").disabled
    assert "Atlantis" in " ".join(_shown(at.warning))
    assert len(store_p.list_batches(trained.store, pid)) == before


def _ensure_production(trained: Trained) -> model_versions.ModelInfo:
    from core.predict import promote_run

    current = model_versions.production_model(trained.store, trained.project_id)
    # the tiny run's verdict on 30 test rows is a No-Go; these tests are about batches, so it is promoted deliberately
    return current or promote_run(trained.store, trained.run_id, by="pm", force=True, note="batch tests")


def test_a_good_batch_is_scored_stored_and_gets_feedback_and_outcomes(trained):
    store, pid = trained.store, trained.project_id
    production = _ensure_production(trained)
    rows = _new_rows(30)
    at = _page(pid, "batch")
    _upload(at, f"pb_upload_{pid}_0", "april.csv", _csv(rows))
    assert at.selectbox(key=f"pb_id_{pid}_0_en").value == "Phone"  # the ID the recipe dropped
    at.button(key=f"pb_score_{pid}").click().run(timeout=120)
    no_exception(at)
    batch = store_p.list_batches(store, pid)[0]
    assert batch.status == store_p.DONE and batch.n_done == 30 and batch.source["filename"] == "april.csv"
    preds = store_p.load_predictions_df(store, batch.id)
    assert (preds["model_version"] == production.version_number).all()
    assert preds["row_key"].tolist() == rows["Phone"].tolist()
    assert t("predict_ui.batch.stored", "en", id=batch.id, rows="30") in [s.value for s in at.success]
    table = at.data_editor[0]
    assert table.value["id"].tolist()[:3] == rows["Phone"].tolist()[:3]
    assert {d.key for d in at.get("download_button")} >= {f"pb_csv_{batch.id}", f"pb_xlsx_{batch.id}"}

    decision = preds.loc[2, "decision"]
    other = "False." if decision == "True." else "True."
    at.session_state[table.key] = {"edited_rows": {0: {"feedback": "wrong"}, 1: {"true_value": "True."},
                                                   2: {"feedback": "correct", "true_value": other}},
                                   "added_rows": [], "deleted_rows": []}
    at.button(key=f"pb_fb_save_{batch.id}").click().run(timeout=120)
    no_exception(at)
    feedback = get_feedback_df(store, pid, batch.id).set_index("row_index")
    assert sorted(feedback.index) == [0, 1]  # row 3 contradicts itself: refused, the others kept
    assert not feedback.loc[0, "correct"] and feedback.loc[1, "true_value"] == "True."
    assert t("predict_ui.feedback.saved", "en", n=2) in [s.value for s in at.success]
    assert any("Row 3" in w for w in _shown(at.warning))

    outcomes = pd.DataFrame({"Phone": [*rows["Phone"].head(5), "000-0000"],
                             "Churn?": ["True.", "False.", "True.", "False.", "False.", "True."]})
    _upload(at, f"pb_out_{batch.id}_0", "outcomes.csv", _csv(outcomes))
    at.button(key=f"pb_out_match_{batch.id}").click().run(timeout=120)
    no_exception(at)
    assert t("predict_ui.outcomes.matched", "en", n=5) in [s.value for s in at.success]
    assert "000-0000" in " ".join(_shown(at.warning))  # the unmatched ID is reported
    assert len(get_feedback_df(store, pid, batch.id)) == 5

    store_p.delete_batch(store, batch.id)  # deleted meanwhile (another tab): feedback is refused clearly
    key = next(d.key for d in at.data_editor)
    at.session_state[key] = {"edited_rows": {0: {"feedback": "correct"}}, "added_rows": [], "deleted_rows": []}
    at.button(key=f"pb_fb_save_{batch.id}").click().run(timeout=120)
    no_exception(at)
    assert t("predict.error.batch_missing", "en", id=batch.id) in [e.value for e in at.error]


def _promote_deliberately(at, pid: int) -> None:  # noqa: ANN001 - AppTest
    """Click Promote; a No-Go run (the tiny runs' usual verdict) is refused until the override is ticked."""
    force = [c for c in at.checkbox if c.key == f"pv_force_{pid}"]
    if force:  # the page showed the stored decision's No-Go before the click
        assert t("predict_ui.promote.no_go", "en", run=at.selectbox(key=f"pv_run_{pid}_en").value) in \
            [w.value for w in at.warning]
        force[0].check().run(timeout=120)
    at.button(key=f"pv_promote_{pid}").click().run(timeout=120)
    no_exception(at)


def test_promote_then_rollback_is_recorded_and_no_earlier_version_is_explained(trained):
    store, pid = trained.store, trained.project_id
    for version in model_versions.list_models(store, pid):  # start from a project with nothing promoted
        assert version.version_number is None or version.run_id == trained.run_id
    at = _page(pid, "versions")
    at.text_input(key=f"pred_name_versions_{pid}").set_value("Paula PM")
    if model_versions.production_model(store, pid) is None:
        _promote_deliberately(at, pid)
    first = model_versions.production_model(store, pid)
    assert first.run_id == trained.run_id and first.version_number == 1
    at.button(key=f"pv_rollback_{pid}").click().run(timeout=120)
    no_exception(at)
    assert t("predict.version.error.no_earlier", "en", version=1) in [e.value for e in at.error]
    assert model_versions.production_model(store, pid).id == first.id  # nothing changed

    second_run = _train(pid)
    at = _page(pid, "versions")
    at.text_input(key=f"pred_name_versions_{pid}").set_value("Paula PM")
    assert at.selectbox(key=f"pv_run_{pid}_en").value == second_run  # the newest run is proposed
    _promote_deliberately(at, pid)
    second = model_versions.production_model(store, pid)
    assert second.run_id == second_run and second.version_number == 2 and second.promoted_by == "Paula PM"
    at.text_input(key=f"pv_reason_{pid}").set_value("worse on April data")
    at.button(key=f"pv_rollback_{pid}").click().run(timeout=120)
    no_exception(at)
    assert model_versions.production_model(store, pid).version_number == 1
    assert t("predict_ui.rollback.done", "en", version=1) in [s.value for s in at.success]
    history = at.dataframe[-1].value
    assert "rolled back" in history.iloc[:, 0].tolist() and "worse on April data" in history.iloc[:, -1].tolist()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_tab_renders_in_both_languages(trained, lang):
    pid = trained.project_id
    at = _page(pid, "batch", lang)
    _upload(at, f"pb_upload_{pid}_0", "may.csv", _csv(_new_rows(12, start=4200)))
    at.button(key=f"pb_score_{pid}").click().run(timeout=120)
    no_exception(at)
    for tab in ("whatif", "batch", "monitor", "versions"):
        at = _page(pid, tab, lang)
        assert t(f"predict_ui.tab.{tab}", lang) in " ".join(b.label for b in at.tabs)
        assert at.title[0].value == t("nav.predict", lang)
    assert t("predict_ui.drift.title", lang) in _texts(_page(pid, "monitor", lang))
