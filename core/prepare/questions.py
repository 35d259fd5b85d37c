"""Questions from the Analysis Report for other roles, with stable ids and recorded answers.

A question's id depends on its message key and the column names it mentions, not on
numbers such as a correlation, so that an answer survives a re-run of the diagnosis on
slightly different data. Answers are review-log rows (step ``prepare``, kind ``answer``,
subject = question id), see :mod:`core.store.reviews`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


ANSWER_STEP = "prepare"
ANSWER_KIND = "answer"
ANSWER_DECISIONS = ("agree", "disagree", "comment")
EXTRA_ROLES = ("business_analyst", "product_manager", "data_engineer", "model_risk_manager", "other")


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
