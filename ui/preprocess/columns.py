"""Target (from the project) with an optional label mapping, columns to drop, type overrides."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.preprocess import DropColumn, Recipe, TargetSpec
from core.preprocess.recipe import TYPES
from core.store.projects import ProjectInfo
from core.prepare.answers import answer_reason
from ui.context import lang, md, tr

MAX_MAPPED_LABELS = 20


def target(project: ProjectInfo, base: Recipe, df: pd.DataFrame, sfx: str) -> TargetSpec:
    """The project's target and positive class (changed on Analyze), and a label mapping."""
    kind = project.problem_type or base.target.problem_type
    kinds = tr(f"analyze_ui.problem_type.{kind}") if kind else "—"
    line = tr("preprocess_ui.target.line", column=md(project.target_column), kind=md(kinds))
    if kind == "binary" and project.positive_class is not None:
        line += " · " + tr("preprocess_ui.target.positive", value=md(project.positive_class))
    st.markdown(line)
    st.page_link("pages/analyze.py", label=tr("preprocess_ui.target.change"), icon=":material/edit:")
    spec = TargetSpec(project.target_column, kind or "", project.positive_class, {})
    if kind in ("binary", "multiclass"):
        spec.mapping = _mapping(base, df[project.target_column], sfx)
        if spec.positive_class is not None:
            spec.positive_class = spec.mapping.get(spec.positive_class, spec.positive_class)
    return spec


def _mapping(base: Recipe, y: pd.Series, sfx: str) -> dict[str, str]:
    """Rename or merge target labels (e.g. 'True.' → 'churn'); unchanged labels are not stored."""
    labels = [str(v) for v in y.dropna().astype(str).value_counts().index[:MAX_MAPPED_LABELS]]
    saved = base.target.mapping or {}
    with st.expander(tr("preprocess_ui.target.mapping"), expanded=bool(saved)):
        st.caption(tr("preprocess_ui.target.mapping_help"))
        mapping = {}
        for i, label in enumerate(labels):
            new = st.text_input(md(label), value=saved.get(label, label), key=f"pre_map_{sfx}_{i}", max_chars=100)
            if new.strip() and new.strip() != label:
                mapping[label] = new.strip()
    return mapping


def drops(base: Recipe, df: pd.DataFrame, target: str, suggested: dict[str, Any], sfx: str) -> list[DropColumn]:
    """Each suggested drop with its reason and an accept/reject switch; more columns to leave out."""
    listed = [d for d in base.drop_columns if d.source != "user" and d.column in df.columns and d.column != target]
    out: list[DropColumn] = []
    if listed:
        st.caption(tr("preprocess_ui.drops.help"))
    for d in listed:
        left, right = st.columns([2, 5], vertical_alignment="center")
        keep = left.toggle(md(d.column), value=d.accepted, key=f"pre_drop_{sfx}_{d.column}",
                           help=tr("preprocess_ui.drops.toggle_help"))
        reason = tr(d.reason_key)
        partner = (suggested.get(d.column) or {}).get("keep")
        if partner:
            reason += " " + tr("preprocess_ui.drops.keeps", column=partner)
        answer = d.answer if bool(keep) == d.accepted else None  # cited while the switch follows it
        if answer:
            reason += " " + answer_reason(answer, lang())
        state = tr("preprocess_ui.drops.dropped" if keep else "preprocess_ui.drops.kept")
        right.markdown(f"{':red' if keep else ':green'}[{state}] · {md(reason)}")
        out.append(DropColumn(d.column, d.reason_key, bool(keep), d.source, answer))
    others = [c for c in df.columns if c != target and c not in {d.column for d in listed}]
    before = [d.column for d in base.drop_columns if d.source == "user" and d.accepted and d.column in others]
    more = st.multiselect(tr("preprocess_ui.drops.more"), others, default=before, key=f"pre_drop_more_{sfx}",
                          help=tr("preprocess_ui.drops.more_help"), placeholder=tr("preprocess_ui.choose"))
    out += [DropColumn(c, "preprocess.reason.user", True, "user") for c in more]
    return out


def type_overrides(base: Recipe, df: pd.DataFrame, target: str, sfx: str) -> list[dict[str, str]]:
    """Columns read as category / number / date / text instead of as detected."""
    columns = [c for c in df.columns if c != target]
    saved = {o["column"]: o["to"] for o in base.type_overrides if o.get("column") in columns}
    why = {o["column"]: o for o in base.type_overrides if o.get("column") in columns and o.get("answer")}
    st.caption(tr("preprocess_ui.types.help"))
    for column, spec in why.items():
        kind = tr(f"preprocess.type.{spec['to']}")
        st.caption(f":material/forum: {md(column)} → {md(kind)}: {md(answer_reason(spec['answer'], lang()))}")
    chosen: dict[str, str] = {}
    cols = st.columns(len(TYPES))
    for col, kind in zip(cols, TYPES, strict=True):
        picked = col.multiselect(tr(f"preprocess.type.{kind}"), columns, key=f"pre_type_{kind}_{sfx}",
                                 default=[c for c, to in saved.items() if to == kind],
                                 placeholder=tr("preprocess_ui.choose"))
        for c in picked:
            if c in chosen:
                st.warning(tr("preprocess_ui.types.twice", column=md(c), kind=tr(f"preprocess.type.{kind}")),
                           icon=":material/warning:")
            chosen[c] = kind
    kept = {c: o for c, o in why.items() if chosen.get(c) == o["to"]}  # the reason stays while the choice does
    return [{**kept.get(c, {}), "column": c, "to": to} for c, to in chosen.items()]
