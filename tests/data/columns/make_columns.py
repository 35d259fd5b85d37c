"""Write the realistic-columns fixture: four business tables in the style of public datasets.

Run ``python tests/data/columns/make_columns.py`` to rewrite the CSVs next to this file. The data
is our own (fixed seeds, no download): column names and value shapes follow what public house
sales, telecom churn, retail and credit tables look like, including the cases a careless
diagnosis gets wrong (areas that are mostly zero, counts in steps of 100, "3SsnPorch", US phone
numbers, Japanese postal codes). ``expected.toml`` holds the proposal expected for each column.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

N = 400
HERE = Path(__file__).resolve().parent


def mostly_zero(rng: np.random.Generator, share_zero: float, values: np.ndarray) -> np.ndarray:
    """``share_zero`` zeros, the other rows drawn from ``values``."""
    return np.where(rng.random(N) < share_zero, 0, rng.choice(values, N))


def luhn_number(rng: np.random.Generator, prefix: str = "4") -> str:
    """A 16-digit card number (spaced in fours) with a valid Luhn check digit."""
    body = prefix + "".join(str(d) for d in rng.integers(0, 10, 15 - len(prefix)))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    digits = body + str((10 - total % 10) % 10)
    return " ".join(digits[i:i + 4] for i in range(0, 16, 4))


def house_sales(rng: np.random.Generator) -> pd.DataFrame:
    """Ames-style house sales."""
    area = rng.lognormal(7.3, 0.3, N).round().astype(int)
    qual = rng.integers(1, 11, N)
    built = rng.integers(1880, 2011, N)
    price = (30_000 + 55 * area + 9_000 * qual + 400 * (built - 1880)) * rng.lognormal(0, 0.18, N)
    frontage = rng.normal(70, 20, N).clip(21).round()
    frontage[rng.random(N) < 0.15] = np.nan
    return pd.DataFrame({
        "Id": np.arange(1, N + 1),
        "MSSubClass": rng.choice([20, 30, 45, 50, 60, 70, 80, 90, 120, 160, 190], N),
        "MSZoning": rng.choice(["RL", "RM", "FV", "RH", "C (all)"], N, p=[0.75, 0.15, 0.05, 0.03, 0.02]),
        "LotFrontage": frontage,
        "LotArea": rng.lognormal(9.1, 0.4, N).round().astype(int),
        "OverallQual": qual,
        "YearBuilt": built,
        "YrSold": rng.integers(2006, 2011, N),
        "MoSold": rng.integers(1, 13, N),
        "TotalBsmtSF": np.where(rng.random(N) < 0.03, 0, (area * rng.uniform(0.5, 1.0, N)).round()).astype(int),
        "1stFlrSF": (area * rng.uniform(0.55, 0.8, N)).round().astype(int),
        "GrLivArea": area,
        "BedroomAbvGr": rng.integers(0, 7, N),
        "GarageCars": rng.integers(0, 5, N),
        "PoolArea": mostly_zero(rng, 0.99, np.array([480, 512, 519, 555, 576, 648, 738])),
        "3SsnPorch": mostly_zero(rng, 0.97, rng.integers(20, 510, 20)),
        "ScreenPorch": mostly_zero(rng, 0.92, rng.integers(60, 300, 40)),
        "MiscVal": mostly_zero(rng, 0.96, np.array([400, 450, 500, 600, 700, 1200, 2000, 2500])),
        "ZipCode": rng.choice([50010, 50011, 50012, 50013, 50014], N),
        "DateListed": rng.permutation(pd.date_range("2006-01-02", periods=N, freq="D").strftime("%Y-%m-%d")),
        "SalePrice": price.round(-2).astype(int),
    })


def telecom_churn(rng: np.random.Generator) -> pd.DataFrame:
    """Telecom churn in the style of the classic public data."""
    mins = rng.normal(180, 50, N).clip(0).round(1)
    calls = rng.poisson(1.6, N).clip(0, 9)
    churn = rng.random(N) < 1 / (1 + np.exp(-(-3 + 0.01 * (mins - 180) + 0.5 * calls)))
    return pd.DataFrame({
        "State": rng.choice(["KS", "OH", "NJ", "OK", "AL", "MA", "MO", "WV"], N),
        "Account Length": rng.integers(1, 240, N),
        "Area Code": rng.choice([408, 415, 510], N, p=[0.25, 0.5, 0.25]),
        "Phone": [f"{a}-{b:04d}" for a, b in zip(rng.integers(327, 423, N), rng.permutation(N) * 23 % 10_000)],
        "Intl Plan": rng.choice(["yes", "no"], N, p=[0.1, 0.9]),
        "VMail Plan": rng.choice(["yes", "no"], N, p=[0.28, 0.72]),
        "VMail Message": mostly_zero(rng, 0.72, np.arange(10, 52)),
        "Day Mins": mins,
        "Day Calls": rng.normal(100, 20, N).round().astype(int),
        "Night Calls": rng.normal(100, 20, N).round().astype(int),
        "Intl Calls": rng.poisson(4.5, N),
        "CustServ Calls": calls,
        "Customer Email": [f"cust{i:04d}@example.net" for i in rng.permutation(N)],
        "Churn?": np.where(churn, "True.", "False."),
    })


def retail_sales(rng: np.random.Generator) -> pd.DataFrame:
    """Weekly store sales in the style of public retail data."""
    size = rng.integers(30_000, 220_000, N)
    units = rng.choice(np.arange(100, 2001, 100), N)
    names = [f"{f} {s}" for f, s in zip(rng.choice(["Jane", "Ken", "Maria", "Li", "Omar", "Sara"], 60),
                                          rng.choice(["Smith", "Tanaka", "Garcia", "Wang", "Khan", "Berg"], 60))]
    return pd.DataFrame({
        "Invoice No": 536_365 + np.cumsum(rng.integers(1, 3, N)),
        "Store Type": rng.choice(["A", "B", "C"], N),
        "Store Size": size,
        "Region Code": rng.choice([101, 205, 310, 415, 520], N),
        "Branch": rng.choice([1021, 1187, 2034, 3310, 4502], N),
        "Tender": rng.choice([1, 20, 99], N, p=[0.3, 0.6, 0.1]),
        "Units Ordered": units,
        "Discount": rng.choice([0, 5, 10, 15, 20, 25], N),
        "Pack": rng.choice([6, 12, 24, 48], N),
        "Shelf Level": rng.integers(1, 6, N),
        "Loyalty Points": rng.integers(0, 5_000, N),
        "Temperature": rng.normal(15, 8, N).round(1),
        "Postal Code": rng.choice([2134, 10001, 60601, 94107, 73301], N),
        "Customer Name": rng.choice(names, N),
        "Weekly Sales": (units * rng.uniform(8, 12, N) + size * 0.05).round(2),
    })


def credit_default(rng: np.random.Generator) -> pd.DataFrame:
    """Consumer credit applications in the style of public credit-default data."""
    income = rng.choice(np.arange(18_000, 250_001, 1_000), N)
    return pd.DataFrame({
        "ID": np.arange(1, N + 1),
        "LIMIT_BAL": rng.choice(np.arange(10_000, 500_001, 10_000), N),
        "Credit Line": rng.choice(np.arange(1_000, 20_001, 1_000), N),
        "AGE": rng.integers(21, 76, N),
        "Num Open Accounts": rng.integers(0, 26, N),
        "Delinquencies 2y": mostly_zero(rng, 0.85, np.arange(1, 7)),
        "Months Employed": rng.integers(0, 480, N),
        "Annual Income": income,
        "SSN": [f"{a:03d}-{b:02d}-{c:04d}" for a, b, c in
                zip(rng.integers(100, 900, N), rng.integers(10, 99, N), rng.permutation(N) + 1000)],
        "Card Number": [luhn_number(rng) for _ in range(N)],
        "Email": [f"applicant.{i}@mail.example" for i in rng.permutation(N)],
        "Contact Phone": [f"(555) {a}-{b:04d}" for a, b in zip(rng.integers(200, 999, N), rng.permutation(N))],
        "Branch Code": rng.choice([11, 23, 47, 58], N),
        "Home Ownership": rng.choice(["RENT", "OWN", "MORTGAGE"], N),
        "default": np.where(rng.random(N) < 0.22, "yes", "no"),
    })


def japanese_retail(rng: np.random.Generator) -> pd.DataFrame:
    """A Japanese retail membership table (UTF-8), with Japanese column names."""
    return pd.DataFrame({
        "店舗コード": rng.choice([101, 102, 215, 330], N),
        "会員区分": rng.choice([1, 2, 3], N),
        "氏名": [f"山田 {i}" for i in rng.permutation(N)],
        "電話番号": [f"03-{a:04d}-{b:04d}" for a, b in zip(rng.integers(1000, 9999, N), rng.permutation(N))],
        "郵便番号": rng.choice(["150-0001", "530-0001", "060-0001", "812-0011"], N),
        "年齢": rng.integers(18, 85, N),
        "来店回数": rng.poisson(6, N),
        "売上金額": rng.integers(500, 60_000, N),
        "購入": np.where(rng.random(N) < 0.4, "はい", "いいえ"),
    })


TABLES = {"house_sales": house_sales, "telecom_churn": telecom_churn, "retail_sales": retail_sales,
          "credit_default": credit_default, "japanese_retail": japanese_retail}


def main(out: Path = HERE) -> None:
    """Write every table as ``<name>.csv`` (UTF-8, byte-identical on every run)."""
    for i, (name, make) in enumerate(TABLES.items()):
        make(np.random.default_rng(20250113 + i)).to_csv(out / f"{name}.csv", index=False, lineterminator="\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
