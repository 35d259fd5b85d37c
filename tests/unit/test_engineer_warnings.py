"""Issue 13, item 5: leakage suspects, ID-like columns and dates reach someone running ``quickstart``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.analyze import analyze
from core.analyze.warnings import engineer_warnings, split_entries
from core.predict.quickstart import _prepare
from core.store import projects


def leaky_churn(n: int = 400) -> pd.DataFrame:
    """Churn rows with a customer number, a signup date and a column written after the customer left."""
    rng = np.random.default_rng(5)
    churn = rng.random(n) < 0.3
    return pd.DataFrame({
        "Customer No": np.arange(10_000, 10_000 + n),
        "Signed": pd.date_range("2022-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
        "Day Mins": rng.normal(180, 50, n).round(1),
        "CustServ Calls": rng.poisson(1.5, n),
        "Retention Offer Sent": np.where(churn, "yes", "no"),  # recorded after the decision: a leak
        "Churn": np.where(churn, "yes", "no"),
    })


def test_every_warning_names_its_columns_the_most_serious_first():
    found = engineer_warnings(analyze(leaky_churn(), "Churn"))
    checks = [w["check"] for w in found]
    assert checks[:3] == ["leakage", "id_like", "time_split"]
    assert found[0]["columns"] == ["Retention Offer Sent"] and "Retention Offer Sent" in found[0]["message"]
    assert found[1]["columns"] == ["Customer No"] and found[2]["columns"] == ["Signed"]
    assert all(w["verdict"] != "ok" for w in found)
    assert "{" not in " ".join(w["message"] for w in engineer_warnings(analyze(leaky_churn(), "Churn"), lang="ja"))


def test_split_warnings_read_like_findings():
    (entry,) = split_entries([{"key": "preprocess.warning.random_with_dates", "params": {"column": "Signed"}}])
    assert entry["check"] == "split" and entry["columns"] == ["Signed"] and "Signed" in entry["message"]


def test_quickstart_says_every_warning_and_returns_them(sqlite_store):
    said: list[str] = []
    df = leaky_churn()
    project_id, warnings = _prepare(sqlite_store, df, {"filename": "leaky.csv", "kind": "csv"}, "Leaky", "Churn",
                                    "binary", "yes", said.append)
    lines = [s for s in said if s.startswith("warning: ")]
    assert len(lines) == len(warnings) >= 3
    assert any("Retention Offer Sent" in s for s in lines) and any("Customer No" in s for s in lines)
    assert {w["check"] for w in warnings} >= {"leakage", "id_like", "time_split"}
    assert projects.get_project(sqlite_store, project_id) is not None
