"""The diagnosis on realistic columns (tests/data/columns): every column gets the proposal an expert expects."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from core.analyze import AnalysisReport, analyze
from core.analyze.checks_codes import code_evidence
from core.analyze.checks_privacy import kind_from_name, kind_from_values, luhn_valid
from core.analyze.profile import column_kind, name_tokens
from core.data import read_upload
from core.i18n import has, t

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "columns"
EXPECTED = tomllib.loads((FIXTURE / "expected.toml").read_text(encoding="utf-8"))
_TYPES = {"as_category": "category", "to_numeric": "number", "as_date": "date"}


def proposals(df: pd.DataFrame, report: AnalysisReport) -> dict[str, str]:
    """Each column's proposal as tags: how it is read, then ``id`` and ``personal:<kind>``."""
    base = {c: {"numeric": "number", "bool": "number", "datetime": "date"}.get(column_kind(df[c]), "text")
            for c in df.columns}
    tags: dict[str, list[str]] = {c: [] for c in df.columns}
    for rec in report.recommendations():
        if rec["action"] in _TYPES:
            base[rec["column"]] = _TYPES[rec["action"]]
    for f in report.by_check("id_like"):
        tags[f.params["column"]].append("id")
    for f in report.by_check("personal_data"):
        tags[f.params["column"]].append(f"personal:{f.params['kind']}")
    return {c: ", ".join([base[c], *tags[c]]) for c in df.columns}


@pytest.mark.parametrize("table", sorted(EXPECTED))
def test_every_column_gets_the_expected_proposal(table: str):
    case = EXPECTED[table]
    path = FIXTURE / f"{table}.csv"
    df = read_upload(path.read_bytes(), path.name).df
    assert sorted(case["expect"]) == sorted(c for c in df.columns if c != case["target"])  # every column listed
    got = proposals(df, analyze(df, case["target"]))
    wrong = {c: (got[c], want) for c, want in case["expect"].items() if got[c] != want}
    assert wrong == {}, "column: (proposed, expected)"


def test_code_findings_name_their_evidence_in_both_languages():
    path = FIXTURE / "retail_sales.csv"
    df = read_upload(path.read_bytes(), path.name).df
    found = {f.params["column"]: f for f in analyze(df, "Weekly Sales").by_check("numeric_codes")}
    assert {c: f.params["evidence"] for c, f in found.items()} == {
        "Region Code": "name", "Branch": "fixed_width", "Tender": "scattered", "Postal Code": "name"}
    branch = found["Branch"]
    assert branch.message_key == "analyze.numeric_codes.fixed_width" and branch.params["digits"] == 4
    for f in found.values():
        assert has(f.message_key)
        for lang in ("en", "ja"):
            text = t(f.message_key, lang, **f.params)
            assert f.params["column"] in text and "{" not in text
    assert found["Tender"].question["key"] == "analyze.question.code_or_quantity"


@pytest.mark.parametrize(("name", "values", "expected"), [
    ("Area Code", [408, 415, 510] * 40, "name"),
    ("zone", [408, 415, 510] * 40, "fixed_width"),
    ("zone", [408, 415, 510] * 2, None),               # each level seen twice: too few rows to call it a code
    ("Night Calls", [408, 415, 510] * 40, None),       # a count, whatever the values
    ("steps", list(range(0, 2001, 100)) * 10, None),   # round amounts on a grid
    ("pool", [0] * 90 + [480, 512, 555] * 5, None),    # mostly zero: an amount that is usually none
    ("year", [2006, 2007, 2008, 2010] * 30, None),
    ("delta", [-5, 40, 700] * 40, None),               # negative values are not codes
    ("flag", [1, 40, 700] * 40, "scattered"),
    ("rating", list(range(1, 11)) * 20, None),
])
def test_a_number_is_a_code_only_with_evidence(name, values, expected):
    series = pd.Series(values)
    assert code_evidence(name, series, series.nunique()) == expected


@pytest.mark.parametrize(("name", "kind"), [
    ("3SsnPorch", None), ("customer_ssn", "national_id"), ("SSN", "national_id"), ("EnclosedPorch", None),
    ("Hotel", None), ("tel", "phone"), ("Phone2", "phone"), ("VMail Message", None), ("e-mail", "email"),
    ("Card Number", "card_number"), ("Card Type", None), ("first_name", "name"), ("product_name", None),
    ("CustomerEmail", "email"), ("住所", "address"), ("電話番号", "phone"),
])
def test_personal_data_names_are_matched_by_whole_words(name, kind):
    assert kind_from_name(name) == kind


def test_personal_data_by_content():
    assert kind_from_values(pd.Series(["123-45-6789", "987-65-4321"] * 10)) == "national_id"
    assert kind_from_values(pd.Series(["382-4657", "415-0011"] * 10)) == "phone"
    assert kind_from_values(pd.Series(["4111 1111 1111 1111", "5500-0000-0000-0004"] * 10)) == "card_number"
    assert kind_from_values(pd.Series(["4111 1111 1111 1112"] * 10)) is None  # fails the Luhn check
    assert luhn_valid("79927398713") and not luhn_valid("79927398710")
    assert name_tokens("3SsnPorch") == ["3ssn", "porch"] and name_tokens("CustomerID") == ["customer", "id"]


def test_card_numbers_stored_as_whole_numbers_are_found():
    df = pd.DataFrame({"acct": [4111111111111111, 5500000000000004, 4012888888881881, 378282246310005] * 10,
                       "amount": range(40), "y": [0, 1] * 20})
    kinds = {f.params["column"]: f.params["kind"] for f in analyze(df, "y").by_check("personal_data")}
    assert kinds == {"acct": "card_number"}
