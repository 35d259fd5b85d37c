"""Answers that decide something: the real alternatives for a question, and what step 4 does with them.

Four questions from the diagnosis are about one column, and their answer changes the recipe's
proposal for it (see :func:`core.preprocess.prefill.apply_answers`):

* "code or quantity?" → ``quantity`` (stays a number), ``code`` (read as a category), ``not_sure``;
* "may we drop it?" (ID-like, mostly empty) → ``drop``, ``keep``, ``not_sure``;
* "is it known when the prediction is needed?" (leakage) → ``known`` (kept), ``not_known`` (dropped), ``not_sure``;
* "real values or errors?" (target outliers) → ``real`` (rows kept), ``errors`` (rows removed), ``not_sure``.

Other questions keep the general agree / disagree / comment. Answers recorded before these
choices existed (agree / disagree to "may we drop it?") are read with their plain meaning.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from core.i18n import t
from core.analyze.questions import role_label
from core.prepare.questions import ANSWER_DECISIONS

CODE, LEAKAGE, OUTLIERS = ("analyze.question.code_or_quantity", "analyze.question.leakage",
                           "analyze.question.target_outliers")
DROP_ID, DROP_EMPTY = "analyze.question.drop_id", "analyze.question.drop_empty"
CHOICES: dict[str, tuple[str, ...]] = {
    CODE: ("quantity", "code", "not_sure"),
    DROP_ID: ("drop", "keep", "not_sure"),
    DROP_EMPTY: ("drop", "keep", "not_sure"),
    LEAKAGE: ("known", "not_known", "not_sure"),
    OUTLIERS: ("real", "errors", "not_sure"),
}
ALL_CHOICES = tuple(dict.fromkeys(c for choices in CHOICES.values() for c in choices))
_LEGACY = {DROP_ID: {"agree": "drop", "disagree": "keep"}, DROP_EMPTY: {"agree": "drop", "disagree": "keep"},
           LEAKAGE: {"agree": "known", "disagree": "not_known"}}


def choices_for(question: dict[str, Any]) -> tuple[str, ...]:
    """The answers a question offers: its real alternatives, else agree / disagree / comment."""
    return CHOICES.get(question.get("key", ""), ANSWER_DECISIONS)


def choice_label(decision: str, lang: str) -> str:
    """An answer as its question offered it ("A quantity: keep it a number", "Yes / agreed" …)."""
    if decision in ALL_CHOICES:
        return t(f"prepare.choice.{decision}", lang)
    return t(f"prepare.decision.{decision}", lang) if decision in ANSWER_DECISIONS else decision


def _choice(key: str, decision: str) -> str | None:
    """The decision as one of the question's choices (older agree / disagree read by meaning), or None."""
    if decision in CHOICES.get(key, ()):
        return decision
    return _LEGACY.get(key, {}).get(decision)


def _utc(when: datetime | None) -> datetime | None:
    """A timestamp as naive UTC (databases return it with or without a time zone)."""
    if when is None or when.tzinfo is None:
        return when
    return when.astimezone(timezone.utc).replace(tzinfo=None)


def column_answers(questions: list[dict[str, Any]], answers: list[Any]) -> list[dict[str, Any]]:
    """The latest deciding answer to each column question: ``{"question", "column", "choice", "by", "role",
    "date", "at"}`` (JSON-ready; ``at`` is the ISO time it was recorded)."""
    by_id = {q["id"]: q for q in questions if q.get("key") in CHOICES and (q.get("params") or {}).get("column")}
    latest: dict[str, dict[str, Any]] = {}
    for a in sorted(answers, key=lambda a: (_utc(a.created_at) or datetime.min, a.id)):
        question = by_id.get(a.subject)
        choice = _choice(question["key"], a.decision) if question else None
        if choice is None:
            continue
        when = _utc(a.created_at)
        latest[a.subject] = {"question": question["key"], "column": question["params"]["column"], "choice": choice,
                             "by": a.reviewer, "role": a.role, "date": when.strftime("%Y-%m-%d") if when else "",
                             "at": when.isoformat() if when else ""}
    return list(latest.values())


def newer_than(answers: list[dict[str, Any]], when: datetime | None) -> list[dict[str, Any]]:
    """The answers recorded after ``when`` (all of them when ``when`` is None)."""
    limit = _utc(when)
    return [a for a in answers if limit is None or (a.get("at") and datetime.fromisoformat(a["at"]) > limit)]


def answer_reason(answer: dict[str, Any], lang: str) -> str:
    """Why the recipe does what it does for a column, citing the answer (who, role, what, when)."""
    role = role_label(answer.get("role", ""), lang)
    who = t("prepare.because.who", lang, name=answer.get("by", ""), role=role) if role else answer.get("by", "")
    return t(f"prepare.because.{answer['choice']}", lang, who=who, date=answer.get("date", ""))
