"""Personal-data suspects: e-mail addresses, phone numbers and name-like column names."""

from __future__ import annotations

import re

import pandas as pd

from core.analyze.profile import CATEGORICAL, ColumnProfile, name_tokens, text_values
from core.analyze.report import WARNING, Finding

VALUE_SHARE = 0.8
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
_PHONE = re.compile(r"^(\+\d{1,3}[\s-]?)?(\(?\d{2,5}\)?[\s-])?\d{2,4}[\s-]\d{3,4}$")
_NAME_TOKENS = {
    "email": "email", "mail": "email", "phone": "phone", "tel": "phone", "telephone": "phone",
    "mobile": "phone", "fax": "phone", "address": "address", "addr": "address",
    "birthday": "birth_date", "birthdate": "birth_date", "dob": "birth_date", "ssn": "national_id",
    "passport": "national_id", "surname": "name", "firstname": "name", "lastname": "name",
    "fullname": "name", "username": "name",
}
_NAME_PARTNERS = {"first", "last", "full", "given", "family", "middle", "customer", "user", "person",
                  "contact", "client", "member", "patient", "employee"}
_JAPANESE_PARTS = {
    "氏名": "name", "名前": "name", "フリガナ": "name", "ふりがな": "name", "電話": "phone",
    "携帯番号": "phone", "メールアドレス": "email", "メアド": "email", "住所": "address",
    "生年月日": "birth_date", "誕生日": "birth_date", "マイナンバー": "national_id", "個人番号": "national_id",
}
_JAPANESE_EXACT = {"姓": "name", "名": "name", "メール": "email", "Eメール": "email", "電子メール": "email",
                   "携帯": "phone"}


def kind_from_name(name: str) -> str | None:
    """Personal-data kind suggested by a column name (English or Japanese), or None."""
    tokens = name_tokens(name)
    for tok in tokens:
        if tok in _NAME_TOKENS:
            return _NAME_TOKENS[tok]
    if "name" in tokens and (len(tokens) == 1 or set(tokens) & _NAME_PARTNERS):
        return "name"
    if "birth" in tokens:
        return "birth_date"
    text = str(name).strip()
    if text in _JAPANESE_EXACT:
        return _JAPANESE_EXACT[text]
    return next((kind for word, kind in _JAPANESE_PARTS.items() if word in text), None)


def kind_from_values(values: pd.Series) -> str | None:
    """``email`` or ``phone`` when most sampled values match the pattern."""
    if values.empty:
        return None
    if values.str.match(_EMAIL).mean() >= VALUE_SHARE:
        return "email"
    if values.str.match(_PHONE).mean() >= VALUE_SHARE:
        return "phone"
    return None


def check_personal_data(sample: pd.DataFrame, profiles: dict[str, ColumnProfile]) -> list[Finding]:
    """Columns that may hold personal data; each becomes a question for the IT auditor."""
    out = []
    for p in profiles.values():
        kind = kind_from_name(p.name)
        if kind is None and p.kind == CATEGORICAL:
            kind = kind_from_values(text_values(sample[p.name], limit=500))
        if kind is None:
            continue
        params = {"column": p.name, "kind": kind}
        out.append(Finding("personal_data", WARNING, f"analyze.personal_data.{kind}", params,
                           question={"role": "it_auditor", "key": "analyze.question.personal_data",
                                     "params": params}))
    return out
