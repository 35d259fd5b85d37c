"""Step 3's checklist from the method: answers, a 5W1H request, no "just this once", legal use.

Some items are decided by the data (every question answered; a complete request saved); the
others are confirmed by a person, recorded in the review log as step ``prepare``, kind
``review``, subject ``checklist.<item>`` (who, role, when).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CHECKLIST = ("answers", "request", "not_just_once", "privacy")
CONFIRMABLE = ("request", "not_just_once", "privacy")
CONFIRM_KIND = "review"
CONFIRM_PREFIX = "checklist."


@dataclass(frozen=True)
class ChecklistState:
    """One item: done or not, and by whom / when when a person confirmed it."""

    item: str
    done: bool
    confirmable: bool
    by: str = ""
    role: str = ""
    at: Any = None


def checklist_status(open_questions: int | None, request: Any | None, confirmations: list[Any]) -> list[ChecklistState]:
    """The items' states (``open_questions`` None: no diagnosis yet); ``confirmations`` are review rows."""
    confirmed = {c.subject.removeprefix(CONFIRM_PREFIX): c for c in confirmations
                 if c.subject.startswith(CONFIRM_PREFIX)}
    out = []
    for item in CHECKLIST:
        row = confirmed.get(item)
        done = row is not None
        if item == "answers":
            done = open_questions == 0
        elif item == "request" and request is not None and not request.missing():
            done = True
        out.append(ChecklistState(item, done, item in CONFIRMABLE, getattr(row, "reviewer", ""),
                                  getattr(row, "role", ""), getattr(row, "created_at", None)))
    return out
