"""Deterministic sample data for ML Enablement Studio.

Run ``python sample_data/generate.py [OUT_DIR]`` to (re)write the CSVs next to this file
(or into OUT_DIR). Output is byte-identical on every run: fixed seeds, no network.

Datasets
- telecom_churn.csv            classification, modelled on the classic telecom churn data
- telecom_churn_ja_cp932.csv   the same rows, Japanese headers and values, cp932 encoded
- house_prices.csv             regression with a rising market (time-ordered split matters)
- store_demand.csv             weekly demand per store and item; promotion spikes, more of them lately
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

CHURN_SEED = 20240601
HOUSE_SEED = 20240602
DEMAND_SEED = 20240603

STATES = (
    "AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND "
    "NE NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY"
).split()

# Charge = minutes x rate (rounded to 2 decimals): perfectly correlated pairs by design.
RATES = {"Day": 0.17, "Eve": 0.085, "Night": 0.045, "Intl": 0.27}

JA_COLUMNS = {
    "State": "州",
    "Account Length": "契約日数",
    "Area Code": "市外局番",
    "Phone": "電話番号",
    "Int'l Plan": "国際プラン",
    "VMail Plan": "ボイスメールプラン",
    "VMail Message": "ボイスメール件数",
    "Day Mins": "昼間通話分数",
    "Day Calls": "昼間通話回数",
    "Day Charge": "昼間通話料金",
    "Eve Mins": "夕方通話分数",
    "Eve Calls": "夕方通話回数",
    "Eve Charge": "夕方通話料金",
    "Night Mins": "夜間通話分数",
    "Night Calls": "夜間通話回数",
    "Night Charge": "夜間通話料金",
    "Intl Mins": "国際通話分数",
    "Intl Calls": "国際通話回数",
    "Intl Charge": "国際通話料金",
    "CustServ Calls": "カスタマーサービス問合せ回数",
    "Churn?": "解約",
}
JA_VALUES = {"yes": "はい", "no": "いいえ"}

NEIGHBORHOODS = {  # name: (price multiplier, sampling weight)
    "Riverside": (1.00, 0.20),
    "Oak Hills": (1.25, 0.12),
    "Old Town": (0.85, 0.15),
    "Maple Park": (1.05, 0.15),
    "Lakeshore": (1.45, 0.08),
    "Industrial": (0.70, 0.08),
    "College Heights": (0.95, 0.12),
    "Sunset Ridge": (1.15, 0.10),
}


STORES = {"Shibuya": 1.40, "Shinjuku": 1.30, "Yokohama": 1.00, "Chiba": 0.80, "Omiya": 0.75}
ITEMS = {  # item: (category, units per week in an average store, price in yen, price elasticity, summer lift)
    "onigiri": ("food", 220, 150, 1.2, 0.0),
    "bento": ("food", 120, 550, 1.5, -0.05),
    "sandwich": ("food", 90, 380, 1.3, 0.0),
    "green_tea": ("drink", 160, 160, 1.0, 0.35),
    "coffee": ("drink", 140, 180, 0.9, -0.15),
    "ice_cream": ("dessert", 70, 250, 1.4, 0.9),
    "pudding": ("dessert", 50, 220, 1.1, 0.1),
    "umbrella": ("goods", 12, 700, 0.6, 0.2),
}
DEMAND_WEEKS = 104
CAMPAIGN_WEEK = 88  # from this week on a promotion campaign runs (about 14% of store-weeks instead of 4%)


def _with_missing(rng: np.random.Generator, values: pd.Series, share: float) -> pd.Series:
    """Blank out a random `share` of the values (missing completely at random)."""
    out = values.copy()
    out[rng.random(len(out)) < share] = pd.NA
    return out


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function, elementwise."""
    return 1 / (1 + np.exp(-x))


