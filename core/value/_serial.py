"""Tolerant readers for loading saved JSON (old files may lack keys or hold odd values)."""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping, TypeVar

T = TypeVar("T")


def opt_float(value: Any) -> float | None:
    """A finite float, or None when missing or not a finite number."""
    try:
        out = None if value is None or isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        return None
    return out if out is not None and math.isfinite(out) else None


def text(data: Mapping[str, Any], key: str, default: str = "") -> str:
    """A string field ('' for missing or null)."""
    value = data.get(key, default)
    return default if value is None else str(value)


def choice(data: Mapping[str, Any], key: str, allowed: tuple[str, ...], default: str) -> str:
    """An enumerated field, falling back to ``default`` when unknown."""
    value = data.get(key, default)
    return value if value in allowed else default


def items(data: Mapping[str, Any], key: str, build: Callable[[Mapping[str, Any]], T]) -> list[T]:
    """A list of nested records, skipping entries that are not mappings."""
    return [build(x) for x in data.get(key) or [] if isinstance(x, Mapping)]


def nested(data: Mapping[str, Any], key: str, build: Callable[[Mapping[str, Any]], T]) -> T | None:
    """An optional nested record."""
    value = data.get(key)
    return build(value) if isinstance(value, Mapping) else None
