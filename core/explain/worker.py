"""Background explanations: ``python -m core.explain.worker RUN_ID MODEL`` (its own process).

Computes the SHAP values of every test row and writes the cache files; its state goes to
``shap_<model>.status.json`` (the page polls it). Database and artefact folder come from
``DATABASE_URL`` and ``ML_STUDIO_ARTEFACTS``, as for the training worker.
"""

from __future__ import annotations

import logging
import os
import sys

from core.db import Store
from core.errors import UserError
from core.explain import service
from core.jobs import worker_store
from core.models import utcnow
from core.store import runs

log = logging.getLogger("core.explain.worker")


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or not args[0].isdigit():
        print("usage: python -m core.explain.worker RUN_ID MODEL", file=sys.stderr)
        return 2
    with worker_store() as store:
        return _explain(store, int(args[0]), args[1])


def _explain(store: Store, run_id: int, model: str) -> int:
    """Compute and cache the explanations; the outcome goes to the status file the page polls."""
    run = runs.get_run(store, run_id)
    if run is None:
        return 1
    started = utcnow().isoformat()
    try:
        explanation = service.explain_run(store, run_id, model, use_cache=False)
        service.write_status(store, run, model, state=service.DONE, pid=os.getpid(), started_at=started,
                             seconds=explanation.seconds)
        return 0
    except UserError as exc:
        service.write_status(store, run, model, state=service.FAILED, pid=os.getpid(), started_at=started,
                             error=exc.key, params=exc.params)
    except Exception as exc:  # noqa: BLE001 - the page shows why the job failed
        log.exception("explanation failed")
        service.write_status(store, run, model, state=service.FAILED, pid=os.getpid(), started_at=started,
                             error="explain.error.unexpected", params={"detail": f"{type(exc).__name__}: {exc}"[:300]})
    return 1

if __name__ == "__main__":
    sys.exit(main())