def make_churn(n: int = 5000, seed: int = CHURN_SEED) -> pd.DataFrame:
    """Telecom churn rows; target ``Churn?`` is "True." / "False." (about 14% True.)."""
    rng = np.random.default_rng(seed)
    state = rng.choice(STATES, size=n)
    account_length = np.clip(rng.normal(101, 40, n).round(), 1, 243).astype(int)
    area_code = rng.choice([408, 415, 510], size=n, p=[0.25, 0.50, 0.25])
    phone_num = rng.choice(np.arange(3270000, 4230000), size=n, replace=False)
    phone = [f"{p // 10000}-{p % 10000:04d}" for p in phone_num]
    intl_plan = rng.random(n) < 0.09
    vmail_plan = rng.random(n) < 0.28
    vmail_msgs = np.where(vmail_plan, np.clip(rng.normal(29, 7.5, n).round(), 4, 51), 0).astype(int)

    mins, calls = {}, {}
    for period, (mean, sd, lo, hi) in {
        "Day": (180, 54, 0, 351),
        "Eve": (201, 51, 0, 364),
        "Night": (201, 51, 23, 395),
        "Intl": (10.2, 2.8, 0, 20),
    }.items():
        mins[period] = np.clip(rng.normal(mean, sd, n), lo, hi).round(1)
        calls[period] = (
            rng.poisson(4.5, n) if period == "Intl" else np.clip(rng.normal(100, 20, n).round(), 0, 175)
        ).astype(int)
    custserv = rng.poisson(1.6, n)

    # Churn: every churner shows at least one clear warning sign (4 or more customer-service
    # calls, an international plan, very heavy daytime use); customers without a sign do not
    # leave, and they are the large majority. Each sign is a separate reason to leave (noisy-OR).
    # Cheap 500-yen incentives for every customer with a sign therefore catch almost every
    # churner, while the default threshold 0.5 misses the milder cases: an international plan
    # with light international use, many service calls from customers who also call a lot.
    day = mins["Day"]
    noise = rng.normal(0, 0.3, n)
    many_cs = custserv >= 4
    heavy_day = day >= 280
    p_cs = many_cs * (0.55 + 0.4 * _sigmoid((200 - day) / 20 + noise))
    p_day = heavy_day * (0.95 - 0.2 * vmail_plan)
    p_intl = intl_plan * (0.6 + 0.35 * _sigmoid((mins["Intl"] - 12) / 0.3 + noise))
    p_churn = 1 - (1 - p_cs) * (1 - p_day) * (1 - p_intl)
    churn = rng.random(n) < p_churn

    df = pd.DataFrame(
        {
            "State": _with_missing(rng, pd.Series(state, dtype="object"), 0.01),
            "Account Length": account_length,
            "Area Code": area_code,
            "Phone": phone,
            "Int'l Plan": np.where(intl_plan, "yes", "no"),
            "VMail Plan": np.where(vmail_plan, "yes", "no"),
            "VMail Message": vmail_msgs,
        }
    )
    for period in RATES:
        df[f"{period} Mins"] = mins[period]
        df[f"{period} Calls"] = pd.array(calls[period], dtype="Int64")
        df[f"{period} Charge"] = (mins[period] * RATES[period]).round(2)
    df["Eve Calls"] = _with_missing(rng, df["Eve Calls"], 0.03)
    df["Intl Calls"] = _with_missing(rng, df["Intl Calls"], 0.02)
    df["CustServ Calls"] = custserv
    df["Churn?"] = np.where(churn, "True.", "False.")
    return df


def to_japanese(df: pd.DataFrame) -> pd.DataFrame:
    """Japanese headers and yes/no values; the target keeps "True." / "False."."""
    out = df.rename(columns=JA_COLUMNS)
    for col in (JA_COLUMNS["Int'l Plan"], JA_COLUMNS["VMail Plan"]):
        if col in out:
            out[col] = out[col].map(JA_VALUES).fillna(out[col])
    return out


def make_house_prices(n: int = 3000, seed: int = HOUSE_SEED) -> pd.DataFrame:
    """House sales 2019-2024 in random order; prices rise about 6% a year; ~10 mansions."""
    rng = np.random.default_rng(seed)
    start, end = np.datetime64("2019-01-01"), np.datetime64("2024-12-31")
    days = rng.integers(0, int((end - start).astype(int)) + 1, n)
    sale_date = start + days.astype("timedelta64[D]")
    years_since_start = days / 365.25

    names = list(NEIGHBORHOODS)
    weights = np.array([w for _, w in NEIGHBORHOODS.values()])
    hood = rng.choice(names, size=n, p=weights / weights.sum())
    hood_mult = np.array([NEIGHBORHOODS[h][0] for h in hood])

    quality = np.clip(rng.normal(6, 1.4, n).round(), 1, 10).astype(int)
    living = np.clip(rng.normal(1000 + 110 * quality, 380, n), 500, 4200).round().astype(int)
    lot = np.clip(rng.lognormal(np.log(9000), 0.35, n), 1500, 60000).round().astype(int)
    bedrooms = np.clip((living / 550 + rng.normal(0, 0.6, n)).round(), 1, 6).astype(int)
    bathrooms = np.clip((living / 900 + rng.normal(0, 0.4, n)) * 2, 2, 9).round() / 2
    year_built = np.clip(2022 - rng.gamma(2.2, 18, n).round(), 1890, 2023).astype(int)
    garage = np.clip((quality / 3 + rng.normal(0, 0.8, n)).round(), 0, 4).astype(int)
    has_pool = rng.random(n) < 0.05

    age = 2019 - year_built
    log_price = (
        np.log(77_000)
        + np.log(hood_mult)
        + 0.09 * quality
        + 0.55 * np.log(living / 1500)
        + 0.06 * np.log(lot / 9000)
        + 0.04 * garage
        + 0.03 * bathrooms
        + 0.08 * has_pool
        - 0.002 * np.clip(age, 0, 100)
        + np.log(1.06) * years_since_start
        + rng.normal(0, 0.10, n)
    )
    price = np.exp(log_price)

    # Mansions: about ten extreme sales far above Q3 + 1.5 * IQR.
    mansions = rng.choice(n, size=10, replace=False)
    hood[mansions] = rng.choice(["Lakeshore", "Oak Hills", "Sunset Ridge"], size=10)
    quality[mansions] = 10
    living[mansions] = rng.integers(5200, 9000, 10)
    lot[mansions] = rng.integers(40000, 120000, 10)
    bedrooms[mansions] = rng.integers(5, 9, 10)
    bathrooms[mansions] = rng.integers(5, 9, 10).astype(float)
    garage[mansions] = 4
    has_pool[mansions] = True
    price[mansions] = rng.uniform(750_000, 1_300_000, 10)

    df = pd.DataFrame(
        {
            "sale_date": pd.Series(sale_date).dt.strftime("%Y-%m-%d"),
            "neighborhood": hood,
            "lot_area": pd.array(lot, dtype="Int64"),
            "living_area": living,
            "bedrooms": bedrooms,
            "bathrooms": bathrooms,
            "year_built": year_built,
            "overall_quality": quality,
            "garage_cars": pd.array(garage, dtype="Int64"),
            "has_pool": np.where(has_pool, "yes", "no"),
            "sale_price": (price / 100).round().astype(int) * 100,
        }
    )
    df["garage_cars"] = _with_missing(rng, df["garage_cars"], 0.015)
    df["lot_area"] = _with_missing(rng, df["lot_area"], 0.02)
    return df


