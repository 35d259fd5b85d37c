"""The message catalog: both languages for every key, and every key used in code exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from core.i18n import LANGUAGES, catalog, fmt_money, t

ROOT = Path(__file__).resolve().parents[2]
_KEY = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")
_CALLS = {"t", "tr", "UserError", "has"}


def test_every_key_has_every_language():
    missing = {key: sorted(set(LANGUAGES) - {k for k, v in entry.items() if v.strip()})
               for key, entry in catalog().items()}
    assert {k: v for k, v in missing.items() if v} == {}


def test_placeholders_match_between_languages():
    field = re.compile(r"{(\w+)}")
    mismatched = [key for key, entry in catalog().items()
                  if set(field.findall(entry["en"])) != set(field.findall(entry["ja"]))]
    assert mismatched == []


def _literal_keys() -> set[str]:
    keys: set[str] = set()
    for folder in ("core", "ui", "pages"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                first = node.args[0]
                if name in _CALLS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                    if _KEY.match(first.value):
                        keys.add(first.value)
    keys.update(_literal_keys_in_app())
    return keys


def _literal_keys_in_app() -> set[str]:
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    return {n.args[0].value for n in ast.walk(tree) if isinstance(n, ast.Call) and n.args
            and getattr(n.func, "id", "") == "tr" and isinstance(n.args[0], ast.Constant)}


def test_every_literal_key_used_in_code_is_in_the_catalog():
    keys = _literal_keys()
    assert len(keys) > 50  # the scan really found the code's keys
    assert sorted(k for k in keys if k not in catalog()) == []


def test_translation_and_formatting():
    assert t("nav.business", "ja") == "1 ビジネス理解"
    assert t("home.created", "en", name="X") == "Project “X” created and opened."
    assert t("no.such.key", "ja") == "no.such.key"
    assert fmt_money(10_000_000, "JPY", "ja").endswith("10,000,000")
    assert fmt_money(1234.5, "USD", "en") == "$1,234.50"


def test_formatting_never_fails_on_extreme_values():
    assert fmt_money(None, "JPY", "ja") == "—"
    assert fmt_money(float("nan"), "USD", "en") == "—"
    assert fmt_money(float("inf"), "USD", "en") == "—"
    assert fmt_money(1e300, "JPY", "ja") == "1e+300 JPY"
    assert fmt_money(-5e30, "USD", "en") == "-5e+30 USD"
    from core.i18n import fmt_number

    assert fmt_number(1e27, "en") == "1e+27"
    assert fmt_number(1234.5678, "ja") == "1,234.57"
