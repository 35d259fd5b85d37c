"""Errors a user can act on: they carry a catalog key, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class UserError(Exception):
    """A problem with the user's input, shown as a translated message.

    ``key`` is a message key of ``core.i18n``; ``params`` fill its placeholders.
    """

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    @property
    def msg(self) -> Any:
        """The error as a :class:`core.messages.Message` (to store, or to render later)."""
        from core.messages import Message

        return Message(self.key, dict(self.params))

    def message(self, lang: str, escape: Callable[[str], str] | None = None) -> str:
        """The message in ``lang``; ``escape`` (e.g. for Markdown) is applied to the text parameters."""
        return self.msg.text(lang, escape)

    def __str__(self) -> str:
        return self.message("en")
