"""Which validation a run uses and why: before it starts and after it ended."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.preprocess import Split
from core.store import runs
from core.train import TrainSettings
from core.train.validation import fit_plan
from ui.context import md, tr, tr_md


def _how(info: dict[str, Any]) -> str:
    """What the validation does, in words (from a plan or a run's record)."""
    kind = info.get("kind", "oof_random")
    if kind == "oof_random" and not info.get("folds"):
        kind = "oof_random_auto"
    share = info.get("share")
    return tr_md(f"train_ui.validation.{kind}", folds=info.get("folds") or "—", column=info.get("column") or "",
                 share="—" if share is None else f"{float(share):.0%}")


def _day(stamp: str | None) -> str:
    return "—" if not stamp else pd.Timestamp(stamp).strftime("%Y-%m-%d")


def _rows(info: dict[str, Any]) -> str:
    """How many rows validated, and what the validated models learned from."""
    rows, learned = f"{info.get('rows') or 0:,}", f"{info.get('train_rows') or 0:,}"
    if info.get("kind") == "holdout_latest":
        return tr("train_ui.validation.rows_latest", rows=rows, train_rows=learned, cutoff=_day(info.get("cutoff")),
                  learned_until=_day(info.get("learned_until")))
    if info.get("kind") in ("oof_groups", "holdout_groups"):
        return tr("train_ui.validation.rows_groups", rows=rows, groups=f"{info.get('groups') or 0:,}")
    return tr("train_ui.validation.rows", rows=rows, train_rows=learned)


def _show(info: dict[str, Any], done: bool) -> None:
    why = tr_md(info["reason_key"], column=info.get("column") or "") if info.get("reason_key") else ""
    lines = [f"**{tr('train_ui.validation.title')}**: {_how(info)}", why]
    if done and info.get("rows"):
        lines.append(md(_rows(info)))
    if done and info.get("refit_parents"):
        lines.append(tr_md("train_ui.validation.refit_note"))
    st.caption("  \n".join(line for line in lines if line))


def planned(split: Split, settings: TrainSettings) -> None:
    """The validation the next run will use for this split and these settings, and why."""
    _args, plan = fit_plan(settings, settings.metric, split, models=False)
    _show(plan.to_dict(), done=False)


def used(run: runs.RunInfo) -> None:
    """The validation a run used (from its record); nothing for runs recorded before it was kept."""
    info = run.record.get("validation")
    if info:
        _show(info, done=run.status == runs.SUCCEEDED)
