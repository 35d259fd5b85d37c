"""Personal-data suspects, by content (e-mail, phone, national ID and card numbers) and by whole words
of column names (English and Japanese): "ssn" is a word in "customer_ssn", never inside "3SsnPorch"."""

from __future__ import annotations

import re

import pandas as pd

from core.analyze.profile import CATEGORICAL, NUMERIC, ColumnProfile, name_tokens, name_words, text_values
from core.analyze.report import WARNING, Finding

VALUE_SHARE = 0.8
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
_PHONE = re.compile(r"^(\+\d{1,3}[\s-]?)?(\(?\d{2,5}\)?[\s-])?\d{2,4}[\s-]\d{3,4}$")
_SSN = re.compile(r"^\d{3}-\d{2}-\d{4}$")  # a US social security number (looks like a phone number too)
_CARD = re.compile(r"^\d{4}([ -]?\d{4}){2}[ -]?\d{1,7}$")
_NAME_TOKENS = {
    "email": "email", "mail": "email", "phone": "phone", "tel": "phone", "telephone": "phone",
    "mobile": "phone", "fax": "phone", "address": "address", "addr": "address",
    "birthday": "birth_date", "birthdate": "birth_date", "dob": "birth_date", "ssn": "national_id",
    "passport": "national_id", "surname": "name", "firstname": "name", "lastname": "name",
    "fullname": "name", "username": "name",
}
_POSTAL = {"zip", "zipcode", "postal", "postcode"}
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
    tokens, words = name_tokens(name), name_words(name)
    for tok in tokens:  # whole words only, in order; "Phone2" is still a phone
        kind = _NAME_TOKENS.get(tok) or _NAME_TOKENS.get(tok.rstrip("0123456789"))
        if kind:
            return kind
    if "name" in words and (len(tokens) == 1 or words & _NAME_PARTNERS):
        return "name"
    if "birth" in words:
        return "birth_date"
    if "card" in words and words & {"number", "no", "num"}:
        return "card_number"
    text = str(name).strip()
    if text in _JAPANESE_EXACT:
        return _JAPANESE_EXACT[text]
    return next((kind for word, kind in _JAPANESE_PARTS.items() if word in text), None)


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check every payment card number passes."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card_share(values: pd.Series) -> float:
    """Share of values that are 13–19 digits (spaces or dashes allowed) passing the Luhn check."""
    shaped = values[values.str.match(_CARD)].str.replace(r"[ -]", "", regex=True)
    valid = shaped[shaped.str.len().between(13, 19)].map(luhn_valid)
    return float(valid.sum()) / len(values)


def kind_from_values(values: pd.Series) -> str | None:
    """``email``, ``national_id``, ``card_number`` or ``phone`` when most sampled values match the pattern."""
    if values.empty:
        return None
    for kind, pattern in (("email", _EMAIL), ("national_id", _SSN)):
        if values.str.match(pattern).mean() >= VALUE_SHARE:
            return kind
    if _card_share(values) >= VALUE_SHARE:
        return "card_number"
    if values.str.match(_PHONE).mean() >= VALUE_SHARE:
        return "phone"
    return None


def _content(sample: pd.DataFrame, p: ColumnProfile) -> str | None:
    """The kind suggested by a column's values: text patterns, or whole numbers that are card numbers."""
    if p.kind == CATEGORICAL:
        return kind_from_values(text_values(sample[p.name], limit=500))
    if p.kind == NUMERIC and p.integral:
        values = sample[p.name].dropna()
        values = values.sample(500, random_state=0) if len(values) > 500 else values
        text = values.astype("int64").astype(str) if len(values) and values.abs().max() < 2**63 else None
        if text is not None and _card_share(text) >= VALUE_SHARE:
            return "card_number"
    return None


def check_personal_data(sample: pd.DataFrame, profiles: dict[str, ColumnProfile]) -> list[Finding]:
    """Columns that may hold personal data; each becomes a question for the IT auditor."""
    out = []
    for p in profiles.values():
        postal = bool(name_words(p.name) & _POSTAL) or "郵便" in str(p.name)  # 150-0001 is shaped like a phone number
        kind = (None if postal else _content(sample, p)) or kind_from_name(p.name)
        if kind is None:
            continue
        params = {"column": p.name, "kind": kind}
        out.append(Finding("personal_data", WARNING, f"analyze.personal_data.{kind}", params,
                           question={"role": "it_auditor", "key": "analyze.question.personal_data",
                                     "params": params}))
    return out
