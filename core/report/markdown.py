"""A :class:`~core.report.document.Document` as Markdown, for slides, chats and e-mails.

User text is escaped with :func:`core.messages.escape_markdown` so it shows as typed; a
:class:`~core.report.document.Phrase` brings its own Markdown form (its parameters escaped,
the catalog's wording kept). Charts are left to the HTML form.
"""

from __future__ import annotations

from typing import Any

from core.messages import escape_markdown, markdown_line
from core.report.document import Block, Document, Phrase


def _line(text: Any) -> str:
    """Text for one line (a heading, a list item, a table cell): line breaks folded to " / "."""
    if isinstance(text, Phrase):
        return " / ".join(part.strip() for part in text.markdown.splitlines() if part.strip())
    return markdown_line(text)


def _paragraph(text: Any) -> str:
    """Text for a paragraph: its line breaks kept, and lines typed as "- …" kept as a list."""
    if isinstance(text, Phrase):
        return text.markdown
    lines = (line.strip() for line in str(text).splitlines())
    return "  \n".join("- " + escape_markdown(line[2:]) if line.startswith("- ") else escape_markdown(line)
                       for line in lines)


def _code(text: str) -> str:
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _block(block: Block) -> list[str]:
    kind = block.kind
    if kind == "heading":
        return [f"### {_line(block.text)}", ""]
    if kind == "text":
        return [_paragraph(block.text), ""]
    if kind == "code":
        return [_code(block.text), ""]
    if kind == "alert":
        return [f"> **{_line(block.text)}**", ""]
    if kind == "list":
        return [f"- {_line(row)}" for row in block.rows] + [""]
    if kind == "pairs":
        return [f"- **{_line(k)}:** {_line(v)}" for k, v in block.rows] + [""]
    if kind == "table":
        lines = ["| " + " | ".join(_line(h) for h in block.header) + " |", "|" + "---|" * len(block.header)]
        return lines + ["| " + " | ".join(_line(c) or " " for c in row) + " |" for row in block.rows] + [""]
    return []  # figures are in the HTML form only


def render_markdown(doc: Document) -> str:
    """The document as Markdown (charts are in the HTML form only)."""
    lines = [f"# {_line(doc.title)}", ""]
    if doc.meta:
        lines += [_line(doc.meta), ""]
    if doc.facts:
        lines += [f"**{_line(k)}:** {_line(v)}  " for k, v in doc.facts] + [""]
    for section in doc.sections:
        lines += [f"## {_line(section.title)}", ""]
        for block in section.blocks:
            lines += _block(block)
    if doc.footer:
        lines += ["---", "", _paragraph(doc.footer)]
    return "\n".join(lines).rstrip() + "\n"
