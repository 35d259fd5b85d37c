"""Messages a user reads: one type, stored and loaded the same way everywhere, and one Markdown escaper.

A :class:`Message` is a catalog key (``core.i18n``) with its parameters. It is what a
``UserError`` carries, what a guard finding, a verdict reason or a failed job stores (as
``{"key": …, "params": …}``), and what a page or a report puts into words in the reader's
language. User text inside it (names, columns, values) stays data until it is rendered; an
``escape`` function passed to :meth:`Message.text` is applied to the text parameters only, so
the catalog's own formatting stays.

:func:`escape_markdown` is the one escaper for Markdown (pages, Markdown exports): every
character Markdown or its HTML could read as markup gets a backslash, so user text shows as
typed. :func:`markdown_line` also folds line breaks, for table cells and list items.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

_MARKUP = re.compile(r"([\\`*_{}\[\]<>|~$#!])")
_SHORTCODE = re.compile(r":(?=[\w/+\-]+:)")  # Streamlit's :emoji: and :material/icon: codes
_LINE_START = re.compile(r"^(\s*)(?:([-+=](?=\s|$)|>)|(\d+)([.)])(?=\s|$))", re.M)  # lists, quotes, headings


def escape_markdown(text: Any) -> str:
    """User text for Markdown: markup escaped, so it shows exactly as typed.

    Characters that are markup anywhere (emphasis, code, links, HTML, tables, math, headings) are
    escaped everywhere; list, quote and heading markers only where they count, at the start of a
    line, and a colon only where it would open an emoji or icon code. Dates, decimals and plain
    sentences stay readable in an exported Markdown file.
    """
    out = _SHORTCODE.sub(r"\\:", _MARKUP.sub(r"\\\1", str(text)))
    return _LINE_START.sub(lambda m: m.group(1) + (f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}"),
                           out)


def markdown_line(text: Any) -> str:
    """User text for one Markdown line (a table cell, a list item): escaped, line breaks folded to " / "."""
    return " / ".join(escape_markdown(line.strip()) for line in str(text).splitlines() if line.strip())


@dataclass(frozen=True)
class Message:
    """A catalog key and the values of its placeholders."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en", escape: Callable[[str], str] | None = None) -> str:
        """The message in ``lang``; ``escape`` (e.g. :func:`escape_markdown`) is applied to text parameters."""
        from core.i18n import t_escaped

        return t_escaped(self.key, lang, escape, **self.params)

    def markdown(self, lang: str) -> str:
        """The message for Markdown: its user text escaped, the catalog's formatting kept."""
        return self.text(lang, escape_markdown)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready ``{"key", "params"}`` (how every stored message looks)."""
        return {"key": self.key, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Message:
        """Inverse of :meth:`to_dict` (tolerant: missing params are empty)."""
        return cls(str(data.get("key") or ""), dict(data.get("params") or {}))

    @classmethod
    def of(cls, value: Any) -> Message | None:
        """A message from whatever carries one: a Message, a UserError, a stored dict or its JSON text, a
        ``(key, params)`` pair, or a bare key; None for nothing."""
        if value is None or value == "" or value == {}:
            return None
        if isinstance(value, Message):
            return value
        if isinstance(getattr(value, "msg", None), Message):  # UserError, GuardIssue
            return value.msg
        if isinstance(value, Mapping):
            return cls.from_dict(value)
        if isinstance(value, tuple) and len(value) == 2:
            return cls(str(value[0]), dict(value[1] or {}))
        if isinstance(value, str):
            try:
                loaded = json.loads(value)
            except ValueError:
                return cls(value)
            return cls.of(loaded) if isinstance(loaded, Mapping) else cls(value)
        raise TypeError(f"not a message: {type(value).__name__}")
