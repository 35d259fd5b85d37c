"""Model versions as the Operate pages use them: promote a tested run, roll back, list.

Promoting makes a run's chosen model the project's production model with a version number,
who and when, and the Test step's verdict at that moment. A run whose test verdict is a No-Go
is refused unless ``force`` is given (the override is recorded in the note). Rolling back
returns to the highest version below the current one in one call, recorded with who, when
and why; with no earlier version it is a clear error and nothing changes.
"""

from __future__ import annotations

import pandas as pd

from core.db import Store
from core.errors import UserError
from core.messages import Message
from core.predict.model import register_run
from core.store import model_versions as versions
from core.store.model_versions import ModelInfo

NO_GO = ("no_go", "no-go", "nogo", "no go", "reject", "rejected")


def tested_verdict(store: Store, run_id: int) -> str:
    """The verdict of the run's stored Test decision ('' when it was never evaluated)."""
    from core.evaluate.record import current_decision

    state = current_decision(store, run_id)
    return state.verdict if state is not None else ""


def promote_run(store: Store, run_id: int, *, by: str, verdict: str | None = None, force: bool = False,
                note: str = "") -> ModelInfo:
    """Make a succeeded run's model the production model; returns its version."""
    by = (by or "").strip()
    if not by:
        raise UserError("predict.version.error.no_name")
    info = register_run(store, run_id)
    if verdict is None:
        from core.evaluate.record import ensure_decision

        verdict = ensure_decision(store, run_id, info.model_name, by=by, refresh_stale=True).verdict
    forced = verdict.strip().lower() in NO_GO
    if forced and not force:
        raise UserError("predict.version.error.no_go", run=run_id)
    return versions.promote(store, info.id, by=by, verdict=verdict or "untested", note=note, forced=forced)


def rollback(store: Store, project_id: int, *, by: str, reason: str = "") -> ModelInfo:
    """Return production to the previous version (UserError when there is none)."""
    by = (by or "").strip()
    if not by:
        raise UserError("predict.version.error.no_name")
    return versions.rollback(store, project_id, by=by, reason=reason)


def get_versions_df(store: Store, project_id: int) -> pd.DataFrame:
    """Promoted versions, newest first: version, run, model, production, who, when, verdict."""
    rows = [{"version": v.version_number, "run_id": v.run_id, "model": v.model_name, "production": v.is_production,
             "promoted_by": v.promoted_by, "promoted_at": v.promoted_at, "verdict": v.verdict, "model_id": v.id}
            for v in versions.list_models(store, project_id) if v.version_number is not None]
    return pd.DataFrame(rows, columns=["version", "run_id", "model", "production", "promoted_by", "promoted_at",
                                       "verdict", "model_id"])


_FORCED_NOTE = "promoted despite a No-Go verdict."
"""What versions before 0.3 wrote into the note of a forced promotion (read back as ``forced``)."""


def _note(event: dict) -> tuple[str, bool]:
    """(the person's own note, whether a No-Go verdict was overridden) of a history event."""
    note = str(event.get("reason") or event.get("note") or "")
    if note.startswith(_FORCED_NOTE):
        return note[len(_FORCED_NOTE):].strip(), True
    return note, bool(event.get("forced"))


def get_history_df(store: Store, project_id: int, lang: str = "en") -> pd.DataFrame:
    """Every promotion and rollback, oldest first: action, from, to, who, when, why (an override said in ``lang``)."""
    rows = []
    for e in versions.model_events(store, project_id):
        note, forced = _note(e)
        said = " ".join(p for p in (Message("predict.version.forced").text(lang) if forced else "", note) if p)
        rows.append({"action": e.get("action"), "from_version": e.get("from_version"),
                     "to_version": e.get("to_version"), "by": e.get("by"), "at": e.get("at"), "note": said,
                     "forced": forced})
    return pd.DataFrame(rows, columns=["action", "from_version", "to_version", "by", "at", "note", "forced"])
