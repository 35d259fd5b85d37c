"""The test levels of the method as a checklist, and the domain expert's review, in the review log.

Everything is a row of ``core.store.reviews`` with step ``test`` and kind ``review``:

* checklist item: subject = the item id (e.g. ``model.performance``), decision ``approve``
  (passed), ``reject`` (failed) or ``comment`` (in progress / a note); the latest row counts;
* direction review of a feature: subject ``direction:<column>``, decision ``agree`` /
  ``disagree`` / ``comment``;
* free comment on the model: subject ``model_comment``, decision ``comment``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.db import Store
from core.errors import UserError
from core.i18n import has, t
from core.store import reviews
from core.value import label

STEP, KIND = "test", "review"
DIRECTION_PREFIX, MODEL_COMMENT = "direction:", "model_comment"
STATUS_DECISIONS = {"passed": "approve", "failed": "reject", "in_progress": "comment"}
DIRECTION_DECISIONS = ("agree", "disagree", "comment")


@dataclass(frozen=True)
class Item:
    """One thing to check, its test level and who is asked."""

    id: str
    level: str
    role: str


ITEMS: tuple[Item, ...] = (
    Item("model.performance", "model", "data_scientist"),
    Item("model.robustness", "model", "data_scientist"),
    Item("model.data_process", "model", "data_scientist"),
    Item("model.explanations", "model", "domain_expert"),
    Item("service.endpoint", "service", "devops_engineer"),
    Item("service.response_time", "service", "devops_engineer"),
    Item("system.usability", "system", "product_manager"),
    Item("system.ab_plan", "system", "product_manager"),
    Item("system.legal", "system", "it_auditor"),
    Item("system.social", "system", "it_auditor"),
)
_BY_ID = {item.id: item for item in ITEMS}


def record_item(store: Store, project_id: int, item_id: str, status: str, *, reviewer: str, role: str = "",
                comment: str = "") -> reviews.ReviewInfo:
    """Record a checklist item's status (passed / failed / in_progress) with who and why."""
    if item_id not in _BY_ID or status not in STATUS_DECISIONS:
        raise UserError("review.error.bad_value", value=f"{item_id}/{status}")
    return reviews.add_review(store, project_id, step=STEP, kind=KIND, subject=item_id, reviewer=reviewer,
                              role=role or _BY_ID[item_id].role, decision=STATUS_DECISIONS[status], comment=comment)


def record_direction(store: Store, project_id: int, column: str, decision: str, *, reviewer: str, role: str = "",
                     comment: str = "") -> reviews.ReviewInfo:
    """A domain expert's view on whether a feature's direction of effect makes business sense."""
    if decision not in DIRECTION_DECISIONS:
        raise UserError("review.error.bad_value", value=decision)
    return reviews.add_review(store, project_id, step=STEP, kind=KIND, subject=f"{DIRECTION_PREFIX}{column}",
                              reviewer=reviewer, role=role, decision=decision, comment=comment)


def record_comment(store: Store, project_id: int, comment: str, *, reviewer: str, role: str = "") -> reviews.ReviewInfo:
    """A free comment on the model."""
    if not (comment or "").strip():
        raise UserError("evaluate.error.empty_comment")
    return reviews.add_review(store, project_id, step=STEP, kind=KIND, subject=MODEL_COMMENT, reviewer=reviewer,
                              role=role, decision="comment", comment=comment)


def role_text(role: str, lang: str) -> str:
    """A role id in words (Step 1's role names, plus the DevOps engineer); free text unchanged."""
    if has(f"evaluate.role.{role}"):
        return t(f"evaluate.role.{role}", lang)
    return label(role, lang)


def _status(decision: str) -> str:
    return {v: k for k, v in STATUS_DECISIONS.items()}.get(decision, "open")


def get_checklist_df(store: Store, project_id: int, lang: str = "en") -> pd.DataFrame:
    """Every item with its level, who is asked, and its latest status, reviewer, date and comment."""
    latest = {r.subject: r for r in reviews.list_reviews(store, project_id, STEP, KIND) if r.subject in _BY_ID}
    rows = []
    for item in ITEMS:
        r = latest.get(item.id)
        status = _status(r.decision) if r else "open"
        rows.append({"id": item.id, "level": item.level, "level_text": t(f"evaluate.level.{item.level}", lang),
                     "item": t(f"evaluate.check.{item.id}", lang), "role": role_text(item.role, lang),
                     "status": status, "status_text": t(f"evaluate.check_status.{status}", lang),
                     "reviewer": r.reviewer if r else "", "date": r.created_at.date().isoformat() if r else "",
                     "comment": r.comment if r else ""})
    return pd.DataFrame(rows)


def get_reviews_df(store: Store, project_id: int, lang: str = "en") -> pd.DataFrame:
    """Every test-step review, oldest first: what, decision, name, role, date, comment."""
    rows = []
    for r in reviews.list_reviews(store, project_id, STEP, KIND):
        if r.subject.startswith(DIRECTION_PREFIX):
            what = t("evaluate.review.direction_of", lang, column=r.subject[len(DIRECTION_PREFIX):])
        elif r.subject == MODEL_COMMENT:
            what = t("evaluate.review.model_comment", lang)
        elif r.subject in _BY_ID:
            what = t(f"evaluate.check.{r.subject}", lang)
        else:
            what = r.subject
        rows.append({"subject": r.subject, "what": what, "decision": r.decision,
                     "decision_text": t(f"value.decision.{r.decision}", lang) if r.decision else "",
                     "reviewer": r.reviewer, "role": role_text(r.role, lang) if r.role else "",
                     "date": r.created_at.strftime("%Y-%m-%d %H:%M"),
                     "comment": r.comment})
    return pd.DataFrame(rows, columns=["subject", "what", "decision", "decision_text", "reviewer", "role", "date",
                                       "comment"])


def direction_reviews(store: Store, project_id: int) -> dict[str, reviews.ReviewInfo]:
    """The latest direction review per column."""
    out = {}
    for r in reviews.list_reviews(store, project_id, STEP, KIND):
        if r.subject.startswith(DIRECTION_PREFIX):
            out[r.subject[len(DIRECTION_PREFIX):]] = r
    return out
