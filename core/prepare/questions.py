"""Questions from the Analysis Report for other roles, with stable ids and recorded answers.

A question's id depends on its message key and the column names it mentions, not on
numbers such as a correlation, so that an answer survives a re-run of the diagnosis on
slightly different data. Answers are review-log rows (step ``prepare``, kind ``answer``,
subject = question id), see :mod:`core.store.reviews`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from core.i18n import has, t

ANSWER_STEP = "prepare"
ANSWER_KIND = "answer"
ANSWER_DECISIONS = ("agree", "disagree", "comment")
EXTRA_ROLES = ("business_analyst", "product_manager", "data_engineer", "model_risk_manager", "other")


def question_id(question: dict[str, Any]) -> str:
    """Stable id of a question: its key plus the text parameters (column names), hashed."""
    params = question.get("params") or {}
    names = {k: v for k, v in sorted(params.items()) if isinstance(v, str)}
    raw = json.dumps([question.get("key", ""), names], ensure_ascii=False, sort_keys=True)
    return "q-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def with_ids(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The questions with an ``id`` each (repeats of the same id dropped)."""
    seen: set[str] = set()
    out = []
    for q in questions:
        qid = question_id(q)
        if qid not in seen:
            seen.add(qid)
            out.append({**q, "id": qid})
    return out


def question_text(question: dict[str, Any], lang: str) -> str:
    """The question in ``lang``."""
    return t(question.get("key", ""), lang, **(question.get("params") or {}))


def role_label(role: str, lang: str) -> str:
    """A role's name in ``lang`` (free text is shown as typed)."""
    for prefix in ("analyze.role.", "prepare.role."):
        if has(prefix + role):
            return t(prefix + role, lang)
    return role


@dataclass
class QuestionStatus:
    """A question and the answers recorded for it (oldest first)."""

    question: dict[str, Any]
    answers: list[Any] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        """At least one answer was recorded."""
        return bool(self.answers)


def question_statuses(questions: list[dict[str, Any]], answers: list[Any]) -> list[QuestionStatus]:
    """Join questions with answers (review rows whose ``subject`` is the question id)."""
    by_subject: dict[str, list[Any]] = {}
    for a in answers:
        by_subject.setdefault(a.subject, []).append(a)
    return [QuestionStatus(q, by_subject.get(q["id"], [])) for q in questions]


def open_count(statuses: list[QuestionStatus]) -> int:
    """How many questions have no answer yet."""
    return sum(1 for s in statuses if not s.answered)
