"""The what-if row's SHAP explanation: core.explain's engine on the model in use, cached per row.

The Test step explains the locked test rows of a run (``core.explain.service``); a what-if
row is new, so it is explained here with the same engine against a fixed sample of the
model's training rows (never test rows), prepared by the model's own recipe.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
import streamlit as st

from core.explain.engine import explain_predictor
from core.explain.summary import get_row_df
from core.predict.model import load_model, resolve_model
from core.predict.reference import training_rows
from core.predict.scoring import features_for
from ui.context import get_store

log = logging.getLogger(__name__)
BACKGROUND_ROWS = 100
TOP = 10


@st.cache_data(max_entries=4, show_spinner=False)
def _background(db: str, project_id: int, model_id: int) -> pd.DataFrame:
    """A fixed sample of the model's training rows, as the predictor sees them."""
    store = get_store()
    model = load_model(store, resolve_model(store, project_id, model_id))
    applied = model.recipe.apply(training_rows(store, model))
    features = applied[[c for c in model.features if c in applied.columns]]
    return features.sample(n=min(BACKGROUND_ROWS, len(features)), random_state=0)


@st.cache_data(max_entries=64, show_spinner=False)
def explain_row(db: str, project_id: int, model_id: int, row: pd.DataFrame, language: str) -> dict[str, Any]:
    """Contributions of each input to one row's prediction (``table``, ``base``, ``prediction``, ``output``…)."""
    store = get_store()
    model = load_model(store, resolve_model(store, project_id, model_id))
    X = features_for(model, row.reset_index(drop=True))
    predictor, name = model.predictor(), model.info.model_name
    label = None
    if model.problem_type == "multiclass":  # explain the class the model predicts for this row
        predicted = str(predictor.predict(X, model=name).iloc[0])
        label = next((c for c in predictor.class_labels if str(c) == predicted), predictor.class_labels[0])
    expl = explain_predictor(predictor, name, X, _background(db, project_id, model_id), class_label=label)
    return {"table": get_row_df(expl, X, X.index[0], top=TOP, lang=language), "base": float(expl.base),
            "prediction": float(expl.prediction.iloc[0]), "output": expl.output, "method": expl.method,
            "class_label": expl.class_label}


def try_explain(db: str, project_id: int, model_id: int, row: pd.DataFrame, language: str) -> dict[str, Any] | None:
    """The explanation, or None when the engine cannot explain this model (the caller shows reasons)."""
    try:
        return explain_row(db, project_id, model_id, row, language)
    except Exception:  # noqa: BLE001 - any failure falls back to the labelled quick reasons
        log.exception("what-if explanation failed for model %s", model_id)
        return None
