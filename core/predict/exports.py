"""Downloads of a batch: its original columns plus prediction, probability, decision and reasons.

Text cells (and column names) starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return are prefixed with a single quote, as the OWASP guidance on CSV injection advises, so a
spreadsheet never runs them as formulas. Numeric cells are left untouched.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd

from core.db import Store
from core.errors import UserError
from core.predict.reasons import reasons_text
from core.predict.scoring import load_input
from core.store import predictions as store_p

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_ROWS = 1_048_575
OUTPUT_COLUMNS = ["prediction", "probability", "decision", "reasons", "reasons_method", "model_version"]


def neutralise(value: Any) -> Any:
    """A text value that a spreadsheet could run as a formula, made inert with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell and column name neutralised (numbers untouched)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def _output_name(name: str, taken: set[str]) -> str:
    """``prediction`` unless the input already has such a column (then ``prediction_1``…)."""
    candidate, n = name, 1
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    return candidate


def get_batch_df(store: Store, batch_id: int, *, with_inputs: bool = True, lang: str = "en") -> pd.DataFrame:
    """The batch as a table: input columns (if kept) then the model's outputs, in row order.

    Column names stay English (files feed other systems); the reasons are written in ``lang``.
    """
    batch = store_p.require_batch(store, batch_id)
    preds = store_p.load_predictions_df(store, batch_id)
    if preds.empty and batch.status != store_p.DONE:
        raise UserError("predict.error.batch_not_done", id=batch_id, status=batch.status)
    method = (batch.source.get("reasons") or {}).get("method") or ""
    probability = pd.to_numeric(preds["probability"], errors="coerce")
    outputs = pd.DataFrame({
        "prediction": preds["prediction"], "probability": probability, "decision": preds["decision"],
        "reasons": [reasons_text(r, lang) for r in preds["reasons"]],
        "reasons_method": [method if r else "" for r in preds["reasons"]],
        "model_version": preds["model_version"]})
    if (batch.source.get("model") or {}).get("problem_type") == "regression":
        outputs["prediction"] = pd.to_numeric(preds["prediction"], errors="coerce")  # numbers stay numbers
    outputs.index = preds["row_index"].to_numpy()
    if not with_inputs:
        return outputs.reset_index(drop=True)
    inputs = load_input(store, batch)
    outputs = outputs.reindex(range(len(inputs)))
    taken = {str(c) for c in inputs.columns}
    renamed = {c: _output_name(c, taken) for c in outputs.columns}
    return pd.concat([inputs.reset_index(drop=True), outputs.rename(columns=renamed).reset_index(drop=True)], axis=1)


def export_csv(store: Store, batch_id: int, lang: str = "en") -> bytes:
    """The batch as CSV (UTF-8 with BOM so spreadsheets read non-ASCII text), formulas neutralised."""
    return neutralise_frame(get_batch_df(store, batch_id, lang=lang)).to_csv(index=False).encode("utf-8-sig")


def export_excel(store: Store, batch_id: int, lang: str = "en") -> bytes:
    """The batch as an Excel workbook, formulas neutralised."""
    df = get_batch_df(store, batch_id, lang=lang)
    if len(df) > EXCEL_MAX_ROWS:
        raise UserError("predict.error.too_many_rows_for_excel", rows=len(df), limit=EXCEL_MAX_ROWS)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise_frame(df).to_excel(writer, index=False, sheet_name="predictions")
    return buffer.getvalue()


def write_export(store: Store, batch_id: int, path: Path, lang: str = "en") -> Path:
    """Write the batch to ``path``: Excel for ``.xlsx``, CSV otherwise."""
    excel = path.suffix.lower() in (".xlsx", ".xlsm")
    data = export_excel(store, batch_id, lang) if excel else export_csv(store, batch_id, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
