"""Feedback on predictions: an operator's correct/wrong mark, or actual outcomes matched by ID.

What is judged is what the business acted on: the decision at the batch's threshold (binary),
else the prediction. A prediction may get feedback more than once; the latest counts. For
classification the true value is matched to a known class leniently (``true`` finds
``True.``); for regression it must be a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.db import Store
from core.errors import UserError
from core.predict.drift import as_categories
from core.predict.scoring import load_input
from core.store import predictions as store_p

MAX_LISTED = 50


@dataclass(frozen=True)
class OutcomeMatch:
    """What matching an outcomes file did: matched rows and what could not be matched."""

    batch_id: int
    id_column: str
    matched: int
    unmatched_ids: list[str] = field(default_factory=list)
    n_unmatched: int = 0
    duplicate_ids: list[str] = field(default_factory=list)
    missing_outcomes: int = 0
    rows_without_outcome: int = 0
    unknown_labels: list[str] = field(default_factory=list)


def normalised_label(value: Any) -> str:
    """A class label normalised for matching: ``" True. "`` → ``"true"``, ``1.0`` → ``"1"``."""
    text = str(value).strip().lower().rstrip(".").strip()
    return {"1.0": "1", "0.0": "0"}.get(text, text)


def match_label(value: Any, classes: list[str]) -> tuple[str, bool]:
    """(class label, known) for a true value given as text, number or boolean."""
    text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()
    if text in classes:
        return text, True
    found = [c for c in classes if normalised_label(c) == normalised_label(text)]
    return (found[0], True) if len(found) == 1 else (text, False)


def _judge(pred: pd.Series, true_value: Any, correct: bool | None, kind: str,
           classes: list[str]) -> tuple[bool | None, str]:
    """(correct, true value as stored) for one prediction row."""
    acted = pred["decision"] or pred["prediction"]
    if kind == "regression":
        if true_value is None or str(true_value).strip() == "":
            raise UserError("predict.feedback.error.need_number")
        number = pd.to_numeric(pd.Series([str(true_value).replace(",", "")]), errors="coerce").iloc[0]
        if pd.isna(number):
            raise UserError("predict.feedback.error.need_number")
        return correct, format(float(number), ".10g")
    if true_value is not None and str(true_value).strip() != "":
        label, _known = match_label(true_value, classes)
        derived = label == acted
        if correct is not None and bool(correct) != derived:
            raise UserError("predict.feedback.error.contradiction", value=label, acted=acted)
        return derived, label
    if correct is None:
        raise UserError("predict.feedback.error.empty")
    if correct:
        return True, acted
    others = [c for c in classes if c != acted]
    return False, others[0] if len(others) == 1 else ""


def _classes(store: Store, batch: store_p.BatchInfo) -> tuple[str, list[str]]:
    from core.store import model_versions as versions

    info = versions.get_model(store, batch.model_id)
    kind = (batch.source.get("model") or {}).get("problem_type") or \
        (info.card["target"]["problem_type"] if info else "")
    return kind, list(info.card["target"].get("classes") or []) if info else []


def add_feedback(store: Store, batch_id: int, row_index: int, *, correct: bool | None = None,
                 true_value: Any = None, given_by: str = "", source: str = "operator") -> dict[str, Any]:
    """Mark one prediction correct or wrong (and/or give the true value); returns what was stored."""
    batch = store_p.require_batch(store, batch_id)
    preds = store_p.load_predictions_df(store, batch_id, [row_index])
    if preds.empty:
        raise UserError("predict.feedback.error.no_row", row=row_index, id=batch_id)
    kind, classes = _classes(store, batch)
    pred = preds.iloc[0]
    ok, value = _judge(pred, true_value, correct, kind, classes)
    row = {"prediction_id": int(pred["id"]), "correct": ok, "true_value": value[:300], "source": source[:20],
           "given_by": given_by[:100]}
    store_p.add_feedback_rows(store, batch.project_id, batch_id, [row])
    return row


def _outcome_table(outcomes: pd.DataFrame, id_column: str, outcome_column: str) -> tuple[pd.DataFrame, list[str], int]:
    """(id → outcome without duplicates, duplicate ids, outcomes left empty)."""
    for column in (id_column, outcome_column):
        if column not in outcomes.columns:
            raise UserError("predict.feedback.error.no_column", column=column)
    table = pd.DataFrame({"id": as_categories(outcomes[id_column]), "outcome": outcomes[outcome_column]})
    table = table[table["id"].notna()]
    empty = table["outcome"].isna() | (table["outcome"].astype(str).str.strip() == "")
    table = table[~empty]
    duplicates = table.loc[table["id"].duplicated(keep=False), "id"].unique().tolist()
    return table.drop_duplicates("id", keep="last"), [str(d) for d in duplicates], int(empty.sum())


def match_outcomes(store: Store, batch_id: int, outcomes: pd.DataFrame, *, id_column: str, outcome_column: str,
                   given_by: str = "") -> OutcomeMatch:
    """Store actual outcomes for a batch's rows, matched on ``id_column``; unmatched IDs are reported."""
    batch = store_p.require_batch(store, batch_id)
    inputs = load_input(store, batch)
    if id_column not in inputs.columns:
        raise UserError("predict.feedback.error.id_not_in_batch", column=id_column, id=batch_id)
    table, duplicates, empty = _outcome_table(outcomes, id_column, outcome_column)
    batch_ids = pd.DataFrame({"id": as_categories(inputs[id_column]), "row_index": np.arange(len(inputs))})
    merged = table.merge(batch_ids, on="id", how="left")
    unmatched = merged.loc[merged["row_index"].isna(), "id"].astype(str).tolist()
    merged = merged[merged["row_index"].notna()]
    kind, classes = _classes(store, batch)
    preds = store_p.load_predictions_df(store, batch_id).set_index("row_index")
    rows, unknown = [], set()
    for rec in merged.itertuples(index=False):
        index = int(rec.row_index)
        if index not in preds.index:
            continue
        if kind != "regression" and not match_label(rec.outcome, classes)[1]:
            unknown.add(str(rec.outcome))
        ok, value = _judge(preds.loc[index], rec.outcome, None, kind, classes)
        rows.append({"prediction_id": int(preds.loc[index, "id"]), "correct": ok, "true_value": value[:300],
                     "source": "outcomes", "given_by": given_by[:100]})
    store_p.add_feedback_rows(store, batch.project_id, batch_id, rows)
    return OutcomeMatch(batch_id, id_column, len(rows), unmatched[:MAX_LISTED], len(unmatched), duplicates[:MAX_LISTED],
                        empty, int(len(inputs) - merged["row_index"].nunique()), sorted(unknown)[:MAX_LISTED])


def get_feedback_df(store: Store, project_id: int, batch_id: int | None = None,
                    latest_only: bool = True) -> pd.DataFrame:
    """Feedback with its predictions; by default only the latest feedback per prediction."""
    df = store_p.feedback_df(store, project_id, batch_id)
    if latest_only and not df.empty:
        df = df.drop_duplicates("prediction_id", keep="last").reset_index(drop=True)
    return df
