"""The demo scenario walked as a user would, in Japanese, in a real browser (screenshots for the README).

Every click waits for the script run it caused (:class:`tests.e2e.conftest.Reruns`).
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import expect

from core.i18n import t
from tests.e2e.conftest import ROOT, Reruns, serve, shot

JA = "ja"
PROJECT = "解約予測の検証 R&D"  # "&" must reach the HTML report escaped
TINY_TRAINING = {"time_limit": 30, "hyperparameters": {"GBM": {"num_boost_round": 40}, "DUMMY": {}, "LR": {}}}
BATCH_ROWS = 40


@pytest.fixture(scope="module")
def journey_server(tmp_path_factory):
    """A server of its own: tiny training settings so the journey stays within a few minutes."""
    with serve(tmp_path_factory.mktemp("journey"), ML_STUDIO_TRAIN_OVERRIDES=json.dumps(TINY_TRAINING)) as info:
        yield info


def key(page, prefix: str):
    """The element whose widget key starts with ``prefix`` (Streamlit adds a st-key-<key> class)."""
    return page.locator(f"[class*='st-key-{prefix}']").first


def choose(runs: Reruns, prefix: str, option: str) -> None:
    """Pick ``option`` in the select box whose key starts with ``prefix``."""
    page = runs.page
    key(page, prefix).locator("input").click()
    page.keyboard.type(option)
    runs.after(page.get_by_role("option", name=option, exact=True).click)


def tab(page, key_: str):
    """A tab of the main area by its translated name (tabs of hidden panels or the sidebar never match)."""
    return page.get_by_test_id("stMain").get_by_role("tab", name=t(key_, JA))


def message(key_: str, **params: object) -> re.Pattern:
    """A translated message as a pattern; parameters given as ``None`` match any text."""
    marks = {name: f"PARAM{i}MARK" for i, name in enumerate(params) if params[name] is None}
    text = t(key_, JA, **{name: marks.get(name, value) for name, value in params.items()}).replace("**", "")
    pattern = re.escape(text)
    for mark in marks.values():
        pattern = pattern.replace(mark, ".+?")
    return re.compile(pattern)


def shown_verdict(page) -> str:
    """Which overall verdict the open tab panel shows (go, no_go or incomplete)."""
    panel = page.get_by_test_id("stMain").get_by_role("tabpanel")  # hidden (inert) panels are not in the tree
    expect(panel).to_have_count(1)
    text = panel.inner_text()
    found = [v for v in ("go", "no_go", "incomplete") if t(f"evaluate.overall.{v}", JA) in text]
    assert len(found) == 1, text[:500]
    return found[0]


def batch_file(folder: Path) -> tuple[Path, pd.DataFrame]:
    """New customers to score: sample rows without the answer column, in CP932 as Excel writes it."""
    rows = pd.read_csv(ROOT / "sample_data" / "telecom_churn_ja_cp932.csv", encoding="cp932", dtype=str)
    rows = rows.drop(columns=["解約"]).iloc[100:100 + BATCH_ROWS]
    path = folder / "新規顧客.csv"
    rows.to_csv(path, index=False, encoding="cp932")
    return path, rows


def test_demo_journey_in_japanese(browser, journey_server, tmp_path):
    server = journey_server
    page = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="ja-JP",
                               accept_downloads=True).new_page()
    page.set_default_timeout(60_000)
    runs = Reruns(page)
    main = page.get_by_test_id("stMain")

    # Project
    runs.after(lambda: page.goto(f"{server['url']}/?lang=ja"), new_page=True)
    form = page.get_by_test_id("stForm").filter(has_text=t("home.create.title", JA))
    form.get_by_label(t("home.create.name", JA)).fill(PROJECT)
    runs.after(form.get_by_role("button", name=t("home.create.submit", JA)).click)
    expect(page.get_by_text(t("home.created", JA, name=PROJECT))).to_be_visible()
    project_id = re.search(r"project=(\d+)", page.url).group(1)
    shot(page, "journey-01-project")

    # 1 Business Understanding: the workshop's churn goal with its cost matrix
    runs.goto(server, "business", project_id)
    example = key(page, "biz_example_telecom_churn").locator("button")
    if not example.is_visible():  # the examples panel is open on an empty goal and closes once the goal is saved
        page.get_by_text(t("business.examples.title", JA)).first.click()
    runs.after(example.click)
    expect(page.get_by_text(t("business.examples.loaded", JA,
                              title=t("value.example.telecom_churn.title", JA)))).to_be_visible()
    shot(page, "journey-02-business")

    # 2 Analyze: the CP932 file from Excel, no encoding chosen
    runs.goto(server, "analyze", project_id)
    runs.after(lambda: page.locator("input[type=file]").first.set_input_files(
        str(ROOT / "sample_data" / "telecom_churn_ja_cp932.csv")))
    expect(page.get_by_text(re.compile("cp932", re.I)).first).to_be_visible()  # detected, not chosen
    runs.after(key(page, "ana_save_").locator("button").click)
    choose(runs, "ana_target_", "解約")
    runs.after(key(page, "ana_confirm_").locator("button").click)
    runs.after(key(page, "ana_run_").locator("button").click)
    expect(page.get_by_text(re.compile("電話番号")).filter(visible=True).first).to_be_visible()  # the ID column found
    shot(page, "journey-03-analysis")

    # 4 Preprocess: the recipe proposed by the analysis, stratified split
    runs.goto(server, "preprocess", project_id)
    runs.after(page.get_by_role("button", name=t("preprocess_ui.save.button", JA)).click)
    shot(page, "journey-04-preprocess")

    # 5 Train: a refresh in the middle of training loses nothing
    runs.goto(server, "train", project_id)
    page.get_by_role("button", name=t("train_ui.start.button", JA)).click()
    expect(page).to_have_url(re.compile(r"run=\d+"))
    page.reload()
    expect(page).to_have_url(re.compile(r"run=\d+"))
    expect(page.get_by_text(t("train_ui.live.cancel", JA)).first).to_be_visible()  # still running after the refresh
    expect(key(page, "trn_pick_save_")).to_be_visible(timeout=240_000)  # finished: pick the model to use
    runs.idle()  # the page's full rerun after the live progress has ended
    shot(page, "journey-05-train")

    # 6 Test: a verdict in money
    runs.goto(server, "test", project_id)
    tab(page, "evaluate.tab.verdict").click()  # tabs switch in the browser, no rerun
    verdict = shown_verdict(page)
    shot(page, "journey-06-verdict")

    # Test report: written on request, then downloaded as one self-contained HTML file
    tab(page, "evaluate.tab.report").click()
    generate = main.get_by_role("button", name=t("evaluate.report.generate", JA))
    expect(generate).to_be_visible()
    runs.after(generate.click)  # writes the report, then reruns to show it
    expect(main.get_by_text(message("evaluate.report.saved", id=None))).to_be_visible()
    expect(main.get_by_text(message("evaluate.report.latest", id=None, when=None,
                                    verdict=t(f"evaluate.overall.{verdict}", JA)))).to_be_visible()
    shot(page, "journey-08-report")
    with page.expect_download() as report_download:
        main.get_by_role("button", name=t("evaluate.report.download_html", JA)).click()
    assert report_download.value.suggested_filename.endswith(".html")
    report = Path(report_download.value.path()).read_text(encoding="utf-8")
    assert t(f"evaluate.overall.{verdict}", JA) in report
    assert t("evaluate.report.title", JA, project=html.escape(PROJECT)) in report  # "R&amp;D", never raw HTML

    # Operate: the what-if demo on the tested model
    runs.goto(server, "predict", project_id)
    expect(key(page, "pw_row_")).to_be_visible()
    shot(page, "journey-07-whatif")

    # Operate: batch predictions for a file of new customers, checked against the model's columns first
    runs.after(tab(page, "predict_ui.tab.batch").click)  # only the open tab runs: switching reruns
    path, rows = batch_file(tmp_path)
    runs.after(lambda: key(page, "pb_upload_").locator("input[type=file]").set_input_files(str(path)))
    expect(main.get_by_text(t("predict_ui.batch.read", JA, rows=f"{BATCH_ROWS:,}", columns=rows.shape[1]))) \
        .to_be_visible()
    ready = [message(f"predict_ui.batch.{k}", rows=f"{BATCH_ROWS:,}").pattern for k in ("guard_clean", "guard_ok")]
    expect(main.get_by_text(re.compile("|".join(ready)))).to_be_visible()  # no blocking issue
    score = key(page, "pb_score_").locator("button")
    expect(score).to_be_enabled()
    score.scroll_into_view_if_needed()  # the main area scrolls by itself: show the guard's verdict and the button
    shot(page, "journey-09-batch")
    runs.after(score.click)  # small files are scored inline, then the page shows the stored batch
    expect(main.get_by_text(message("predict_ui.batch.stored", id=None, rows=f"{BATCH_ROWS:,}"))).to_be_visible()
    csv_button = key(page, "pb_csv_").locator("button")
    expect(csv_button).to_be_visible()
    csv_button.scroll_into_view_if_needed()
    shot(page, "journey-10-scored")
    with page.expect_download() as batch_download:
        csv_button.click()
    assert re.fullmatch(r"batch-\d+\.csv", batch_download.value.suggested_filename)
    scored = pd.read_csv(io.BytesIO(Path(batch_download.value.path()).read_bytes()), encoding="utf-8-sig", dtype=str)
    assert len(scored) == BATCH_ROWS
    assert {"prediction", "probability", "decision"} <= set(scored.columns)
    assert scored["電話番号"].tolist() == rows["電話番号"].tolist()  # the inputs come back in their order
    probability = pd.to_numeric(scored["probability"], errors="raise")
    assert probability.between(0, 1).all() and probability.nunique() > 1
    reasons = scored["reasons"].dropna()
    assert len(reasons) and reasons.str.contains("通常").all()  # reasons written in the UI's language
    page.context.close()
