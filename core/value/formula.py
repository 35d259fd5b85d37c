"""Safe evaluation of value formulas and their data model.

A value formula is arithmetic over named parameters, for example
``(workers_before * hours_before - workers_after * hours_after) * hourly_pay``.
Only numbers, parameter names, ``+ - * /``, unary minus/plus and parentheses are
allowed; ``×`` / ``÷``, the minus sign ``−`` and full-width characters (``（２０－２）``)
are accepted and normalised first. The text is parsed with :mod:`ast` and the tree is
checked against a whitelist before anything is computed; nothing is ever passed to
``eval``/``exec``. Every problem is a :class:`core.errors.UserError` with its own key.
"""

from __future__ import annotations

import ast
import keyword
import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Mapping

from core.errors import UserError
from core.value import _serial as serial

MAX_FORMULA_LENGTH = 500
MAX_DEPTH = 40
CONFIDENCES: tuple[str, ...] = ("estimate", "agreed", "measured")
PERIODS: tuple[str, ...] = ("day", "month", "year")
MONEY_UNIT = "money"
"""``unit_label`` of a formula whose result is money in the goal's currency."""

_CHAR_MAP = str.maketrans({"×": "*", "÷": "/", "−": "-", "–": "-", "‐": "-"})
_OPERATORS: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


def normalise_expression(expr: str) -> str:
    """Full-width to ASCII (NFKC), ``×``/``÷``/``−`` to ``*``/``/``/``-``, trimmed."""
    return unicodedata.normalize("NFKC", expr).translate(_CHAR_MAP).strip()


def normalise_name(name: str) -> str:
    """A parameter name as the parser sees it (NFKC, trimmed)."""
    return unicodedata.normalize("NFKC", name).strip()


def is_valid_name(name: str) -> bool:
    """Letters (any script), digits and ``_``; not starting with a digit or ``_``."""
    name = normalise_name(name)
    return name.isidentifier() and not name.startswith("_") and not keyword.iskeyword(name)


# --------------------------------------------------------------------------- parsing


def _check_text(expr: str) -> str:
    """Normalise and apply the cheap textual checks (empty, length, parentheses)."""
    text = normalise_expression(expr or "")
    if not text:
        raise UserError("value.formula.empty")
    if len(text) > MAX_FORMULA_LENGTH:
        raise UserError("value.formula.too_long", limit=MAX_FORMULA_LENGTH)
    depth = deepest = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
        if depth < 0:
            break
    if depth != 0:
        raise UserError("value.formula.unbalanced")
    if deepest > MAX_DEPTH:
        raise UserError("value.formula.too_deep", limit=MAX_DEPTH)
    if "," in text:
        raise UserError("value.formula.comma")
    return text


def _forbidden(text: str, node: ast.AST) -> UserError:
    """The error for a construct outside the whitelist, quoting the offending part."""
    part = ast.get_source_segment(text, node) or type(node).__name__
    return UserError("value.formula.forbidden", part=part)


def _check_node(text: str, node: ast.AST, depth: int) -> None:
    """Walk the tree, accepting only whitelisted node types."""
    if depth > MAX_DEPTH:
        raise UserError("value.formula.too_deep", limit=MAX_DEPTH)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        _check_node(text, node.left, depth + 1)
        _check_node(text, node.right, depth + 1)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        _check_node(text, node.operand, depth + 1)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise _forbidden(text, node)
    elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        if node.id.startswith("_"):
            raise _forbidden(text, node)
    else:
        raise _forbidden(text, node)


def parse_formula(expr: str) -> ast.expr:
    """Parse and whitelist-check ``expr``; return the expression tree."""
    text = _check_text(expr)
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
        position = getattr(exc, "offset", None) or 0
        raise UserError("value.formula.syntax", position=position) from None
    _check_node(text, tree.body, 0)
    return tree.body


def formula_names(expr: str) -> set[str]:
    """The parameter names used in ``expr`` (raises UserError if it is invalid)."""
    body = parse_formula(expr)
    return {node.id for node in ast.walk(body) if isinstance(node, ast.Name)}


# --------------------------------------------------------------------------- evaluation


def _finite(value: float) -> float:
    """Return ``value`` or raise if it is infinite / NaN."""
    if not math.isfinite(value):
        raise UserError("value.formula.not_finite")
    return value


def _to_float(value: Any) -> float:
    """Convert a literal or parameter value to a finite float."""
    try:
        return _finite(float(value))
    except OverflowError:
        raise UserError("value.formula.not_finite") from None


def _binop(op: ast.operator, left: float, right: float) -> float:
    """Apply one whitelisted operator."""
    if isinstance(op, ast.Add):
        return _finite(left + right)
    if isinstance(op, ast.Sub):
        return _finite(left - right)
    if isinstance(op, ast.Mult):
        return _finite(left * right)
    if right == 0:
        raise UserError("value.formula.division_by_zero")
    return _finite(left / right)


