"""The batch scoring worker: ``python -m core.predict.worker BATCH_ID`` (its own process).

Started by ``score_batch`` for large files. It scores the stored input in chunks, committing
each chunk (the batch row's progress is the number of stored predictions) and ends the batch
as ``done`` or ``failed`` with a message key. ``refresh_batch`` marks a batch whose worker
died as failed, so a page never waits forever. The database URL and the artefact folder come
from ``DATABASE_URL`` and ``ML_STUDIO_ARTEFACTS``, as for the training worker.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from core.db import Store
from core.jobs import worker_store
from core.errors import UserError
from core.models import utcnow
from core.store import predictions as store_p
from core.store.paths import resolve

ROOT = Path(__file__).resolve().parents[2]
LOG_NAME = "worker.log"
ORPHAN_AFTER_S = 300.0  # a queued batch whose worker never started (the server stopped meanwhile)
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def _log_relpath(project_id: int, batch_id: int) -> str:
    return f"projects/{int(project_id)}/batches/{int(batch_id)}/{LOG_NAME}"


def spawn(store: Store, batch_id: int) -> int:
    """Start the worker for a queued batch in a new session; returns its pid."""
    batch = store_p.require_batch(store, batch_id)
    env = {**os.environ, "DATABASE_URL": store.engine.url.render_as_string(hide_password=False),
           "ML_STUDIO_ARTEFACTS": str(store.artefacts), "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    relpath = _log_relpath(batch.project_id, batch.id)
    log_path = resolve(store, relpath)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with log_path.open("ab") as log_file:
            proc = subprocess.Popen([sys.executable, "-m", "core.predict.worker", str(batch_id)], cwd=ROOT, env=env,
                                    stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
    except OSError as exc:
        error = {"key": "predict.error.storage", "params": {"detail": exc.strerror or str(exc)}}
        store_p.update_batch(store, batch_id, status=store_p.FAILED, source={"job": {"error": error}})
        raise UserError("predict.error.storage", detail=exc.strerror or str(exc)) from exc
    _CHILDREN[batch_id] = proc
    store_p.update_batch(store, batch_id, source={"job": {"pid": proc.pid, "log_path": relpath,
                                                          "started_at": utcnow().isoformat()}})
    return proc.pid


def _alive(pid: int | None, batch_id: int) -> bool:
    """Whether ``pid`` is still this batch's worker."""
    import psutil

    for key, proc in list(_CHILDREN.items()):
        if proc.poll() is not None:
            del _CHILDREN[key]
    if not pid:
        return False
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        cmdline = proc.cmdline()
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True
    return "core.predict.worker" in " ".join(cmdline) and str(batch_id) in cmdline


def refresh_batch(store: Store, batch_id: int) -> store_p.BatchInfo | None:
    """The batch, marked failed first when its worker process is gone (or never started) while active."""
    batch = store_p.get_batch(store, batch_id)
    if batch is None or batch.status not in store_p.ACTIVE:
        return batch
    job = batch.source.get("job") or {}
    orphan = not job.get("pid") and (utcnow() - batch.created_at).total_seconds() > ORPHAN_AFTER_S
    if orphan or (job.get("pid") and not _alive(job["pid"], batch_id)):
        current = store_p.get_batch(store, batch_id)
        if current is not None and current.status in store_p.ACTIVE:
            error = {"key": "predict.error.worker_died", "params": {"done": current.n_done, "rows": current.n_rows}}
            return store_p.update_batch(store, batch_id, status=store_p.FAILED, source={"job": {**job, "error": error}})
    return store_p.get_batch(store, batch_id)


def wait_for_batch(store: Store, batch_id: int, timeout_s: float = 3600.0, poll_s: float = 0.5) -> store_p.BatchInfo:
    """Block until a batch is done or failed (for scripts and tests)."""
    import time

    deadline = time.monotonic() + timeout_s
    while True:
        batch = refresh_batch(store, batch_id)
        if batch is None:
            raise UserError("predict.error.batch_missing", id=batch_id)
        if batch.status not in store_p.ACTIVE or time.monotonic() > deadline:
            return batch
        time.sleep(poll_s)


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m core.predict.worker BATCH_ID``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not args[0].isdigit():
        print("usage: python -m core.predict.worker BATCH_ID", file=sys.stderr)
        return 2
    from core.predict.scoring import run_batch

    with worker_store() as store:
        status = run_batch(store, int(args[0]))
    logging.getLogger(__name__).info("batch %s ended: %s", args[0], status)
    return 0 if status == store_p.DONE else 1


if __name__ == "__main__":
    sys.exit(main())
