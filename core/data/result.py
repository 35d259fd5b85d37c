"""The outcome of an import: a DataFrame plus what was detected on the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

Warning_ = tuple[str, dict[str, Any]]


@dataclass
class ImportResult:
    """A parsed table and how it was read.

    ``warnings`` holds ``(message_key, params)`` pairs for ``core.i18n.t``.
    """

    df: pd.DataFrame
    source_kind: str
    encoding: str | None = None
    delimiter: str | None = None
    has_header: bool = True
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    truncated: bool = False
    warnings: list[Warning_] = field(default_factory=list)

    def warn(self, key: str, **params: Any) -> None:
        """Add a warning shown to the user after the import."""
        self.warnings.append((key, params))
