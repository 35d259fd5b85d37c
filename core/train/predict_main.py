"""The command-line part of the generated ``predict.py`` (copied into it verbatim).

Imports nothing from this repository: the generated script must run with only the project's
requirements (pandas, AutoGluon). ``apply_recipe`` and ``parse_dates`` come from the copy of
``core/preprocess/transform.py`` placed above this code in the generated file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd


def read_table(path: str, encoding: str) -> pd.DataFrame:
    """A CSV (or Parquet) file as a DataFrame."""
    if path.lower().endswith(".parquet"):
        return pd.read_parquet(path)
    return pd.read_csv(path, encoding=encoding)


def cast_inputs(df: pd.DataFrame, inputs: list[dict[str, Any]], parse: Any) -> pd.DataFrame:
    """Give each input column the kind it had in training (a CSV may read codes as numbers)."""
    out = df.copy()
    for spec in inputs:
        name, kind = spec["name"], spec["kind"]
        if kind in ("number", "integer"):
            out[name] = pd.to_numeric(out[name], errors="coerce")
        elif kind == "text":
            out[name] = out[name].map(lambda v: v if pd.isna(v) else str(v)).astype(object)
        elif kind == "date":
            out[name] = parse(out[name])
    return out


def load_card(script: Path, embedded: dict[str, Any]) -> dict[str, Any]:
    """The model card beside the script (it records later choices), else the embedded copy."""
    path = script.with_name("model_card.json")
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return embedded


def score(raw: pd.DataFrame, model_dir: str, model_name: str, card: dict[str, Any], recipe: dict[str, Any],
          apply: Any, parse: Any) -> pd.DataFrame:
    """Predictions (and probabilities) for every input row, in input order."""
    from autogluon.tabular import TabularPredictor

    features = apply(cast_inputs(raw, card["inputs"], parse), recipe, for_prediction=True)
    predictor = TabularPredictor.load(model_dir, verbosity=0)
    out = raw.copy()
    out["prediction"] = predictor.predict(features, model=model_name).to_numpy()
    if card["target"]["problem_type"] == "binary":
        proba = predictor.predict_proba(features, model=model_name)
        out["probability"] = proba[predictor.positive_class].to_numpy()
    elif card["target"]["problem_type"] == "multiclass":
        proba = predictor.predict_proba(features, model=model_name)
        for label in proba.columns:
            out[f"probability_{label}"] = proba[label].to_numpy()
    rule = card.get("decision") or {}
    if rule.get("model") == model_name:
        out["decision"] = decide(out, predictor, features, model_name, rule)
    return out


def decide(out: pd.DataFrame, predictor: Any, features: pd.DataFrame, model_name: str,
           rule: dict[str, Any]) -> list[Any]:
    """The Test step's decision for every row (the rule stored in the model card after Step 6)."""
    kind = rule.get("kind")
    if kind == "threshold":
        positive = str(predictor.positive_class)
        other = next(str(c) for c in predictor.class_labels if str(c) != positive)
        return [positive if p >= rule["threshold"] else other for p in out["probability"]]
    if kind == "expected_cost":
        proba = predictor.predict_proba(features, model=model_name)
        index = [rule["classes"].index(str(c)) for c in proba.columns]
        costs = [[rule["costs"][a][d] for d in index] for a in index]
        expected = proba.to_numpy() @ pd.DataFrame(costs).to_numpy()
        return [str(proba.columns[i]) for i in expected.argmin(axis=1)]
    if kind == "quantile_shift":
        return [float(v) + float(rule["shift"]) for v in out["prediction"]]
    return list(out["prediction"])


def main(argv: list[str] | None, recipe: dict[str, Any], embedded_card: dict[str, Any], apply: Any,
         parse: Any, script: str) -> int:
    """Score ``--input`` with the model in ``--model`` and write ``--output``."""
    here = Path(script).resolve()
    card = load_card(here, embedded_card)
    parser = argparse.ArgumentParser(description=f"Predict {card['target']['column']!r} with a trained model.")
    parser.add_argument("--model", default=str(here.with_name("model")), help="AutoGluon model folder")
    parser.add_argument("--input", required=True, help="CSV (or .parquet) file with the input columns")
    parser.add_argument("--output", required=True, help="CSV file to write: the input plus predictions")
    parser.add_argument("--model-name", default=card["model"]["chosen"], help="leaderboard model to use")
    parser.add_argument("--encoding", default="utf-8-sig", help="text encoding of the input CSV")
    args = parser.parse_args(argv)
    raw = read_table(args.input, args.encoding)
    missing = [spec["name"] for spec in card["inputs"] if spec["name"] not in raw.columns]
    if missing:
        print(f"error: the input lacks these columns: {', '.join(missing)}", file=sys.stderr)
        return 2
    out = score(raw, args.model, args.model_name, card, recipe, apply, parse)
    out.to_csv(args.output, index=False)
    print(f"Scored {len(out)} rows with {args.model_name}; wrote {args.output}")
    return 0
