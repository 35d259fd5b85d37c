"""The training worker: ``python -m core.train.worker RUN_ID`` (a separate process, never a fork).

It reads the run row, applies the stored recipe to the training rows of the stored split (the
test rows never reach AutoGluon), fits a ``TabularPredictor`` into the run folder, and writes
status, progress, ETA, heartbeat and the leaderboard to the row as it goes. The database URL
and the artefact folder come from ``DATABASE_URL`` and ``ML_STUDIO_ARTEFACTS``.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from core.db import Store
from core.jobs import worker_store
from core.errors import UserError
from core.store import runs
from core.train.paths import MODEL_NAME, log_relpath, read_log_tail, run_dir

log = logging.getLogger("core.train.worker")
HEARTBEAT_S = 2.0
CANCEL_GRACE_S = 10.0
MIN_FREE_BYTES = 200 * 1024 * 1024
_STORAGE_ERRNOS = {errno.ENOSPC, errno.EACCES, errno.EROFS, errno.EPERM, errno.EDQUOT, errno.ENOTDIR, errno.EEXIST}
_TORCH_LINE = re.compile(r"Pytorch Version|CUDA Version|Failed to import torch|pip install -U torch")


class _NoTorchNoise(logging.Filter):
    """Drop AutoGluon's 'cannot import torch' probes: no torch model is ever used here."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "torch" not in message.lower():
            return True
        lines = [line for line in message.splitlines() if not _TORCH_LINE.search(line)]
        record.msg, record.args = "\n".join(lines), None
        return bool(lines)


def quiet_torch_probes() -> None:
    """Skip AutoGluon's torch GPU probe when torch is absent, and filter its log lines."""
    import importlib.util

    from autogluon.common.utils.resource_utils import ResourceManager

    if importlib.util.find_spec("torch") is None:
        ResourceManager.get_gpu_count_torch = staticmethod(lambda cuda_only=False: 0)
    for logger in (logging.getLogger(), logging.getLogger("autogluon")):
        for handler in logger.handlers:
            handler.addFilter(_NoTorchNoise())


class Heartbeat(threading.Thread):
    """Every ~2 s: heartbeat, progress and ETA to the row; reads the cancel flag; enforces the grace."""

    def __init__(self, reporter: Any, on_overdue_cancel: Any, interval: float = HEARTBEAT_S) -> None:
        super().__init__(name="heartbeat", daemon=True)
        self.reporter, self.on_overdue_cancel, self.interval = reporter, on_overdue_cancel, interval
        self.stopped = threading.Event()
        self.cancel_seen: float | None = None

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                self.reporter.write()
            except Exception as exc:  # noqa: BLE001 - a busy database must not kill training
                log.warning("heartbeat failed: %s", exc)
                continue
            if self.reporter.cancel_requested:
                self.cancel_seen = self.cancel_seen or time.monotonic()
                if time.monotonic() - self.cancel_seen > CANCEL_GRACE_S:
                    self.on_overdue_cancel()


def storage_error(exc: BaseException) -> OSError | None:
    """The disk-full or permission error behind ``exc``, if any."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and (exc.errno in _STORAGE_ERRNOS or isinstance(exc, PermissionError)):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def prepare_model_dir(folder: Path) -> Path:
    """Check the run folder is writable with some free space and ``folder`` is free (UserError if not)."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        probe = folder.parent / ".write-test"
        probe.write_bytes(b"ok")
        probe.unlink()
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
    except OSError as exc:
        raise UserError("train.error.storage", path=str(folder), detail=exc.strerror or str(exc)) from exc
    free = shutil.disk_usage(folder.parent).free
    if free < MIN_FREE_BYTES:
        raise UserError("train.error.disk_full", path=str(folder), free_mb=round(free / 2**20))
    return folder


class _Stop:
    """Ends a run whose cancel was not honoured within the grace period (from the heartbeat thread)."""

    def __init__(self, store: Store, run: runs.RunInfo) -> None:
        self.store, self.run = store, run

    def __call__(self) -> None:
        log.warning("Cancel not honoured within %.0f s: stopping the worker.", CANCEL_GRACE_S)
        logging.shutdown()
        runs.fail_run(self.store, self.run.id, "train.status.cancel_forced", status=runs.CANCELLED,
                      log_tail=read_log_tail(self.store, self.run.log_path))
        if os.getpgrp() == os.getpid():  # our own session: take any child processes along
            os.killpg(os.getpgrp(), signal.SIGKILL)
        os._exit(3)


def execute(store: Store, run_id: int) -> str | None:
    """Run one training job to its end; returns the final status. Never raises for user errors."""
    run = runs.get_run(store, run_id)
    if run is None:
        log.error("run %s does not exist", run_id)
        return None
    status = runs.mark_started(store, run_id, pid=os.getpid(), log_path=log_relpath(run.project_id, run.id))
    if status == runs.CANCELLING:
        return runs.fail_run(store, run_id, "train.status.cancelled", status=runs.CANCELLED)
    if status not in runs.ACTIVE:
        return status
    from core.train.reporter import Reporter

    run = runs.get_run(store, run_id)
    reporter = Reporter(store, run_id, (run.record.get("fit_arguments") or {}).get("time_limit"))
    beat = Heartbeat(reporter, _Stop(store, run))
    beat.start()
    try:
        from core.train.fitting import fit_run

        result = fit_run(store, run, reporter)
        return runs.finish_run(store, run_id, **result)
    except BaseException as exc:  # noqa: BLE001 - every failure ends as a readable status
        return _fail(store, run, exc)
    finally:
        beat.stopped.set()


def _fail(store: Store, run: runs.RunInfo, exc: BaseException) -> str | None:
    """Record why the run ended: a user error, a storage problem, a cancel, or anything else."""
    current = runs.get_run(store, run.id)
    if isinstance(exc, UserError):
        key, params = exc.key, exc.params
        log.error("%s", exc)
    elif storage_error(exc) is not None:
        err = storage_error(exc)
        key, params = "train.error.storage", {"path": err.filename or "", "detail": err.strerror or str(err)}
        log.exception("storage error")
    elif current is not None and current.status == runs.CANCELLING:
        key, params = "train.status.cancelled", {}
    elif "No space left on device" in read_log_tail(store, run.log_path):  # AutoGluon logged it per model
        key, params = "train.error.storage", {"path": str(model_dir(store, run)), "detail": "No space left on device"}
    else:
        key, params = "train.error.unexpected", {"detail": f"{type(exc).__name__}: {exc}"[:500]}
        log.exception("training failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    cancelled = current is not None and current.status == runs.CANCELLING
    status = runs.fail_run(store, run.id, key, params, log_tail=read_log_tail(store, run.log_path),
                           status=runs.CANCELLED if cancelled else runs.FAILED)
    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
        raise exc
    return status


def model_dir(store: Store, run: runs.RunInfo) -> Path:
    """The AutoGluon predictor folder of a run."""
    return run_dir(store, run.project_id, run.id) / MODEL_NAME


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m core.train.worker RUN_ID``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not args[0].isdigit():
        print("usage: python -m core.train.worker RUN_ID", file=sys.stderr)
        return 2
    with worker_store() as store:
        status = execute(store, int(args[0]))
    log.info("run %s ended: %s", args[0], status)
    return 0 if status in (runs.SUCCEEDED, runs.CANCELLED) else 1


if __name__ == "__main__":
    sys.exit(main())