def _eval_node(node: ast.expr, values: Mapping[str, float]) -> float:
    """Evaluate an already whitelisted tree."""
    if isinstance(node, ast.Constant):
        return _to_float(node.value)
    if isinstance(node, ast.Name):
        if node.id not in values:
            raise UserError("value.formula.unknown_name", name=node.id)
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _eval_node(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    assert isinstance(node, ast.BinOp)
    return _binop(node.op, _eval_node(node.left, values), _eval_node(node.right, values))


def _clean_values(values: Mapping[str, Any]) -> dict[str, float]:
    """Normalise names and convert values; a missing value is an error."""
    out: dict[str, float] = {}
    for name, value in values.items():
        if value is None:
            raise UserError("value.formula.missing_value", name=name)
        try:
            out[normalise_name(name)] = _to_float(value)
        except (TypeError, ValueError):
            raise UserError("value.formula.bad_value", name=name) from None
    return out


def evaluate_expression(expr: str, values: Mapping[str, Any]) -> float:
    """Evaluate ``expr`` with parameter ``values`` (name → number)."""
    return _eval_node(parse_formula(expr), _clean_values(values))


# --------------------------------------------------------------------------- data model


def _choice(value: Any, allowed: tuple[str, ...], key: str) -> str:
    """Check an enumerated field, raising a UserError naming the allowed values."""
    if value not in allowed:
        raise UserError(key, value=value, allowed=", ".join(allowed))
    return value


@dataclass
class Parameter:
    """One named input of a value formula and who owns (can change or confirm) it."""

    name: str
    value: float | None = None
    unit: str = ""
    owner: str = ""
    confidence: str = "estimate"
    note: str = ""

    def __post_init__(self) -> None:
        self.name = normalise_name(self.name)
        if not is_valid_name(self.name):
            raise UserError("value.formula.bad_name", name=self.name)
        _choice(self.confidence, CONFIDENCES, "value.error.bad_confidence")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"name": self.name, "value": self.value, "unit": self.unit, "owner": self.owner,
                "confidence": self.confidence, "note": self.note}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Parameter:
        """Build from :meth:`to_dict` output; unknown confidence falls back to estimate."""
        return cls(name=serial.text(data, "name"), value=serial.opt_float(data.get("value")),
                   unit=serial.text(data, "unit"), owner=serial.text(data, "owner"),
                   confidence=serial.choice(data, "confidence", CONFIDENCES, "estimate"),
                   note=serial.text(data, "note"))


@dataclass
class ValueFormula:
    """A named value formula: the expression, its parameters and the period it covers."""

    name: str
    expression: str
    parameters: list[Parameter] = field(default_factory=list)
    period: str = "day"
    unit_label: str = MONEY_UNIT

    def __post_init__(self) -> None:
        _choice(self.period, PERIODS, "value.error.bad_period")

    @property
    def is_money(self) -> bool:
        """Whether the result is money (as opposed to e.g. hours saved)."""
        return self.unit_label == MONEY_UNIT

    def values(self) -> dict[str, float | None]:
        """Parameter name → value."""
        return {p.name: p.value for p in self.parameters}

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name`` (UserError if there is none)."""
        for param in self.parameters:
            if param.name == normalise_name(name):
                return param
        raise UserError("value.formula.unknown_name", name=name)

    def names(self) -> set[str]:
        """Parameter names used by the expression."""
        return formula_names(self.expression)

    def unused_parameters(self) -> list[str]:
        """Parameters defined but not used by the expression."""
        used = self.names()
        return [p.name for p in self.parameters if p.name not in used]

    def evaluate(self, overrides: Mapping[str, float] | None = None) -> float:
        """Value per ``period``; ``overrides`` replace parameter values (what-if)."""
        values: dict[str, Any] = dict(self.values())
        for name, value in (overrides or {}).items():
            if normalise_name(name) not in values:
                raise UserError("value.formula.unknown_name", name=name)
            values[normalise_name(name)] = value
        used = self.names()
        return evaluate_expression(self.expression, {k: v for k, v in values.items() if k in used})

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"name": self.name, "expression": self.expression,
                "parameters": [p.to_dict() for p in self.parameters],
                "period": self.period, "unit_label": self.unit_label}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ValueFormula:
        """Build from :meth:`to_dict` output, tolerating missing keys."""
        return cls(name=serial.text(data, "name"), expression=serial.text(data, "expression"),
                   parameters=serial.items(data, "parameters", Parameter.from_dict),
                   period=serial.choice(data, "period", PERIODS, "day"),
                   unit_label=serial.text(data, "unit_label") or MONEY_UNIT)
