"""The committed sample CSVs are reproducible and carry the planted findings."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sample_data import generate  # noqa: E402

DATA = ROOT / "sample_data"
FILES = ["telecom_churn.csv", "telecom_churn_ja_cp932.csv", "house_prices.csv", "store_demand.csv"]


@pytest.fixture(scope="module")
def churn() -> pd.DataFrame:
    return pd.read_csv(DATA / "telecom_churn.csv", encoding="utf-8")


@pytest.fixture(scope="module")
def houses() -> pd.DataFrame:
    return pd.read_csv(DATA / "house_prices.csv", encoding="utf-8")


def test_regeneration_is_byte_identical(tmp_path: Path) -> None:
    written = generate.main(tmp_path)
    assert sorted(p.name for p in written) == sorted(FILES)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_generators_are_deterministic() -> None:
    pd.testing.assert_frame_equal(generate.make_churn(n=200), generate.make_churn(n=200))
    pd.testing.assert_frame_equal(generate.make_house_prices(n=200), generate.make_house_prices(n=200))
    pd.testing.assert_frame_equal(generate.make_store_demand(), generate.make_store_demand())
    assert not generate.make_store_demand(seed=1).equals(generate.make_store_demand(seed=2))
    assert not generate.make_churn(n=200, seed=1).equals(generate.make_churn(n=200, seed=2))


def test_churn_shape_and_target(churn: pd.DataFrame) -> None:
    assert len(churn) == 5000
    assert list(churn.columns) == list(generate.JA_COLUMNS)
    assert set(churn["Churn?"]) == {"True.", "False."}
    rate = (churn["Churn?"] == "True.").mean()
    assert 0.10 <= rate <= 0.20


def test_churn_planted_findings(churn: pd.DataFrame) -> None:
    assert churn["Phone"].is_unique
    assert churn["Phone"].str.fullmatch(r"\d{3}-\d{4}").all()
    assert set(churn["Area Code"]) == {408, 415, 510}
    assert set(churn["Int'l Plan"]) == {"yes", "no"}
    assert (churn.loc[churn["VMail Plan"] == "no", "VMail Message"] == 0).all()
    for period, rate in generate.RATES.items():
        mins, charge = churn[f"{period} Mins"], churn[f"{period} Charge"]
        assert mins.corr(charge) > 0.999, period
        assert ((mins * rate).round(2) - charge).abs().max() < 0.006, period
    missing = churn.isna().mean()
    assert 0.01 <= missing["Eve Calls"] <= 0.05
    assert 0.01 <= missing["Intl Calls"] <= 0.03
    assert 0.003 <= missing["State"] <= 0.02
    assert missing["Day Mins"] == 0 and missing["Churn?"] == 0


def test_churn_signal_direction(churn: pd.DataFrame) -> None:
    churned = churn["Churn?"] == "True."
    assert churned[churn["Int'l Plan"] == "yes"].mean() > 2 * churned[churn["Int'l Plan"] == "no"].mean()
    assert churned[churn["CustServ Calls"] >= 4].mean() > 2 * churned[churn["CustServ Calls"] < 4].mean()
    assert churned[churn["Day Mins"] >= 280].mean() > 0.6


def test_every_churner_shows_a_warning_sign(churn: pd.DataFrame) -> None:
    """The cost story needs churners separable at high recall: each has a sign, most customers none."""
    churned = churn["Churn?"] == "True."
    sign = (churn["CustServ Calls"] >= 4) | (churn["Int'l Plan"] == "yes") | (churn["Day Mins"] >= 280)
    assert not (churned & ~sign).any()
    assert (~sign[~churned]).mean() > 0.75  # most non-churners show no sign
    assert 0.5 < churned[sign].mean() < 0.95  # but a sign alone is not certainty


def _churn_xy(churn: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Minimal preprocessing: drop the ID and State, one-hot the yes/no plans; NaN stays NaN."""
    X = churn.drop(columns=["Phone", "State", "Churn?"])
    X = pd.get_dummies(X, columns=["Int'l Plan", "VMail Plan"], drop_first=True, dtype=float).astype(float)
    return X, (churn["Churn?"] == "True.").to_numpy(dtype=int)