def make_store_demand(seed: int = DEMAND_SEED) -> pd.DataFrame:
    """Units sold per store, item and week, 2023-2024, in random order.

    Demand grows about 12% a year, follows the season (ice cream in summer), falls with price
    and triples in a promotion week. A promotion campaign in the last four months makes spikes
    far more common there: the latest rows, the test rows of a time split, hold many of the
    target's outliers.
    """
    rng = np.random.default_rng(seed)
    weeks = pd.date_range("2023-01-02", periods=DEMAND_WEEKS, freq="7D")
    grid = pd.MultiIndex.from_product([range(DEMAND_WEEKS), list(STORES), list(ITEMS)]).to_frame(index=False)
    w, store, item = grid[0].to_numpy(), grid[1].to_numpy(), grid[2].to_numpy()
    n = len(grid)
    category, base, ref_price, elasticity, summer = (np.array([ITEMS[i][k] for i in item]) for k in range(5))
    season = np.sin(2 * np.pi * (weeks.dayofyear.to_numpy()[w] - 105) / 365.25)  # peak in late July
    price = ref_price * rng.choice([0.9, 1.0, 1.0, 1.0, 1.1], n) * (1 + 0.03 * w / 52)  # prices creep up
    promo = rng.random(n) < np.where(w >= CAMPAIGN_WEEK, 0.14, 0.04)
    price = np.where(promo, price * 0.8, price)
    holiday = np.isin(weeks.isocalendar().week.to_numpy()[w], [1, 18, 19, 32, 33, 52])
    temp = 16 + 10 * season + rng.normal(0, 2.5, n)
    log_units = (np.log(base.astype(float) * np.array([STORES[s] for s in store])) + 0.8 * summer * season
                 + 0.12 * w / 52 - elasticity * np.log(price / ref_price) + np.log(3.2) * promo + 0.25 * holiday
                 + rng.normal(0, 0.15, n))
    df = pd.DataFrame({
        "week_start": weeks.strftime("%Y-%m-%d").to_numpy()[w], "store": store, "item": item, "category": category,
        "price_yen": np.round(price).astype(int), "promotion": np.where(promo, "yes", "no"),
        "holiday_week": np.where(holiday, "yes", "no"), "avg_temp_c": np.round(temp, 1),
        "units_sold": np.round(np.exp(log_units)).astype(int),
    })
    return df.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def _write(df: pd.DataFrame, path: Path, encoding: str = "utf-8") -> None:
    df.to_csv(path, index=False, encoding=encoding, float_format="%.2f", lineterminator="\n")


def main(out_dir: str | Path | None = None) -> list[Path]:
    """Write all sample CSVs into `out_dir` (default: this file's folder); return the paths."""
    out = Path(out_dir) if out_dir is not None else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    churn = make_churn()
    paths = [out / "telecom_churn.csv", out / "telecom_churn_ja_cp932.csv", out / "house_prices.csv",
             out / "store_demand.csv"]
    _write(churn, paths[0])
    _write(to_japanese(churn), paths[1], encoding="cp932")
    _write(make_house_prices(), paths[2])
    _write(make_store_demand(), paths[3])
    return paths


if __name__ == "__main__":
    for written in main(sys.argv[1] if len(sys.argv) > 1 else None):
        print(f"wrote {written}")
