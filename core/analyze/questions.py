"""Stable ids for the questions a diagnosis asks other roles (Step 3 records the answers by id).

A question's id depends on its message key and the column names it mentions, not on numbers
such as a correlation, so that an answer survives a re-run of the diagnosis on slightly
different data.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from core.i18n import has, t


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
