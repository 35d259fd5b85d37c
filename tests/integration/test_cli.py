"""The command line as an engineer or a scheduler runs it: a subprocess, JSON on the last line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "telecom_churn.csv"


def cli(home: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """``python -m core.cli ARGS`` with a private ML_STUDIO_HOME (and its own SQLite database)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ML_STUDIO_HOME=str(home), PYTHONPATH=str(ROOT), OMP_WAIT_POLICY="PASSIVE")
    return subprocess.run([sys.executable, "-m", "core.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def last_json(stdout: str) -> dict:
    """The JSON object on the last line of stdout."""
    return json.loads(stdout.strip().splitlines()[-1])


def goal_file(folder: Path, lang: str = "en") -> Path:
    """The workshop's churn goal as the Business page exports it (JSON)."""
    from core.report.goal_sheet import goal_json
    from core.value import example_goal

    path = folder / f"goal-{lang}.json"
    path.write_text(goal_json(example_goal("telecom_churn", lang)), encoding="utf-8")
    return path


def project_names(home: Path) -> list[str]:
    """The projects in a home folder's database."""
    import sqlite3

    if not (home / "studio.db").exists():
        return []
    with sqlite3.connect(home / "studio.db") as conn:
        return [r[0] for r in conn.execute("SELECT name FROM projects")]


@pytest.fixture(scope="module")
def quickstarted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, Path]:
    """One quickstart on 300 churn rows with the churn goal and a 15 s budget: (home, result, data folder)."""
    folder = tmp_path_factory.mktemp("cli")
    data = folder / "churn300.csv"
    pd.read_csv(SAMPLE).head(300).to_csv(data, index=False)
    home = folder / "home"
    done = cli(home, "quickstart", "--data", str(data), "--target", "Churn?", "--time-limit", "15",
               "--project", "Churn CLI", "--goal", str(goal_file(folder)))
    assert done.returncode == 0, done.stderr[-3000:]
    return home, last_json(done.stdout), folder


def test_quickstart_trains_tests_and_reports(quickstarted: tuple[Path, dict, Path]):
    _home, result, _folder = quickstarted
    assert result["problem_type"] == "binary" and result["run_id"] >= 1 and result["project_id"] >= 1
    assert set(result["metrics"]) == {"accuracy", "f1", "roc_auc", "precision", "recall"}
    assert all(0.0 <= v <= 1.0 for v in result["metrics"].values())
    assert result["metrics"]["accuracy"] > 0.7  # the churn sample is easy; a broken pipeline is not
    report = Path(result["report_path"])
    assert report.is_file() and report.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert (Path(result["model_path"]) / "predictor.pkl").is_file()


def test_quickstart_with_a_goal_prints_the_verdict_in_money(quickstarted: tuple[Path, dict, Path]):
    _home, result, _folder = quickstarted
    decision = result["decision"]
    assert decision["verdict"] == result["verdict"] in ("go", "no_go", "incomplete") and decision["id"] >= 1
    assert decision["reasons"] and all(r["key"].startswith("evaluate.") and r["text"] for r in decision["reasons"])
    assert "evaluate." not in " ".join(r["text"] for r in decision["reasons"])
    costs = decision["costs"]
    assert set(costs["policies"]) == {"act_none", "act_all"} and costs["model"] >= 0
    assert costs["policies"]["act_all"]["test"] == pytest.approx(500.0)  # TP and FP both cost 500 yen
    assert costs["value_added"] == pytest.approx(costs["policies"][costs["best_policy"]]["test"] - costs["model"],
                                                 abs=1e-3)
    assert decision["rule"]["kind"] == "threshold" and 0 <= decision["rule"]["threshold"] <= 1


@pytest.mark.parametrize("content, words", [
    ('{"format": "something-else", "statement": {}}', "not a business goal"),
    ("this is not json", "JSON"),
    ('{"format": "ml-enablement-studio.business-goal", "schema_version": 99, "statement": {}}', "newer"),
])
def test_a_bad_goal_file_is_one_line_exit_2_and_no_project(tmp_path: Path, content: str, words: str):
    data, goal = tmp_path / "small.csv", tmp_path / "goal.json"
    pd.read_csv(SAMPLE).head(60).to_csv(data, index=False)
    goal.write_text(content, encoding="utf-8")
    home = tmp_path / "home"
    done = cli(home, "quickstart", "--data", str(data), "--target", "Churn?", "--goal", str(goal))
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and done.stdout == "" and len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ") and words.lower() in lines[0].lower()
    assert project_names(home) == []


def test_a_goal_for_another_problem_type_is_refused_before_any_project(tmp_path: Path):
    import json

    data, goal = tmp_path / "small.csv", goal_file(tmp_path)
    pd.read_csv(SAMPLE).head(60).to_csv(data, index=False)
    document = json.loads(goal.read_text(encoding="utf-8"))
    document["preconditions"]["problem_type"] = "regression"
    goal.write_text(json.dumps(document), encoding="utf-8")
    done = cli(tmp_path / "home", "quickstart", "--data", str(data), "--target", "Churn?", "--goal", str(goal))
    assert done.returncode == 2 and "regression" in done.stderr and "binary" in done.stderr
    assert project_names(tmp_path / "home") == []


def test_predict_writes_predictions_for_new_rows(quickstarted: tuple[Path, dict, Path]):
    home, result, folder = quickstarted
    rows, out = folder / "new.csv", folder / "scored.csv"
    pd.read_csv(SAMPLE).iloc[1000:1005].drop(columns=["Churn?"]).to_csv(rows, index=False)
    done = cli(home, "predict", "--project", "Churn CLI", "--input", str(rows), "--output", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    summary = last_json(done.stdout)
    assert summary["rows"] == 5 and summary["run_id"] == result["run_id"] and summary["batch_id"] >= 1
    assert summary["decision"]["decision_id"] == result["decision"]["id"]  # the stored decision, not a new one
    assert summary["threshold"]["value"] == pytest.approx(result["decision"]["rule"]["threshold"])
    scored = pd.read_csv(out, encoding="utf-8-sig")
    assert len(scored) == 5 and scored["prediction"].isin(["True.", "False."]).all()
    assert scored["probability"].between(0, 1).all() and "State" in scored.columns
    page = folder / "report.html"
    done = cli(home, "report", "--project", "Churn CLI", "--output", str(page))
    assert done.returncode == 0, done.stderr[-3000:]
    reported = last_json(done.stdout)
    assert page.is_file() and reported["metrics"] == result["metrics"]
    assert reported["decision"]["id"] == result["decision"]["id"] and reported["verdict"] == result["verdict"]


def test_errors_are_one_line_on_stderr_with_a_non_zero_exit(tmp_path: Path):
    data = tmp_path / "small.csv"
    pd.read_csv(SAMPLE).head(50).to_csv(data, index=False)
    done = cli(tmp_path / "home", "quickstart", "--data", str(data), "--target", "No such column")
    assert done.returncode != 0 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "No such column" in lines[0]
    missing = cli(tmp_path / "home", "predict", "--project", "Nope", "--input", str(data), "--output", "x.csv")
    assert missing.returncode != 0
    assert missing.stderr.strip().splitlines() == ["error: No project is called “Nope”."]


def test_quickstart_warns_when_two_columns_add_up_to_the_target(tmp_path: Path):
    """Leakage the user must hear about: the target is the sum of two inputs."""
    import numpy as np

    rng = np.random.default_rng(0)
    n = 240
    df = pd.DataFrame({"base_fee": rng.uniform(1000, 5000, n).round(2), "usage_fee": rng.uniform(0, 3000, n).round(2),
                       "region": rng.choice(["north", "south", "east"], n), "tenure": rng.integers(1, 60, n)})
    df["total_bill"] = df["base_fee"] + df["usage_fee"]
    data = tmp_path / "bills.csv"
    df.to_csv(data, index=False)
    done = cli(tmp_path / "home", "quickstart", "--data", str(data), "--target", "total_bill", "--time-limit", "10")
    assert done.returncode == 0, done.stderr[-3000:]
    summary = last_json(done.stdout)
    warned = [w for w in summary["model_warnings"] if w["key"] != "evaluate_checks.suspicion.failed"]
    assert warned, summary["model_warnings"]
    named = {f for w in warned for f in w["features"]}
    assert {"base_fee", "usage_fee"} <= named
    lines = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert any("base_fee" in line and "usage_fee" in line for line in lines), done.stderr[-2000:]
