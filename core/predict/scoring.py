"""Scoring: a batch (stored in the database) or a few what-if rows (not stored).

``score_batch`` checks the file with the column guard, stores its input snapshot, then scores
it in chunks: inline for small files, in ``python -m core.predict.worker BATCH_ID`` for large
ones (the batch row shows status and progress meanwhile). Each chunk's predictions are
committed as one bulk insert, with the model version that made them.
"""

from __future__ import annotations

import json
import logging
import os
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd

from core.db import Store
from core.errors import UserError
from core.predict import reasons as rsn
from core.predict.drift import drift_report
from core.predict.guard import GuardReport, check_batch
from core.predict.model import DecisionRule, LoadedModel, decision_rule, load_model, resolve_model
from core.predict.reference import ensure_importance, ensure_reference
from core.preprocess.transform import convert_type, parse_dates
from core.store import model_versions as versions
from core.store import predictions as store_p
from core.store.paths import resolve
from core.value.decisions import ClassCosts, least_cost_decisions

log = logging.getLogger(__name__)
_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":")).encode
BACKGROUND_ROWS = 20_000
CHUNK_ROWS = 50_000


def cast_inputs(df: pd.DataFrame, inputs: list[dict[str, Any]]) -> pd.DataFrame:
    """Give each input column the kind it had in training (a file may read codes as numbers)."""
    out = df.copy()
    for spec in inputs:
        name, kind = spec["name"], spec.get("kind")
        if name not in out.columns:
            continue
        series = out[name]
        if kind in ("number", "integer"):
            if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
                out[name] = convert_type(series, "numeric")
        elif kind == "text" and not (series.dtype == object and series.map(type).eq(str).all()):
            out[name] = convert_type(series, "text")
        elif kind == "date":
            out[name] = parse_dates(series)
    return out


def features_for(model: LoadedModel, df: pd.DataFrame, *, cast: bool = True) -> pd.DataFrame:
    """The predictor's input frame: cast (unless done), recipe applied (prediction mode), features only."""
    applied = model.recipe.apply(cast_inputs(df, model.inputs) if cast else df, for_prediction=True)
    return applied[[c for c in model.features if c in applied.columns]]


def _text_labels(values: Any) -> np.ndarray:
    """Labels as text (predictions are stored as text)."""
    return np.asarray([str(v) for v in values], dtype=object)


def _decided_classes(proba: pd.DataFrame, rule: DecisionRule | None, labels: np.ndarray) -> np.ndarray:
    """Multiclass decisions: the least expected cost under the rule's class costs, else the most likely class."""
    if rule is None or rule.kind != "expected_cost":
        return labels
    costs = ClassCosts(rule.params["classes"], rule.params["costs"]).array(list(proba.columns))
    return _text_labels(np.asarray(proba.columns, dtype=object)[least_cost_decisions(proba.to_numpy(), costs)])


def score_frame(model: LoadedModel, df: pd.DataFrame, rule: DecisionRule | None,
                context: rsn.ReasonContext | None = None, *, cast: bool = True) -> pd.DataFrame:
    """Prediction, probability, decision (and reasons) for every row of a raw (or cast) input frame.

    The decision applies the rule: a threshold (binary), the least expected cost (multiclass
    with class costs), the prediction plus the cost-minimising shift (regression).
    """
    features = features_for(model, df, cast=cast)
    predictor, name = model.predictor(), model.info.model_name
    out = pd.DataFrame(index=df.index)
    if model.problem_type == "regression":
        values = predictor.predict(features, model=name).to_numpy(dtype=float)
        out["prediction"] = [format(v, ".10g") for v in values]
        out["probability"] = np.nan
        shift = rule.params.get("shift") if rule is not None and rule.kind == "quantile_shift" else None
        out["decision"] = "" if shift is None else [format(v + float(shift), ".10g") for v in values]
    else:
        proba = predictor.predict_proba(features, model=name)
        labels = _text_labels(predictor.predict_from_proba(proba))
        out["prediction"] = labels
        if model.problem_type == "binary":
            positive = str(predictor.positive_class)
            negative = next(str(c) for c in proba.columns if str(c) != positive)
            p = proba[predictor.positive_class].to_numpy(dtype=float)
            out["probability"] = p
            cut = rule.value if rule is not None else 0.5
            out["decision"] = np.where(p >= cut, positive, negative)
        else:
            out["probability"] = proba.max(axis=1).to_numpy(dtype=float)
            out["decision"] = _decided_classes(proba, rule, labels)
    out["reasons"] = rsn.top_reasons(features, context) if context is not None else [[] for _ in range(len(df))]
    return out


