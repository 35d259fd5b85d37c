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


@pytest.fixture(scope="module")
def quickstarted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, Path]:
    """One quickstart on 300 churn rows with a 15 s budget: (home, result, data folder)."""
    folder = tmp_path_factory.mktemp("cli")
    data = folder / "churn300.csv"
    pd.read_csv(SAMPLE).head(300).to_csv(data, index=False)
    home = folder / "home"
    done = cli(home, "quickstart", "--data", str(data), "--target", "Churn?", "--time-limit", "15",
               "--project", "Churn CLI")
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


def test_predict_writes_predictions_for_new_rows(quickstarted: tuple[Path, dict, Path]):
    home, result, folder = quickstarted
    rows, out = folder / "new.csv", folder / "scored.csv"
    pd.read_csv(SAMPLE).iloc[1000:1005].drop(columns=["Churn?"]).to_csv(rows, index=False)
    done = cli(home, "predict", "--project", "Churn CLI", "--input", str(rows), "--output", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    summary = last_json(done.stdout)
    assert summary["rows"] == 5 and summary["run_id"] == result["run_id"] and summary["batch_id"] >= 1
    scored = pd.read_csv(out, encoding="utf-8-sig")
    assert len(scored) == 5 and scored["prediction"].isin(["True.", "False."]).all()
    assert scored["probability"].between(0, 1).all() and "State" in scored.columns
    page = folder / "report.html"
    done = cli(home, "report", "--project", "Churn CLI", "--output", str(page))
    assert done.returncode == 0, done.stderr[-3000:]
    assert page.is_file() and last_json(done.stdout)["metrics"] == result["metrics"]


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
