"""A real browser (Debian's Chromium driven by Playwright) against `streamlit run` on a free port."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.helpers import wait_until

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "build" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    def healthy() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                return resp.status == 200
        except OSError:
            return False

    wait_until(healthy, timeout, "streamlit to become healthy", every=0.3)


@contextlib.contextmanager
def serve(home: Path, **extra_env: str) -> Iterator[dict]:
    """Start `streamlit run app.py` on a free port with a private home folder; stop it after."""
    port = _free_port()
    env = {**os.environ, "ML_STUDIO_HOME": str(home), "DATABASE_URL": f"sqlite:///{home / 'studio.db'}",
           **extra_env}
    home.mkdir(parents=True, exist_ok=True)
    log = open(home / "server.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield {"url": url, "home": home, "env": env, "proc": proc}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The app served on 127.0.0.1 with a private home folder, shared by the session's tests."""
    with serve(tmp_path_factory.mktemp("e2e-home")) as info:
        yield info


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium from Debian (no browser download)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} missing (scripts/system-deps.sh installs it)")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh browser context and page (its own session and cookies)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def settle(page) -> None:
    """Wait until no script run is in progress and no element is still a loading skeleton.

    A rerun starts a moment after a click, so right after one this can pass too early: use
    :meth:`Reruns.after` to wait for the run a click causes.
    """
    from playwright.sync_api import expect

    expect(page.locator("[data-testid=stApp][data-test-script-state=running]")).to_have_count(0)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)


FULL_RUN = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)  # not fragments, not st.rerun


class Reruns:
    """Script runs of the page's current session, read from the websocket (Streamlit's ForwardMsg)."""

    def __init__(self, page) -> None:
        self.page, self.sockets, self.finished, self.running = page, 0, 0, False
        page.on("websocket", self._socket)

    def _socket(self, ws) -> None:
        self.sockets += 1
        seq, self.running = self.sockets, False
        ws.on("framereceived", lambda payload: self._frame(seq, payload))

    def _frame(self, seq: int, payload: bytes | str) -> None:
        if seq != self.sockets or isinstance(payload, str):  # a page navigated away from, or not a ForwardMsg
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # noqa: BLE001 - anything else on the socket is not ours to read
            return
        kind = msg.WhichOneof("type")
        if kind == "session_status_changed":
            self.running = msg.session_status_changed.script_is_running
        elif kind == "script_finished" and msg.script_finished in FULL_RUN:
            self.finished += 1

    def after(self, action: Callable[[], object], *, new_page: bool = False, timeout_s: float = 120) -> None:
        """Do ``action`` and wait until the full script run it caused has finished (and nothing is loading)."""
        finished, sockets = self.finished, self.sockets
        action()
        self._until(lambda: not (self.running or self.finished <= finished or (new_page and self.sockets <= sockets)),
                    timeout_s, "the app to finish the rerun")
        settle(self.page)

    def idle(self, timeout_s: float = 120) -> None:
        """Wait until the script run in progress (if any) has finished."""
        self._until(lambda: not self.running, timeout_s, "the app to finish its script run")
        settle(self.page)

    def _until(self, check: Callable[[], bool], timeout_s: float, what: str) -> None:
        # Playwright's own wait (not time.sleep) lets it deliver the websocket events meanwhile.
        wait_until(check, timeout_s, what, every=0.05, sleep=lambda s: self.page.wait_for_timeout(s * 1000))

    def goto(self, server: dict, path: str, project_id: str, extra: str = "") -> None:
        """Open a page of the app in Japanese on the project and wait until it has been drawn."""
        url = f"{server['url']}/{path}?lang=ja&project={project_id}{extra}"
        self.after(lambda: self.page.goto(url), new_page=True)


def shot(page, name: str) -> Path:
    """Save a screenshot for the README's user guide, once the page has settled."""
    settle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