def reason_context(store: Store, model: LoadedModel) -> rsn.ReasonContext:
    """The reasons proxy's context for a model (profiles and importance, cached on the model)."""
    reference = ensure_reference(store, model)
    importance = ensure_importance(store, model, reference) if reference else None
    return rsn.make_context((reference or {}).get("features", {}), importance, model.features)


def score_rows(store: Store, project_id: int, df: pd.DataFrame, *, model_id: int | None = None,
               threshold: float | None = None, reasons: bool = True) -> pd.DataFrame:
    """Score a few rows without storing them (what-if); the guard's blocking issues raise."""
    model = load_model(store, resolve_model(store, project_id, model_id))
    reference = ensure_reference(store, model)
    check_batch(df, model.inputs, reference.get("inputs"), target=model.recipe.target.column).raise_if_blocked()
    chosen = decision_rule(store, project_id, model.info.id, threshold)
    context = reason_context(store, model) if reasons else None
    return score_frame(model, df, chosen, context)


def guess_id_column(df: pd.DataFrame, model: LoadedModel) -> str | None:
    """A column the recipe dropped as an ID whose values are unique in this batch, if any."""
    for drop in model.recipe.drop_columns:
        if drop.accepted and "id_like" in drop.reason_key and drop.column in df.columns:
            if df[drop.column].notna().all() and df[drop.column].is_unique:
                return drop.column
    return None


def check_for_model(store: Store, project_id: int, df: pd.DataFrame, model_id: int | None = None,
                    id_column: str | None = None) -> GuardReport:
    """The column guard's report for ``df`` against the model that would score it."""
    model = load_model(store, resolve_model(store, project_id, model_id))
    reference = ensure_reference(store, model)
    return check_batch(df, model.inputs, reference.get("inputs"), target=model.recipe.target.column,
                       id_column=id_column)


def input_relpath(project_id: int, batch_id: int) -> str:
    """Where a batch's input snapshot is stored, relative to the artefact root."""
    return f"projects/{int(project_id)}/batches/{int(batch_id)}/input.parquet"


