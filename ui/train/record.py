"""The experiment record of a run, and a download of its predict.py and model card."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import streamlit as st

from core.store import runs
from core.train.paths import CARD_NAME, MODEL_NAME, SCRIPT_NAME, run_dir
from ui.context import get_store, md, tr, tr_md

MAX_MODEL_BYTES = 50 * 2**20  # the model folder is put in the zip only when it is this small


def folder_bytes(folder: Path) -> int:
    """Total size of the files under ``folder`` (0 when missing)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def bundle(folder: Path, with_model: bool) -> bytes:
    """A zip of predict.py and model_card.json (and the model folder when ``with_model``)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in (SCRIPT_NAME, CARD_NAME):
            if (folder / name).is_file():
                z.write(folder / name, name)
        if with_model:
            for path in sorted((folder / MODEL_NAME).rglob("*")):
                if path.is_file():
                    z.write(path, str(path.relative_to(folder)))
    return buf.getvalue()


def record(run: runs.RunInfo) -> None:
    """What produced this model: data, recipe, split, settings, seed, library versions, who and when."""
    rec, settings = run.record, run.settings
    data, split, versions = rec.get("dataset") or {}, rec.get("split") or {}, rec.get("versions") or {}
    timings = rec.get("timings") or {}
    lines = [
        tr("train_ui.record.data", id=data.get("id", "—"), label=data.get("label", ""), rows=data.get("rows", "—"),
           hash=str(data.get("content_hash", ""))[:12]),
        tr("train_ui.record.recipe", number=(rec.get("recipe") or {}).get("number", "—"),
           strategy=tr(f"preprocess.strategy.{split.get('strategy', 'random')}"),
           share=f"{float(split.get('test_share') or 0):.0%}", seed=split.get("seed", "—"),
           train=split.get("train", "—"), test=split.get("test", "—")),
        _rows_line(rec),
        tr("train_ui.record.settings", preset=tr(f"train.preset.{settings.get('preset', 'quick')}"),
           metric=tr(f"train.metric.name.{rec.get('metric')}"), seed=rec.get("seed", "—"),
           limit=(rec.get("fit_arguments") or {}).get("time_limit", "—")),
        tr("train_ui.record.versions", autogluon=versions.get("autogluon.tabular", "—"),
           pandas=versions.get("pandas", "—"), python=versions.get("python", "—"),
           code=str(rec.get("code_version") or "—")[:14]),
        tr("train_ui.record.who", by=rec.get("created_by") or "—", when=str(rec.get("requested_at", ""))[:19],
           host=rec.get("host", "—"), fit=timings.get("fit_s", "—"), total=timings.get("total_s", "—")),
    ]
    with st.expander(tr("train_ui.record.title"), icon=":material/receipt_long:"):
        st.markdown("\n".join(f"- {md(line)}" for line in lines))
        st.json(rec, expanded=False)


def _rows_line(rec: dict) -> str:
    """How many rows the model was fitted on, and how many the recipe's row filters left out."""
    trained = (rec.get("training_data") or {}).get("rows")
    removed = sum(f.get("removed", 0) for f in (rec.get("recipe_report") or {}).get("filters", []))
    return tr("train_ui.record.rows", rows=f"{trained:,}" if trained is not None else "—", removed=f"{removed:,}")


def downloads(run: runs.RunInfo) -> None:
    """predict.py + model_card.json as a zip; the model folder only when small (said on the page)."""
    folder = run_dir(get_store(), run.project_id, run.id)
    if not (folder / SCRIPT_NAME).is_file():
        st.caption(tr("train_ui.download.missing"))
        return
    size = folder_bytes(folder / MODEL_NAME)
    small = 0 < size <= MAX_MODEL_BYTES
    st.download_button(tr("train_ui.download.button"), data=lambda: bundle(folder, small),
                       file_name=f"run-{run.id}-predict.zip", mime="application/zip", on_click="ignore",
                       icon=":material/download:", key=f"trn_zip_{run.id}")
    key = "train_ui.download.with_model" if small else "train_ui.download.without_model"
    st.caption(tr_md(key, mb=f"{size / 2**20:,.1f}", folder=str(folder / MODEL_NAME)))
    st.caption(tr_md("train_ui.download.usage"))
