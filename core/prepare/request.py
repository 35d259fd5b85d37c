"""The 5W1H data request: what to ask the team that owns the data, drafted from the findings.

Step 3 of the method: requests for collection or labelling are written as why, when, where,
who, what (structure) and how, and avoid "just this once" (accuracy is uncertain until a
model exists, so data must be deliverable again). :func:`draft_request` pre-fills a request
from an :class:`~core.analyze.AnalysisReport`; :func:`request_markdown` and
:func:`request_text` render it for sending.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

from core.analyze import AnalysisReport
from core.i18n import fmt_number, t
from core.report import document as doc
from core.report.markdown import render_markdown

FIELDS = ("why", "when", "where", "who", "what", "how")
REQUIRED = ("recipient", "why", "what")
MAX_FIELD = 5000
MAX_COLUMNS_LISTED = 200


@dataclass
class DataRequest:
    """A request for data (collection or labelling) written as 5W1H."""

    title: str = ""
    requester: str = ""
    recipient: str = ""
    why: str = ""
    when: str = ""
    where: str = ""
    who: str = ""
    what: str = ""
    how: str = ""
    columns: list[str] = field(default_factory=list)
    date: str = ""

    def __post_init__(self) -> None:
        for name in ("title", "requester", "recipient", "date", *FIELDS):
            value = getattr(self, name)
            setattr(self, name, ("" if value is None else str(value)).replace("\x00", "").strip()[:MAX_FIELD])
        self.columns = [str(c).strip() for c in (self.columns or []) if str(c).strip()][:MAX_COLUMNS_LISTED]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> DataRequest:
        """Inverse of :meth:`to_dict`, tolerant of missing or unknown keys."""
        data = data or {}
        known = {k: data.get(k) for k in cls.__dataclass_fields__ if k in data}
        columns = known.pop("columns", None)
        return cls(**known, columns=list(columns) if isinstance(columns, (list, tuple)) else [])

    def missing(self) -> list[str]:
        """Fields that must be filled before the request is sent."""
        return [name for name in REQUIRED if not getattr(self, name)]


def _reasons(report: AnalysisReport, lang: str) -> list[str]:
    """One line per finding that data could fix (quantity, labels, empty columns, weak relations)."""
    keys = {
        "analyze.quantity.too_few": "prepare.draft.reason.too_few",
        "analyze.quantity.few_per_class": "prepare.draft.reason.few_per_class",
        "analyze.target.none": "prepare.draft.reason.no_target",
        "analyze.target.all_missing": "prepare.draft.reason.no_labels",
        "analyze.target.single_class": "prepare.draft.reason.single_class",
        "analyze.target.some_missing": "prepare.draft.reason.some_labels_missing",
        "analyze.target.imbalanced": "prepare.draft.reason.imbalanced",
        "analyze.missing.mostly_empty": "prepare.draft.reason.mostly_empty",
        "analyze.relations.weak": "prepare.draft.reason.weak",
    }
    return [t(keys[f.message_key], lang, **f.params) for f in report.findings if f.message_key in keys]


def _wanted_columns(report: AnalysisReport) -> list[str]:
    """The target and the mostly-empty columns: what the owning team should fill in."""
    cols = [report.target] if report.target else []
    cols += [f.params["column"] for f in report.findings
             if f.message_key == "analyze.missing.mostly_empty" and f.params.get("column")]
    return list(dict.fromkeys(cols))


def draft_request(report: AnalysisReport, lang: str, *, project: str = "", requester: str = "",
                  key_column: str = "", date: str = "") -> DataRequest:
    """A request pre-filled from the findings, in ``lang``; the user edits it before sending."""
    target = report.target or t("prepare.draft.no_target_name", lang)
    reasons = _reasons(report, lang)
    few = any(f.check == "quantity" and f.verdict != "ok" for f in report.findings)
    min_rows = next((f.params.get("min") for f in report.findings if f.params.get("min")), 100)
    why = t("prepare.draft.why", lang, project=project or "—", target=target)
    why += "\n" + ("\n".join(f"- {r}" for r in reasons) if reasons else t("prepare.draft.why_default", lang))
    personal = [f.params["column"] for f in report.by_check("personal_data") if f.params.get("column")]
    how = t("prepare.draft.how", lang)
    if personal:
        how += "\n" + t("prepare.draft.how_personal", lang, columns=", ".join(dict.fromkeys(personal)))
    what = t("prepare.draft.what", lang, rows=fmt_number(report.n_rows, lang, 0), columns=report.n_columns)
    if key_column:
        what += "\n" + t("prepare.draft.what_key", lang, column=key_column)
    return DataRequest(
        title=t("prepare.draft.title", lang, target=target), requester=requester, recipient="",
        why=why, when=t("prepare.draft.when_history" if few else "prepare.draft.when", lang, min=min_rows),
        where=t("prepare.draft.where", lang, target=target), who=t("prepare.draft.who", lang),
        what=what, how=how, columns=_wanted_columns(report), date=date,
    )


def request_document(req: DataRequest, lang: str) -> doc.Document:
    """The request as a document: who asks whom and when, one section per 5W1H field, the columns."""
    facts = [(doc.t(f"prepare.request.field.{name}", lang), getattr(req, name) or "—")
             for name in ("requester", "recipient", "date")]
    sections = [doc.Section(name, doc.t(f"prepare.request.field.{name}", lang),
                            [doc.Block("text", getattr(req, name) or "—")]) for name in FIELDS]
    if req.columns:
        sections.insert(5, doc.Section("columns", doc.t("prepare.request.field.columns", lang),
                                       [doc.Block("list", rows=list(req.columns))]))
    return doc.Document(req.title or doc.t("prepare.request.default_title", lang), lang, sections, facts=facts,
                        footer=doc.t("prepare.request.footer", lang))


def request_markdown(req: DataRequest, lang: str) -> str:
    """The request as a Markdown document (user text escaped)."""
    return render_markdown(request_document(req, lang))


def request_text(req: DataRequest, lang: str) -> str:
    """The request as plain text for an e-mail or a chat message."""
    document = request_document(req, lang)
    lines = [document.title, "=" * min(len(document.title) * 2, 60), ""]
    lines += [f"{label}: {value}" for label, value in document.facts]
    for section in document.sections:
        lines += ["", f"[{section.title}]"]
        for block in section.blocks:
            lines += [f"- {row}" for row in block.rows] if block.kind == "list" else [block.text]
    lines += ["", document.footer, ""]
    return "\n".join(lines)
