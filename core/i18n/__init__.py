"""Message catalog (English and Japanese) and locale-aware formatting.

Catalog files live in ``core/i18n/catalog/*.toml``; each table is one key with an
``en`` and a ``ja`` string, e.g.::

    [home.title]
    en = "Projects"
    ja = "プロジェクト"

Strings may contain ``{name}`` placeholders filled by :func:`t`.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.numbers import format_currency, format_decimal, format_percent

LANGUAGES: tuple[str, ...] = ("en", "ja")
DEFAULT_LANGUAGE = "en"
DEFAULT_CURRENCY = {"en": "USD", "ja": "JPY"}
_LOCALES = {"en": "en_US", "ja": "ja_JP"}
_CATALOG_DIR = Path(__file__).parent / "catalog"


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, dict[str, str]]) -> None:
    """Turn nested TOML tables into dotted keys whose leaves hold en/ja strings."""
    if any(lang in table for lang in LANGUAGES) and all(isinstance(v, str) for v in table.values()):
        out[prefix] = dict(table)
        return
    for name, value in table.items():
        if isinstance(value, dict):
            _flatten(f"{prefix}.{name}" if prefix else name, value, out)
        else:
            raise ValueError(f"catalog entry {prefix}.{name} is not a table of languages")


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """All messages, keyed by dotted key, each a mapping language → text."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(_CATALOG_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        part: dict[str, dict[str, str]] = {}
        _flatten("", data, part)
        dup = set(part) & set(out)
        if dup:
            raise ValueError(f"duplicate catalog keys in {path.name}: {sorted(dup)}")
        out.update(part)
    return out


def normalise_language(lang: str | None) -> str:
    """Return a supported language code, falling back to the default."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """Translate ``key`` into ``lang`` and fill ``{placeholders}`` from ``params``."""
    entry = catalog().get(key)
    if entry is None:
        return key
    text = entry.get(normalise_language(lang)) or entry.get(DEFAULT_LANGUAGE, key)
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def t_escaped(key: str, lang: str, escape: Callable[[str], str] | None, **params: Any) -> str:
    """Like :func:`t`, with every text parameter passed through ``escape`` first (numbers untouched).

    For messages that carry user text (a name, a column) into Markdown: the catalog's own
    formatting stays, the user's text is shown as typed.
    """
    if escape is not None:
        params = {k: escape(v) if isinstance(v, str) else v for k, v in params.items()}
    return t(key, lang, **params)


def has(key: str) -> bool:
    """Whether the catalog knows ``key``."""
    return key in catalog()


def locale_of(lang: str) -> str:
    """Babel locale name for a UI language."""
    return _LOCALES[normalise_language(lang)]


def _unformattable(value: float | None) -> bool:
    """Missing, not finite, or beyond what Babel's decimal context can format."""
    if value is None:
        return True
    try:
        number = float(value)
    except (TypeError, ValueError):
        return True
    return not math.isfinite(number) or abs(number) >= 1e24


def fmt_money(amount: float | None, currency: str, lang: str, digits: int | None = None) -> str:
    """Format money in the UI language (e.g. ¥10,000,000 or $1,234.50); never fails.

    Missing or non-finite amounts show as '—'; astronomically large ones in scientific notation.
    """
    if _unformattable(amount):
        return "—" if amount is None or not math.isfinite(float(amount)) else f"{float(amount):.3g} {currency}"
    if digits is None:
        return format_currency(amount, currency, locale=locale_of(lang))
    pattern = "¤#,##0" + ("." + "0" * digits if digits else "")
    return format_currency(amount, currency, format=pattern, locale=locale_of(lang), currency_digits=False)


def fmt_number(value: float | None, lang: str, digits: int = 2) -> str:
    """Format a number with grouping, at most ``digits`` decimals; never fails (see fmt_money)."""
    if _unformattable(value):
        return "—" if value is None or not math.isfinite(float(value)) else f"{float(value):.3g}"
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale_of(lang))


def fmt_percent(value: float | None, lang: str, digits: int = 1) -> str:
    """Format a ratio (0.25) as a percentage (25%)."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(value, format=pattern, locale=locale_of(lang))


def fmt_threshold(value: float | None, lang: str) -> str:
    """A probability threshold with the digits it needs: 0.50, 0.18, 0.0025 (two significant digits below 0.1)."""
    if value is None or not math.isfinite(float(value)):
        return "—"
    number = float(value)
    digits = 2 if number <= 0 or number >= 0.1 else min(8, 1 - math.floor(math.log10(number)))
    if number > 1:
        return "> " + format_decimal(1, format="0.00", locale=locale_of(lang))
    return format_decimal(number, format="0." + "0" * digits, locale=locale_of(lang))


def fmt_cost(amount: float | None, currency: str, lang: str) -> str:
    """A cost per case: like :func:`fmt_money`, with cents (sen) below 10 units, where rounding would hide it."""
    if amount is None or not math.isfinite(float(amount)):
        return "—"
    small = abs(float(amount)) < 10 and float(amount) != round(float(amount))
    return fmt_money(amount, currency, lang, digits=2 if small else None)
