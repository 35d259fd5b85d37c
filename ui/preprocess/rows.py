"""Row filters (target outliers, duplicates), off until accepted, with what each removes; derived features."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.preprocess import Recipe
from core.preprocess.recipe import DERIVED
from core.prepare.answers import answer_reason
from core.preprocess.removed import bounds_text
from ui.context import lang, md, tr, tr_md

Slots = dict[str, Any]  # filter kind → st.empty() slot for "N rows removed"


def _find(specs: list[dict[str, Any]], kind: str) -> dict[str, Any] | None:
    return next((s for s in specs if s.get("kind") == kind), None)


def row_filters(base: Recipe, kind: str, sfx: str) -> tuple[list[dict[str, Any]], Slots]:
    """The filters to apply to the training rows, and slots for their counts (filled by the preview)."""
    out: list[dict[str, Any]] = []
    slots: Slots = {}
    if kind == "regression":
        out.append(_target_range(_find(base.row_filters, "target_range") or {}, sfx))
        slots["target_range"] = st.empty()
    saved = _find(base.row_filters, "drop_duplicates")
    on = st.toggle(tr("preprocess_ui.filters.duplicates"), value=bool(saved and saved.get("accepted", True)),
                   key=f"pre_dups_{sfx}", help=tr("preprocess_ui.filters.duplicates_help"))
    out.append({"kind": "drop_duplicates", "accepted": bool(on), "source": (saved or {}).get("source", "user")})
    slots["drop_duplicates"] = st.empty()
    return out, slots


def _target_range(saved: dict[str, Any], sfx: str) -> dict[str, Any]:
    """Keep rows whose target lies within the bounds (the analysis suggests Q3 + 1.5 × IQR)."""
    on = st.toggle(tr("preprocess_ui.filters.target"), value=bool(saved and saved.get("accepted", True)),
                   key=f"pre_outliers_{sfx}", help=tr("preprocess_ui.filters.target_help"))
    if saved.get("source") == "analysis" and saved.get("upper") is not None:
        st.caption(tr("preprocess_ui.filters.suggested", upper=f"{saved['upper']:,.0f}") + " "
                   + tr("preprocess_ui.filters.off_by_default"))
    left, right = st.columns(2)
    lower = left.number_input(tr("preprocess_ui.filters.lower"), value=saved.get("lower"), key=f"pre_lower_{sfx}",
                              disabled=not on, placeholder=tr("preprocess_ui.filters.no_bound"))
    upper = right.number_input(tr("preprocess_ui.filters.upper"), value=saved.get("upper"), key=f"pre_upper_{sfx}",
                               disabled=not on, placeholder=tr("preprocess_ui.filters.no_bound"))
    out = {"kind": "target_range", "lower": lower, "upper": upper, "accepted": bool(on),
           "source": saved.get("source", "user")}
    if saved.get("answer") and bool(on) == bool(saved.get("accepted")):  # the answer decided it; cite it
        st.caption(f":material/forum: {md(answer_reason(saved['answer'], lang()))}")
        out["answer"] = saved["answer"]
    return out


def show_effects(slots: Slots, effects: list[dict[str, Any]] | None) -> None:
    """Under each filter: the training rows it removes (on) or would remove (off), and the test rows beyond it."""
    for effect in effects or []:
        slot = slots.get(effect["kind"])
        bounded = effect["kind"] in ("target_range", "range")
        if slot is None or (bounded and effect["lower"] is None and effect["upper"] is None):
            continue
        params = {"removed": f"{effect['removed']:,}", "train": f"{effect['train_rows']:,}",
                  "test": f"{effect['test_rows']:,}", "outside": f"{effect.get('test_outside', 0):,}",
                  "column": md(effect["column"]), "bounds": bounds_text(effect["lower"], effect["upper"], lang())}
        state = "on" if effect["accepted"] else "off"
        text = tr(f"preprocess_ui.filters.effect_{state}_{'range' if bounded else 'rows'}", **params)
        if effect["accepted"] and effect["removed"]:
            slot.warning(text, icon=":material/filter_alt:")
        else:
            slot.caption(f":material/filter_alt: {text}")


def derived(base: Recipe, dates: list[str], numbers: list[str], sfx: str) -> list[dict[str, Any]]:
    """Date parts of date columns, and ratios or differences of two numeric columns."""
    saved_dates = [s["column"] for s in base.derived if s.get("kind") == "date_parts" and s.get("column") in dates]
    picked = st.multiselect(tr("preprocess_ui.derived.dates"), dates, default=saved_dates, key=f"pre_dateparts_{sfx}",
                            help=tr("preprocess_ui.derived.dates_help"), placeholder=tr("preprocess_ui.choose"))
    out: list[dict[str, Any]] = [{"kind": "date_parts", "column": c} for c in picked]
    key = f"pre_pairs_{sfx}"
    if key not in st.session_state:
        st.session_state[key] = [dict(s) for s in base.derived if s.get("kind") in ("ratio", "difference")]
    pairs: list[dict[str, Any]] = st.session_state[key]
    for i, spec in enumerate(pairs):
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.markdown(tr_md(f"preprocess.derived.{spec['kind']}", a=spec["a"], b=spec["b"]))
        right.button(tr("preprocess_ui.derived.remove"), key=f"pre_pair_rm_{sfx}_{i}", icon=":material/delete:",
                     on_click=pairs.pop, args=(i,))
    if len(numbers) >= 2:
        _add_pair(pairs, numbers, sfx)
    return out + [dict(p) for p in pairs]


def _add_pair(pairs: list[dict[str, Any]], numbers: list[str], sfx: str) -> None:
    kinds = [k for k in DERIVED if k != "date_parts"]
    names = {k: tr(f"preprocess_ui.derived.{k}") for k in kinds}
    c = st.columns([2, 3, 3, 2], vertical_alignment="bottom")
    kind = c[0].selectbox(tr("preprocess_ui.derived.kind"), kinds, format_func=names.__getitem__, key=f"pre_pk_{sfx}")
    a = c[1].selectbox(tr("preprocess_ui.derived.a"), numbers, key=f"pre_pa_{sfx}")
    b = c[2].selectbox(tr("preprocess_ui.derived.b"), numbers, index=1, key=f"pre_pb_{sfx}")
    spec = {"kind": kind, "a": a, "b": b}
    c[3].button(tr("preprocess_ui.derived.add"), key=f"pre_padd_{sfx}", icon=":material/add:",
                disabled=a == b or spec in pairs, on_click=pairs.append, args=(spec,))
