"""Tab "Verdict": Go / No-Go, the paragraph for the sponsor, every criterion with its number."""

from __future__ import annotations

import streamlit as st

from core.evaluate import Evaluation
from core.evaluate.verdict import get_verdict_df, verdict_paragraph
from ui.context import lang, md, tr

ICONS = {"go": ("success", ":material/check_circle:"), "no_go": ("error", ":material/cancel:"),
         "incomplete": ("warning", ":material/help:")}
MARKS = {"passed": ":green[:material/check_circle:]", "failed": ":red[:material/cancel:]",
         "unknown": ":orange[:material/help:]"}


def show(ev: Evaluation) -> None:
    """The decision first, then the criteria table."""
    verdict, currency = ev.verdict, ev.data.goal.currency
    kind, icon = ICONS[verdict.overall]
    getattr(st, kind)(f"**{tr(f'evaluate.overall.{verdict.overall}')}** — "
                      f"{md(verdict_paragraph(verdict, lang(), currency))}", icon=icon)
    df = get_verdict_df(verdict, lang(), currency)
    if df.empty:
        st.info(tr("evaluate.verdict.no_criteria"), icon=":material/flag:")
        st.page_link("pages/business.py", label=tr("nav.business"), icon=":material/savings:")
        return
    lines = [f"| {tr('evaluate.col.criterion')} | {tr('evaluate.col.target')} | {tr('evaluate.col.measured')} | "
             f"{tr('evaluate.col.status')} |", "|---|---|---|---|"]
    for row in df.itertuples():
        lines.append(f"| {md(row.criterion)} | {md(row.target)} | {md(row.measured)} | "
                     f"{MARKS[row.status]} {row.status_text} |")
    st.markdown("\n".join(lines))
    if ev.speed is not None:
        st.caption(tr("evaluate.speed.line", latency=f"{ev.speed.latency_ms:,.1f}",
                      throughput=f"{ev.speed.throughput:,.0f}", rows=f"{ev.speed.batch_rows:,}"))
