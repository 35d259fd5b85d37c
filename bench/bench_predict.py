"""Batch scoring speed (Operate) against the issue's target.

* 100,000 rows (the 5,000-row churn sample repeated 20 times, numbers perturbed by ±2 %, fresh
  phone numbers) scored with a Quick-preset model: at least 20,000 rows/s without per-row
  reasons, the whole path included (column guard, input snapshot, recipe, prediction,
  probability, decision at the threshold, bulk insert of every row, drift against training);
* the same with the top-3 reasons per row: the rate is reported.

The baseline, run on the same rows in the same process, is ``predictor.predict`` alone on the
already-prepared feature frame: what AutoGluon costs before any of the product's own work.
The model is loaded (and its feature importance computed) once before timing, as a
long-running app or worker has it; that one-off cost is reported separately. Each measurement
is repeated and the best time kept.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

TARGET_ROWS_PER_S = 20_000
N_ROWS = 100_000
REPEATS = 2
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "telecom_churn.csv"


def perturbed_rows(n_rows: int = N_ROWS, seed: int = 0):
    """``n_rows`` churn-like rows without the target: the sample repeated, numbers jittered."""
    import numpy as np
    import pandas as pd

    base = pd.read_csv(SAMPLE).drop(columns=["Churn?"])
    reps = -(-n_rows // len(base))
    df = pd.concat([base] * reps, ignore_index=True).head(n_rows)
    rng = np.random.default_rng(seed)
    for col in df.select_dtypes("number").columns:
        if col == "Area Code":
            continue
        noisy = df[col] * rng.normal(1.0, 0.02, len(df))
        df[col] = noisy.round() if pd.api.types.is_integer_dtype(base[col]) else noisy.round(2)
    df["Phone"] = [f"{300 + i // 10_000:03d}-{i % 10_000:04d}" for i in range(len(df))]
    return df


def _train(store, root: Path) -> int:  # noqa: ANN001 - Store
    """A Quick-preset model on the full sample (about a minute); returns the project id."""
    import pandas as pd

    from core.preprocess import Recipe, TargetSpec, save_recipe_version
    from core.store import datasets, projects, runs
    from core.train import TrainSettings, start_training

    project = projects.create_project(store, "bench predict")
    datasets.add_dataset_version(store, project.id, pd.read_csv(SAMPLE), source={"kind": "bench"})
    recipe = Recipe(target=TargetSpec("Churn?", "binary", "True."))
    recipe.drop("Phone", "analyze.reason.id_like")
    recipe.type_overrides.append({"column": "Area Code", "to": "category"})
    save_recipe_version(store, project.id, recipe)
    run_id = start_training(store, project.id, TrainSettings(preset="quick"))
    while (run := runs.get_run(store, run_id)).status not in runs.FINAL:
        time.sleep(1)
    if run.status != runs.SUCCEEDED:
        raise RuntimeError(f"training failed: {run.error}")
    return project.id


def _timed(func):  # noqa: ANN001, ANN202
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def run() -> None:
    """Train once, then time the baseline and both scoring modes on 100,000 rows."""
    from core.db import open_store
    from core.predict import resolve_model, score_batch
    from core.predict.model import load_model
    from core.predict.scoring import features_for

    with tempfile.TemporaryDirectory(prefix="bench-predict-") as tmp:
        root = Path(tmp)
        store = open_store(f"sqlite:///{root / 'studio.db'}", artefacts=root / "artefacts")
        project_id, train_s = _timed(lambda: _train(store, root))
        rows = perturbed_rows()
        model = load_model(store, resolve_model(store, project_id))
        _, load_s = _timed(lambda: model.predictor())
        _, warm_s = _timed(lambda: score_batch(store, project_id, rows.head(500), reasons=True, background=False))
        features = features_for(model, rows)
        predictor, name = model.predictor(), model.info.model_name
        predictor.predict(features.head(1000), model=name)
        times: dict[str, list[float]] = {"base": [], "plain": [], "reasons": []}
        for _ in range(REPEATS):  # interleaved, best of each: a shared machine's bursts hit all three alike
            times["base"].append(_timed(lambda: predictor.predict(features, model=name))[1])
            times["plain"].append(_timed(lambda: score_batch(store, project_id, rows, reasons=False,
                                                             background=False))[1])
            times["reasons"].append(_timed(lambda: score_batch(store, project_id, rows, reasons=True,
                                                               background=False))[1])
        store.engine.dispose()
    base_s, plain_s, reasons_s = (min(times[k]) for k in ("base", "plain", "reasons"))
    n = len(rows)
    plain_rate, reasons_rate, base_rate = n / plain_s, n / reasons_s, n / base_s
    print(f"model: {name} (Quick preset, trained in {train_s:.0f} s); loaded in {load_s:.1f} s; "
          f"first scoring incl. feature importance for reasons {warm_s:.1f} s (once per model)")
    print(f"baseline predictor.predict on {n:,} prepared rows: {base_s:.2f} s = {base_rate:,.0f} rows/s")
    print(f"score_batch without reasons: {plain_s:.2f} s = {plain_rate:,.0f} rows/s "
          f"(target {TARGET_ROWS_PER_S:,} rows/s → {plain_rate / TARGET_ROWS_PER_S:.2f}×; "
          f"{plain_s / base_s:.2f}× the baseline time)")
    print(f"score_batch with top-3 reasons: {reasons_s:.2f} s = {reasons_rate:,.0f} rows/s "
          f"({reasons_s / base_s:.2f}× the baseline time, {reasons_s / plain_s:.2f}× without reasons)")


if __name__ == "__main__":
    run()
