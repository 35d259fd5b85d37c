"""Step 3, Prepare: questions for other roles, 5W1H data requests, joins and the step's checklist."""

from core.analyze.questions import question_id, question_text, role_label, with_ids
from core.prepare.checklist import CHECKLIST, checklist_status
from core.prepare.join import JoinReport, join_and_save, left_join, match_report, suggest_keys
from core.prepare.questions import (ANSWER_DECISIONS, ANSWER_KIND, ANSWER_STEP, QuestionStatus, open_count,
                                    question_statuses)
from core.prepare.request import DataRequest, draft_request, request_markdown, request_text

__all__ = [
    "ANSWER_DECISIONS", "ANSWER_KIND", "ANSWER_STEP", "CHECKLIST", "DataRequest", "JoinReport", "QuestionStatus",
    "checklist_status", "draft_request", "join_and_save", "left_join", "match_report", "open_count", "question_id",
    "question_statuses", "question_text", "request_markdown", "request_text", "role_label", "suggest_keys",
    "with_ids",
]
