"""The command line's test report: the Test step's own HTML report, saved and optionally copied.

``write_report`` records the report as the run's test report (Step 6), exactly as the Test
page's "generate report" does, and copies it to the path the engineer asked for.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from core.db import Store
from core.report.test_report import save_test_report
from core.store.paths import resolve


def write_report(store: Store, result: dict[str, Any], path: Path | None = None) -> Path:
    """Save the Test step's report for ``result["evaluation"]``; return ``path`` (a copy) or where it was saved."""
    saved = resolve(store, save_test_report(store, result["evaluation"]).html_path)
    if path is None or path.resolve() == saved:
        return saved
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(saved, path)
    return path
