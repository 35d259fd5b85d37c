"""The demo scenario walked as a user would, in Japanese, in a real browser (screenshots for the README)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from core.i18n import t
from tests.e2e.conftest import ROOT, serve, settle, shot

JA = "ja"
TINY_TRAINING = {"time_limit": 30, "hyperparameters": {"GBM": {"num_boost_round": 40}, "DUMMY": {}, "LR": {}}}


@pytest.fixture(scope="module")
def journey_server(tmp_path_factory):
    """A server of its own: tiny training settings so the journey stays within a few minutes."""
    with serve(tmp_path_factory.mktemp("journey"), ML_STUDIO_TRAIN_OVERRIDES=json.dumps(TINY_TRAINING)) as info:
        yield info


def key(page, prefix: str):
    """The element whose widget key starts with ``prefix`` (Streamlit adds a st-key-<key> class)."""
    return page.locator(f"[class*='st-key-{prefix}']").first


def choose(page, prefix: str, option: str) -> None:
    """Pick ``option`` in the select box whose key starts with ``prefix``."""
    key(page, prefix).locator("input").click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def goto(page, server, path: str, project_id: str) -> None:
    page.goto(f"{server['url']}/{path}?lang=ja&project={project_id}")
    settle(page)


def test_demo_journey_in_japanese(browser, journey_server):
    server = journey_server
    page = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="ja-JP").new_page()
    page.set_default_timeout(60_000)

    # Project
    page.goto(f"{server['url']}/?lang=ja")
    form = page.get_by_test_id("stForm").filter(has_text=t("home.create.title", JA))
    form.get_by_label(t("home.create.name", JA)).fill("解約予測の検証")
    form.get_by_role("button", name=t("home.create.submit", JA)).click()
    expect(page.get_by_text(t("home.created", JA, name="解約予測の検証"))).to_be_visible()
    project_id = re.search(r"project=(\d+)", page.url).group(1)
    shot(page, "journey-01-project")

    # 1 Business Understanding: the workshop's churn goal with its cost matrix
    goto(page, server, "business", project_id)
    example = key(page, "biz_example_telecom_churn").locator("button")
    for _ in range(3):  # the examples panel is open on an empty goal and closes once the goal is saved
        settle(page)
        if not example.is_visible():
            page.get_by_text(t("business.examples.title", JA)).first.click()
        try:
            example.click(timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    expect(page.get_by_text(t("business.examples.loaded", JA,
                              title=t("value.example.telecom_churn.title", JA)))).to_be_visible()
    shot(page, "journey-02-business")

    # 2 Analyze: the CP932 file from Excel, no encoding chosen
    goto(page, server, "analyze", project_id)
    page.locator("input[type=file]").first.set_input_files(str(ROOT / "sample_data" / "telecom_churn_ja_cp932.csv"))
    expect(page.get_by_text(re.compile("cp932", re.I)).first).to_be_visible()  # detected, not chosen
    key(page, "ana_save_").locator("button").click()
    settle(page)
    choose(page, "ana_target_", "解約")
    key(page, "ana_confirm_").locator("button").click()
    settle(page)
    key(page, "ana_run_").locator("button").click()
    settle(page)
    expect(page.get_by_text(re.compile("電話番号")).filter(visible=True).first).to_be_visible()  # the ID column found
    shot(page, "journey-03-analysis")

    # 4 Preprocess: the recipe proposed by the analysis, stratified split
    goto(page, server, "preprocess", project_id)
    page.get_by_role("button", name=t("preprocess_ui.save.button", JA)).click()
    settle(page)
    shot(page, "journey-04-preprocess")

    # 5 Train: a refresh in the middle of training loses nothing
    goto(page, server, "train", project_id)
    page.get_by_role("button", name=t("train_ui.start.button", JA)).click()
    expect(page).to_have_url(re.compile(r"run=\d+"))
    page.reload()
    expect(page).to_have_url(re.compile(r"run=\d+"))
    expect(page.get_by_text(t("train_ui.live.cancel", JA)).first).to_be_visible()  # still running after the refresh
    expect(key(page, "trn_pick_save_")).to_be_visible(timeout=240_000)  # finished: pick the model to use
    shot(page, "journey-05-train")

    # 6 Test: a verdict in money
    goto(page, server, "test", project_id)
    page.get_by_role("tab", name=re.compile(t("evaluate.tab.verdict", JA))).click()
    verdicts = "|".join(re.escape(t(f"evaluate.overall.{v}", JA)) for v in ("go", "no_go", "incomplete"))
    expect(page.get_by_text(re.compile(verdicts)).first).to_be_visible()
    shot(page, "journey-06-verdict")

    # Operate: the what-if demo on the tested model
    goto(page, server, "predict", project_id)
    expect(key(page, "pw_row_")).to_be_visible()
    shot(page, "journey-07-whatif")
    page.context.close()
