"""The server restarts in the middle of a training run: the Train page shows the run's true state.

A real browser drives a real ``streamlit run``. The project (churn rows, goal, recipe) is made
through the core APIs in the server's home folder before it starts. Training is started with the
Train page's button; its worker runs in its own session (``core.train.jobs._spawn``), so it
outlives the server. Training is kept short but steady: CatBoost without early stopping fills the
time limit (``ML_STUDIO_TRAIN_OVERRIDES``), so the run is still going when the new server is up.

1. Start a run, stop the server, start a new one on the same home: the page shows the run as
   training, with progress; when the worker ends, the page says the run finished (by itself).
2. Start a run, stop the server, kill the worker (as a reboot or the OOM killer would), start a
   new server: the page says the worker died, never "training" forever.
"""

from __future__ import annotations

import json
import os
import re
import signal

from playwright.sync_api import expect

from core.db import open_store
from core.i18n import t
from core.store import runs
from core.train import process_alive
from tests.e2e.conftest import serve, settle
from tests.helpers import churn_project, wait_until

EN = "en"
TRAINING = {"time_limit": 30, "hyperparameters": {"CAT": {"iterations": 1_000_000, "ag.early_stop": 999_999}},
            "extra": {"num_bag_folds": 0}}


def _message(key: str, **params: object):
    """The catalog text as a pattern, ``{...}`` placeholders left open."""
    marked = t(key, EN, **{k: f"\x00{k}\x00" for k in params})
    pattern = re.escape(marked)
    for name, value in params.items():
        pattern = pattern.replace(re.escape(f"\x00{name}\x00"), ".+" if value is None else re.escape(str(value)))
    return re.compile(pattern)


def _open_train(page, server: dict, project_id: int) -> None:
    page.goto(f"{server['url']}/train?lang={EN}&project={project_id}")
    expect(page.get_by_role("heading", name=t("nav.train", EN)).first).to_be_visible(timeout=60_000)
    settle(page)


def _cancel(page):
    """The live view's Cancel button (shown only while a run is active)."""
    return page.locator("[class*='st-key-trn_cancel_'] button").filter(has_text=t("train_ui.live.cancel", EN))


def _start(page, store, project_id: int) -> runs.RunInfo:
    """Click Start on the Train page; return the run once its worker process is attached."""
    before = {r.id for r in runs.list_runs(store, project_id)}
    page.locator(f"[class*='st-key-trn_start_{project_id}'] button").click()
    expect(_cancel(page).first).to_be_visible()  # the live view

    def started() -> runs.RunInfo | None:
        new = [r for r in runs.list_runs(store, project_id) if r.id not in before]
        return new[0] if new and new[0].pid and new[0].status == runs.RUNNING else None

    return wait_until(started, 60, "the worker to start")


def _kill_leftovers(store) -> None:
    """End the workers this test started (by their process group), should any still run."""
    for run in runs.active_runs(store):
        if run.pid and process_alive(run.pid, run.id):
            os.killpg(run.pid, signal.SIGKILL)


def test_the_train_page_shows_the_true_state_of_a_run_after_a_server_restart(browser, tmp_path):
    home = tmp_path / "home"
    home.mkdir(parents=True)
    store = open_store(f"sqlite:///{home / 'studio.db'}", artefacts=home / "artefacts")
    pid = churn_project(store)
    env = {"ML_STUDIO_TRAIN_OVERRIDES": json.dumps(TRAINING)}
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        # 1. the worker outlives the server; the new server shows it training, then finished
        with serve(home, **env) as server:
            _open_train(page, server, pid)
            run = _start(page, store, pid)
        assert process_alive(run.pid, run.id), "the worker survived the server"
        assert runs.get_run(store, run.id).status == runs.RUNNING

        with serve(home, **env) as server:
            _open_train(page, server, pid)
            expect(page.get_by_text(t("train_ui.run.title", EN, run=run.id)).first).to_be_visible()
            progress = page.get_by_test_id("stProgress")
            expect(progress).to_contain_text(_message("train.status.eta", done=None, planned=None, seconds=None))
            expect(_cancel(page).first).to_be_visible()
            assert runs.get_run(store, run.id).status == runs.RUNNING, "shown as training while it trains"
            assert f"run={run.id}" in page.url

            done = _message("train_ui.result.done", run=run.id, elapsed=None, models=None)
            expect(page.get_by_text(done)).to_be_visible(timeout=90_000)  # the page updates itself
            assert runs.get_run(store, run.id).status == runs.SUCCEEDED
            expect(progress).to_have_count(0)
            expect(_cancel(page)).to_have_count(0)

            # 2. a second run whose worker dies while no server is up
            second = _start(page, store, pid)
        os.killpg(second.pid, signal.SIGKILL)
        wait_until(lambda: not process_alive(second.pid, second.id), 10, "the worker to end")
        assert runs.get_run(store, second.id).status == runs.RUNNING  # nobody noticed yet

        with serve(home, **env) as server:
            _open_train(page, server, pid)
            expect(page.get_by_text(t("train.error.worker_died", EN))).to_be_visible()
            expect(page.get_by_test_id("stProgress")).to_have_count(0)
            expect(_cancel(page)).to_have_count(0)
            ended = runs.get_run(store, second.id)
            assert ended.status == runs.FAILED and ended.error["key"] == "train.error.worker_died"
            assert runs.get_run(store, run.id).status == runs.SUCCEEDED  # the first run is untouched
    except BaseException:
        page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        raise
    finally:
        context.close()
        _kill_leftovers(store)
        store.engine.dispose()
