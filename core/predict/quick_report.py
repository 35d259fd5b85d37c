"""A minimal, self-contained HTML test report written by the command line.

Clearly marked as the command line's stand-in: when the Test step provides
``core.report.test_report.save_test_report``, ``write_report`` writes that full report instead
(and records it as the run's test report). This one shows the project, the model and its version, the test-set metrics, the decision
threshold and, when the business goal sets them, the acceptance criteria met or missed.
"""

from __future__ import annotations

import html
import logging
import shutil
from pathlib import Path
from typing import Any

from core.db import Store
from core.models import utcnow
from core.store import goals, projects
from core.store.model_versions import ModelInfo
from core.store.paths import project_dir, resolve
from core.value.acceptance import AcceptanceCriteria, check_acceptance

log = logging.getLogger(__name__)
STYLE = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}"
         ".note{background:#fff7e0;border:1px solid #e0c070;padding:.6rem}")


def _rows(pairs: list[tuple[str, Any]]) -> str:
    """Table rows of label/value pairs, escaped."""
    return "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape('—' if v is None else str(v))}</td></tr>"
                   for k, v in pairs)


def _acceptance(store: Store, project_id: int, metrics: dict[str, Any]) -> str:
    """The goal's metric criteria checked against the test metrics (empty when none are set)."""
    goal, _ = goals.load_goal(store, project_id)
    criteria = AcceptanceCriteria.from_dict(goal.get("acceptance"))
    results = [r for r in check_acceptance(criteria, {k: v for k, v in metrics.items() if v is not None})
               if r.kind.startswith("metric")]
    if not results:
        return "<p>No metric targets are set in the business goal.</p>"
    words = {True: "met", False: "missed", None: "not measured"}
    body = "".join(f"<tr><td>{html.escape(r.metric)}</td><td>{r.target}</td><td>{r.actual}</td>"
                   f"<td>{words[r.passed]}</td></tr>" for r in results)
    return f"<table><tr><th>metric</th><th>target</th><th>test set</th><th>result</th></tr>{body}</table>"


def render_report(store: Store, info: ModelInfo, result: dict[str, Any]) -> str:
    """The report's HTML."""
    project = projects.get_project(store, info.project_id)
    metrics = result.get("metrics", {})
    threshold = result.get("threshold") or {}
    facts = [("Project", project.name if project else info.project_id), ("Training run", info.run_id),
             ("Model", info.model_name), ("Production version", info.label if info.version_number else "not promoted"),
             ("Problem type", info.card["target"]["problem_type"]), ("Target column", info.card["target"]["column"]),
             ("Positive class", info.card["target"].get("positive_class")), ("Test rows", result.get("rows")),
             ("Decision threshold", f"{threshold.get('value')} ({threshold.get('source')})" if threshold else None),
             ("Test step verdict", result.get("verdict")), ("Metrics computed by", result.get("source")),
             ("Written", utcnow().strftime("%Y-%m-%d %H:%M UTC"))]
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Test report (minimal) — {html.escape(str(facts[0][1]))}</title>"
            f"<style>{STYLE}</style></head><body>"
            "<h1>Test report (minimal, command line)</h1>"
            "<p class='note'>Minimal report written by <code>python -m core.cli</code>: test-set metrics only. "
            "The Test step's full report (robustness, business value, sign-offs) replaces it.</p>"
            f"<h2>Model</h2><table>{_rows(facts)}</table>"
            f"<h2>Metrics on the locked test set</h2><table>{_rows(list(metrics.items()))}</table>"
            f"<h2>Acceptance criteria</h2>{_acceptance(store, info.project_id, metrics)}"
            "</body></html>")


def _full_report(store: Store, result: dict[str, Any], path: Path | None) -> Path | None:
    """The Test step's report (``core.report.test_report.save_test_report``), saved and copied to ``path``."""
    evaluation = result.get("evaluation")
    try:
        from core.report.test_report import save_test_report
    except ImportError:
        return None
    if evaluation is None:
        return None
    saved = resolve(store, save_test_report(store, evaluation).html_path)
    if path is None or path.resolve() == saved:
        return saved
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(saved, path)
    return path


def write_report(store: Store, info: ModelInfo, result: dict[str, Any], path: Path | None = None) -> Path:
    """Write the test report: the Test step's full report when available, else this minimal one.

    The full report is also recorded as the run's test report (Step 6); ``path`` None keeps it
    where the Test step saves it. The minimal report goes to ``path`` (default: the project's
    ``reports`` folder).
    """
    try:
        full = _full_report(store, result, path)
    except (AttributeError, TypeError) as exc:  # the Test step's API changed: fall back, say why
        log.warning("full test report unavailable (%s); writing the minimal one", exc)
        full = None
    if full is not None:
        return full
    path = path or project_dir(store, info.project_id) / "reports" / f"test_report_run{info.run_id}_minimal.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(store, info, result), encoding="utf-8")
    return path