def test_churn_cost_story_is_reachable(churn: pd.DataFrame) -> None:
    """Workshop story: over budget at threshold 0.5, within budget at a validation-chosen threshold.

    Cost matrix TN 0, FP 500, TP 500, FN 200,000 yen; budget 500 yen per customer. The
    threshold is chosen on a validation split of the training part, then applied to the test
    part. Flagging everyone costs exactly 500, so the chosen threshold must be a real one.
    """
    pytest.importorskip("sklearn")
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import f1_score
    from sklearn.model_selection import train_test_split

    from core.value.costs import CostMatrix, best_threshold, threshold_cost_df

    matrix = CostMatrix(tp=500, fp=500, fn=200_000, tn=0)
    X, y = _churn_xy(churn)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
    X_fit, X_val, y_fit, y_val = train_test_split(
        X_train, y_train, test_size=0.25, stratify=y_train, random_state=0
    )
    model = HistGradientBoostingClassifier(random_state=0).fit(X_fit, y_fit)
    threshold, _ = best_threshold(y_val, model.predict_proba(X_val)[:, 1], matrix)
    proba = model.predict_proba(X_test)[:, 1]
    costs = threshold_cost_df(y_test, proba, matrix, [0.5, threshold]).set_index("threshold")["cost_per_case"]

    assert costs[0.5] > 2_000  # the default threshold is several times over budget
    assert 0.7 <= f1_score(y_test, proba >= 0.5) <= 0.95  # a good but imperfect model
    assert 0 < threshold < 0.5
    assert (proba >= threshold).mean() < 0.5  # flags a minority, not everyone
    assert costs[threshold] <= 1_000  # reaches (about) the 500-yen budget


def test_house_prices(houses: pd.DataFrame) -> None:
    assert len(houses) == 3000
    dates = pd.to_datetime(houses["sale_date"], format="%Y-%m-%d")
    assert dates.min() >= pd.Timestamp("2019-01-01") and dates.max() <= pd.Timestamp("2024-12-31")
    assert not dates.is_monotonic_increasing  # random row order: a time split must sort first
    assert houses["neighborhood"].nunique() == 8
    assert houses["overall_quality"].between(1, 10).all()
    assert set(houses["has_pool"]) == {"yes", "no"}
    assert houses["garage_cars"].isna().sum() > 0 and houses["lot_area"].isna().sum() > 0
    assert 150_000 <= houses["sale_price"].median() <= 210_000
    q1, q3 = houses["sale_price"].quantile([0.25, 0.75])
    bound = q3 + 1.5 * (q3 - q1)
    assert (houses["sale_price"] > max(bound, 700_000)).sum() >= 5
    by_year = houses.groupby(dates.dt.year)["sale_price"].median()
    assert by_year[2024] > 1.2 * by_year[2019]


def test_store_demand_has_promotion_spikes_in_its_test_period() -> None:
    demand = pd.read_csv(DATA / "store_demand.csv", encoding="utf-8")
    assert len(demand) == 5 * 8 * 104 and not demand.isna().any().any()
    weeks = pd.to_datetime(demand["week_start"], format="%Y-%m-%d")
    assert not weeks.is_monotonic_increasing  # random row order: a time split must sort first
    assert (weeks.dt.dayofweek == 0).all() and weeks.nunique() == 104
    q1, q3 = demand["units_sold"].quantile([0.25, 0.75])
    outlier = demand["units_sold"] > q3 + 1.5 * (q3 - q1)
    latest = weeks >= weeks.sort_values().iloc[int(0.8 * len(weeks))]  # a time split's test rows
    assert outlier[latest].sum() >= 50 and outlier[latest].mean() > 2 * outlier[~latest].mean()
    promo = demand["promotion"] == "yes"
    assert promo[latest].mean() > 2 * promo[~latest].mean()  # the late campaign
    same = demand.groupby(["store", "item"])["units_sold"].transform("median")
    assert (demand.loc[promo, "units_sold"] / same[promo]).median() > 2.5  # a promotion triples demand
    by_year = demand.groupby(weeks.dt.year)["units_sold"].sum()
    assert by_year[2024] > 1.1 * by_year[2023]


def test_cp932_file(churn: pd.DataFrame) -> None:
    raw = (DATA / "telecom_churn_ja_cp932.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    raw.decode("cp932")
    ja = pd.read_csv(DATA / "telecom_churn_ja_cp932.csv", encoding="cp932")
    assert list(ja.columns) == list(generate.JA_COLUMNS.values())
    assert {"州", "電話番号", "市外局番", "解約"} <= set(ja.columns)
    assert set(ja["国際プラン"]) == {"はい", "いいえ"}
    assert set(ja["解約"]) == {"True.", "False."}
    assert len(ja) == len(churn)
    assert (ja["電話番号"] == churn["Phone"]).all()
    pd.testing.assert_series_equal(ja["昼間通話分数"], churn["Day Mins"], check_names=False)
