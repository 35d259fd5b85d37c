"""One document model for every report and export: a title, sections of blocks, one HTML and one Markdown form.

A report module only builds a :class:`Document` (``goal_sheet``, ``analysis_html``,
``test_report``, the data request in ``core.prepare.request``); :mod:`core.report.html` and
:mod:`core.report.markdown` render it, so every report looks, escapes and prints the same.

Texts are plain strings, treated as user text (escaped by each renderer), or a :class:`Phrase`
from :func:`t`: catalog text that also carries its Markdown form, in which only the user text
in its parameters is escaped (the catalog's own wording stays as written). Both are ``str``,
so a document reads like text in tests and pages.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Sequence

import plotly.graph_objects as go

from core.messages import Message, markdown_line


class Phrase(str):
    """Catalog text in one language (the ``str`` value) that knows its Markdown form (``.markdown``)."""

    markdown: str

    def __new__(cls, text: str, markdown: str) -> Phrase:
        phrase = super().__new__(cls, text)
        phrase.markdown = markdown
        return phrase

    def __getnewargs__(self) -> tuple[str, str]:  # copies and pickles keep the Markdown form
        return str(self), self.markdown


def _markdown_param(value: str) -> str:
    return value.markdown if isinstance(value, Phrase) else markdown_line(value)


def t(key: str, lang: str, **params: Any) -> Phrase:
    """Like :func:`core.i18n.t`; the text also knows its Markdown form (user text in ``params`` escaped)."""
    message = Message(key, params)
    return Phrase(message.text(lang), message.text(lang, _markdown_param))


def phrase_of(value: Any, lang: str) -> Phrase:
    """A :class:`Phrase` from anything that carries a message (a Message, a UserError, a stored dict)."""
    message = Message.of(value) or Message("")
    return t(message.key, lang, **message.params)


def chart_text(text: Any) -> str:
    """User text for inside a chart: Plotly draws a subset of HTML in labels, so it is escaped first."""
    return html.escape(str(text), quote=False)


@dataclass(frozen=True)
class Badge:
    """A table cell shown as a coloured tag (a verdict); ``tone`` is ok, warn or bad."""

    text: str
    tone: str = "info"

    def __str__(self) -> str:
        return self.text


@dataclass
class Block:
    """One piece of a section.

    ``kind`` is heading, text, code, alert (``tone`` info, ok, warn or bad), list (``rows`` of
    texts), pairs (``rows`` of (label, value)), table (``header`` and ``rows``; a cell may be a
    :class:`Badge`) or figure (a Plotly ``figure``; HTML only).
    """

    kind: str
    text: str = ""
    rows: list[Sequence[Any]] = field(default_factory=list)
    header: Sequence[str] = ()
    tone: str = "info"
    figure: go.Figure | None = None


@dataclass
class Section:
    """A titled part of a document (``key`` is its anchor in the HTML)."""

    key: str
    title: str
    blocks: list[Block]


@dataclass
class Document:
    """A whole report: title, a meta line, facts (label, value), sections, a footer.

    ``contents`` adds a table of contents (HTML) for long reports.
    """

    title: str
    lang: str
    sections: list[Section]
    meta: str = ""
    facts: Sequence[tuple[str, str]] = ()
    footer: str = ""
    contents: bool = False
