"""The experiment record of a run (what produced this model) and side-by-side comparison."""

from __future__ import annotations

import platform
import socket
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from core.db import Store
from core.store import runs
from core.train.leaderboard import shown_score
from core.train.settings import greater_is_better

LIBRARIES = ("autogluon.tabular", "autogluon.core", "pandas", "numpy", "scikit-learn", "lightgbm", "catboost",
             "xgboost")
_ROOT = Path(__file__).resolve().parents[2]


def library_versions() -> dict[str, str]:
    """Versions of Python and the libraries a model depends on ('' when not installed)."""
    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = ""
    return out


def code_version() -> str:
    """The app's git commit (with '+dirty' when files changed), or '' outside a checkout."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=_ROOT, capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=_ROOT,
                               capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return ""
    if head.returncode != 0:
        return ""
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def host() -> str:
    """This machine's name (a pid is only meaningful on the machine that started it)."""
    return socket.gethostname()


_COMPARED = ("status", "created_by", "created_at", "dataset_hash", "recipe_number", "split_strategy", "test_share",
             "preset", "metric", "explainable_only", "fast_predictions", "seed", "best_model", "score_val",
             "baseline_score", "models_trained", "fit_seconds", "elapsed_seconds", "autogluon", "pandas", "python")


def _scores(run: runs.RunInfo) -> tuple[float | None, float | None]:
    """(best model, best baseline) validation scores in the metric's own sign (RMSE positive)."""
    higher = greater_is_better(run.record.get("metric"))  # older runs stored True for RMSE too
    scored = [r for r in run.leaderboard if r.get("score_val") is not None]
    base = max((r["score_val"] for r in scored if r.get("is_baseline")), default=None)
    return shown_score(run.metrics.get("score_val"), higher), shown_score(base, higher)


def _row(run: runs.RunInfo) -> dict[str, Any]:
    """One run flattened for comparison (scores in the metric's own sign)."""
    rec, met, settings = run.record, run.metrics, run.settings
    score, baseline = _scores(run)
    versions = rec.get("versions") or {}
    split = rec.get("split") or {}
    return {
        "run": run.id, "status": run.status, "created_by": run.created_by, "created_at": run.created_at,
        "dataset_hash": (rec.get("dataset") or {}).get("content_hash", "")[:12],
        "recipe_number": (rec.get("recipe") or {}).get("number"), "split_strategy": split.get("strategy"),
        "test_share": split.get("test_share"), "preset": settings.get("preset"), "metric": rec.get("metric"),
        "explainable_only": settings.get("explainable_only"), "fast_predictions": settings.get("fast_predictions"),
        "seed": rec.get("seed"), "best_model": met.get("best_model"), "score_val": score,
        "baseline_score": baseline, "models_trained": len(run.leaderboard),
        "fit_seconds": (rec.get("timings") or {}).get("fit_s"), "elapsed_seconds": run.elapsed_s,
        "autogluon": versions.get("autogluon.tabular"), "pandas": versions.get("pandas"),
        "python": versions.get("python"),
    }


def compare_runs(store: Store, run_ids: list[int]) -> pd.DataFrame:
    """Runs side by side: one column per run, one row per recorded fact (settings, data, scores).

    ``score_val`` and ``baseline_score`` are the best model's and the best baseline's validation
    scores in the metric's own sign (errors such as RMSE positive, lower is better).
    """
    found = [r for r in (runs.get_run(store, i) for i in run_ids) if r is not None]
    if not found:
        return pd.DataFrame(index=list(_COMPARED))
    table = pd.DataFrame([_row(r) for r in found]).set_index("run")
    return table[list(_COMPARED)].T