def _save_input(store: Store, batch: store_p.BatchInfo, df: pd.DataFrame) -> str:
    """Store the raw input as Parquet (mixed-type text columns as text)."""
    relpath = input_relpath(batch.project_id, batch.id)
    path = resolve(store, relpath)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    out.columns = [str(c) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object and len({type(v) for v in out[col].dropna().head(10_000)}) > 1:
            out[col] = out[col].map(lambda v: v if pd.isna(v) else str(v))
    tmp = path.with_name(path.name + ".tmp")
    out.to_parquet(tmp, index=False)
    os.replace(tmp, path)
    return relpath


def load_input(store: Store, batch: store_p.BatchInfo) -> pd.DataFrame:
    """A batch's stored input rows."""
    relpath = batch.source.get("input_path")
    path = resolve(store, relpath) if relpath else None
    if path is None or not path.exists():
        raise UserError("predict.error.input_missing", id=batch.id)
    return pd.read_parquet(path)


def score_batch(store: Store, project_id: int, df: pd.DataFrame, *, model_id: int | None = None,
                threshold: float | None = None, reasons: bool = True, id_column: str | None = None,
                filename: str = "", created_by: str = "", background: bool | None = None) -> int:
    """Check, store and score a batch; returns its id (``background`` None: by size)."""
    model = load_model(store, resolve_model(store, project_id, model_id))
    reference = ensure_reference(store, model)
    if id_column is not None and id_column not in df.columns:
        raise UserError("predict.error.id_column_missing", column=id_column)
    id_column = id_column or guess_id_column(df, model)
    report = check_batch(df, model.inputs, reference.get("inputs"), target=model.recipe.target.column,
                         id_column=id_column)
    report.raise_if_blocked()
    chosen = decision_rule(store, project_id, model.info.id, threshold, by=created_by)
    binary = model.problem_type == "binary"
    source = {"filename": filename, "id_column": id_column, "guard": report.to_dict(),
              "threshold": {"value": chosen.value, "source": chosen.source} if binary else None,
              "decision": chosen.to_dict(),
              "reasons": {"enabled": bool(reasons), "method": rsn.METHOD if reasons else None},
              "model": {"id": model.info.id, "version": model.info.version_number, "run_id": model.info.run_id,
                        "name": model.info.model_name, "problem_type": model.problem_type,
                        "positive_class": model.positive_class}}
    batch = store_p.create_batch(store, project_id, model_id=model.info.id, n_rows=len(df), source=source,
                                 created_by=created_by)
    if background is None:
        background = len(df) > BACKGROUND_ROWS
    if not background:  # the input snapshot is written while the first chunk is scored
        run_batch(store, batch.id, df=df, raise_errors=True, save_input=True)
        return batch.id
    try:
        _store_input(store, batch, df)
    except UserError:
        store_p.delete_batch(store, batch.id)
        raise
    from core.predict.worker import spawn

    spawn(store, batch.id)
    return batch.id


def _store_input(store: Store, batch: store_p.BatchInfo, df: pd.DataFrame) -> None:
    """Save the input snapshot and record where (UserError on a storage problem)."""
    try:
        relpath = _save_input(store, batch, df)
    except OSError as exc:
        raise UserError("predict.error.storage", detail=exc.strerror or str(exc)) from exc
    store_p.update_batch(store, batch.id, source={"input_path": relpath})


def _rows(scored: pd.DataFrame, start: int, keys: pd.Series | None, version: int | None) -> list[tuple[Any, ...]]:
    """Database rows (``INSERT_COLUMNS`` order) for one scored chunk, built column-wise."""
    n = len(scored)
    probability = [None if p != p else p for p in scored["probability"].to_numpy(dtype=float).tolist()]
    row_keys = [""] * n if keys is None else [str(k)[:200] for k in keys]
    reasons = [_encode(r) if r else "[]" for r in scored["reasons"]]
    predictions = [p[:300] for p in scored["prediction"].astype(str)]
    decisions = [d[:100] for d in scored["decision"].astype(str)]
    return list(zip(range(start, start + n), row_keys, predictions, probability, decisions, reasons, [version] * n))


def _score_chunks(store: Store, batch: store_p.BatchInfo, model: LoadedModel, df: pd.DataFrame,
                  context: rsn.ReasonContext | None, chunk_rows: int, writer: ThreadPoolExecutor) -> Future | None:
    """Score chunk by chunk; each chunk's insert (on ``writer``) overlaps the next chunk's prediction.

    Returns the last insert, still running, so the caller can overlap more work with it.
    """
    stored = batch.source.get("decision")
    threshold = batch.source.get("threshold")
    rule = DecisionRule.from_dict(stored) if stored else (
        DecisionRule("threshold", {"threshold": threshold["value"]}, threshold["source"]) if threshold else None)
    id_column, version = batch.source.get("id_column"), model.info.version_number
    start = store_p.get_batch(store, batch.id).n_done  # resume after the last committed chunk
    pending = None
    for begin in range(start, len(df), chunk_rows):
        chunk = df.iloc[begin:begin + chunk_rows]
        scored = score_frame(model, chunk, rule, context, cast=False)
        rows = _rows(scored, begin, chunk[id_column] if id_column else None, version)
        if pending is not None:
            pending.result()  # one writer, in order: committed rows always form a prefix
        pending = writer.submit(store_p.insert_predictions, store, batch.id, rows)
    return pending


def run_batch(store: Store, batch_id: int, *, df: pd.DataFrame | None = None, raise_errors: bool = False,
              chunk_rows: int = CHUNK_ROWS, save_input: bool = False) -> str:
    """Score a batch chunk by chunk (saving ``df`` as its input first if asked), then its drift.

    Writes (input snapshot, prediction chunks) run in order on one writer thread while the
    next chunk is scored; returns the final status.
    """
    batch = store_p.require_batch(store, batch_id)
    try:
        info = versions.get_model(store, batch.model_id)
        if info is None:
            raise UserError("predict.version.error.missing", id=batch.model_id)
        model = load_model(store, info)
        store_p.update_batch(store, batch_id, status=store_p.RUNNING)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="batch-writer") as writer:
            saving = writer.submit(_store_input, store, batch, df) if save_input and df is not None else None
            cast = cast_inputs(load_input(store, batch) if df is None else df, model.inputs)
            context = reason_context(store, model) if batch.source.get("reasons", {}).get("enabled") else None
            last = _score_chunks(store, batch, model, cast, context, chunk_rows, writer)
            reference = model.info.card.get("reference") or ensure_reference(store, model)
            drift = drift_report(reference.get("inputs", {}), cast) if reference else {}
            for job in (saving, last):
                if job is not None:
                    job.result()
        store_p.update_batch(store, batch_id, status=store_p.DONE, drift=drift)
        return store_p.DONE
    except Exception as exc:
        error = ({"key": exc.key, "params": exc.params} if isinstance(exc, UserError)
                 else {"key": "predict.error.unexpected", "params": {"detail": f"{type(exc).__name__}: {exc}"[:500]}})
        if not raise_errors:  # the worker's log; an inline caller reports the error itself
            log.exception("batch %s failed", batch_id)
        current = store_p.get_batch(store, batch_id)
        if current is not None:
            job = {**(current.source.get("job") or {}), "error": error}
            store_p.update_batch(store, batch_id, status=store_p.FAILED, source={"job": job})
        if raise_errors:
            raise
        return store_p.FAILED
