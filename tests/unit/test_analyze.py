"""The Analysis Report: every check on crafted data, verdicts, questions, JSON, plots."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from core.analyze import AnalysisReport, analyze
from core.analyze.plots import plot_correlation, plot_missing, plot_relations, plot_target
from core.errors import UserError
from core.i18n import catalog, has, t
from tests.helpers import churn_like

ROOT = Path(__file__).resolve().parents[2]


def findings(report: AnalysisReport, check: str, key: str | None = None) -> list:
    """Findings of one check, optionally of one message key."""
    return [f for f in report.by_check(check) if key is None or f.message_key == key]


def columns_flagged(report: AnalysisReport, check: str) -> set[str]:
    """Columns named in a check's findings."""
    return {f.params.get("column") for f in report.by_check(check)}


# --- the churn-like scenario from the workshop ----------------------------------------------

def test_churn_like_frame_finds_phone_id_and_minutes_charge_pair():
    report = analyze(churn_like(), "Churn?")
    phone = findings(report, "id_like")
    assert [f.params["column"] for f in phone] == ["Phone"]
    assert phone[0].recommendation == {"action": "drop_column", "column": "Phone",
                                       "reason_key": "analyze.reason.id_like"}
    pair = findings(report, "redundancy", "analyze.redundancy.pair")
    assert len(pair) == 1
    assert {pair[0].params["a"], pair[0].params["b"]} == {"Day Mins", "Day Charge"}
    assert pair[0].params["r"] == pytest.approx(1.0, abs=1e-3)
    assert pair[0].recommendation["action"] == "drop_column"
    assert report.problem_type == "binary" and report.positive_class == "True."
    assert "Area Code" in columns_flagged(report, "numeric_codes")
    assert "Phone" in columns_flagged(report, "personal_data")
    assert report.overall == "warning" and report.blockers == []


def test_churn_like_questions_for_other_roles():
    report = analyze(churn_like(), "Churn?")
    questions = report.questions()
    keys = {(q["role"], q["key"]) for q in questions}
    assert ("domain_expert", "analyze.question.drop_id") in keys
    assert ("domain_expert", "analyze.question.correlation_expected") in keys
    assert ("it_auditor", "analyze.question.personal_data") in keys
    drop_phone = next(q for q in questions if q["key"] == "analyze.question.drop_id")
    assert t(drop_phone["key"], "en", **drop_phone["params"]).startswith('Is it OK to drop "Phone"?')
    assert "Phone" in t(drop_phone["key"], "ja", **drop_phone["params"])


def test_sample_churn_file_relations_are_ranked():
    df = pd.read_csv(ROOT / "sample_data" / "telecom_churn.csv")
    report = analyze(df, "Churn?")
    ranked = report.get_relations_df()
    assert list(ranked["strength"]) == sorted(ranked["strength"], reverse=True)
    assert "Phone" not in set(ranked["feature"])  # IDs are not ranked
    methods = dict(zip(ranked["feature"], ranked["method"]))
    assert methods["Day Mins"] == "point_biserial" and methods["Int'l Plan"] == "cramers_v"
    assert len(findings(report, "redundancy", "analyze.redundancy.pair")) == 4


# --- quantity and target ------------------------------------------------------------------

def test_too_few_rows_is_a_blocking_problem():
    df = pd.DataFrame({"x": range(10), "y": [0, 1] * 5})
    report = analyze(df, "y")
    assert report.overall == "problem"
    assert [f.message_key for f in report.blockers] == ["analyze.quantity.too_few"]


def test_rows_per_class_below_minimum():
    df = pd.DataFrame({"x": np.arange(300) % 17, "y": ["a"] * 250 + ["b"] * 50})
    report = analyze(df, "y", min_rows_per_class=100)
    few = findings(report, "quantity", "analyze.quantity.few_per_class")
    assert few and few[0].params["classes"] == "b (50)" and few[0].params["min"] == 100
    assert findings(analyze(df, "y", min_rows_per_class=40), "quantity", "analyze.quantity.ok")


def test_no_target_chosen_blocks():
    report = analyze(churn_like(200), None)
    assert report.overall == "problem"
    assert "analyze.target.none" in [f.message_key for f in report.blockers]
    assert findings(report, "redundancy", "analyze.redundancy.pair")  # other checks still run


@pytest.mark.parametrize(("target", "values", "key"), [
    ("missing_col", None, "analyze.target.not_found"),
    ("y", [np.nan] * 50, "analyze.target.all_missing"),
    ("y", ["same"] * 50, "analyze.target.single_class"),
])
def test_unusable_targets_block(target, values, key):
    df = pd.DataFrame({"x": np.arange(50.0)})
    if values is not None:
        df["y"] = values
    report = analyze(df, target)
    assert key in [f.message_key for f in report.blockers]


def test_single_column_has_no_features():
    report = analyze(pd.DataFrame({"y": [0, 1] * 30}), "y")
    assert "analyze.quantity.no_features" in [f.message_key for f in report.blockers]


def test_target_with_some_missing_values_warns():
    df = pd.DataFrame({"x": np.arange(100.0), "y": [1.0, np.nan] * 50})
    found = findings(analyze(df, "y"), "target", "analyze.target.some_missing")
    assert found[0].params["count"] == 50


def test_regression_target_outliers_by_iqr_rule():
    rng = np.random.default_rng(1)
    price = np.concatenate([rng.normal(180_000, 40_000, 1000), [900_000, 1_200_000, 1_500_000]])
    df = pd.DataFrame({"area": rng.normal(1500, 300, 1003), "price": price})
    report = analyze(df, "price")
    assert report.problem_type == "regression"
    q1, q3 = np.percentile(price, [25, 75])
    upper = q3 + 1.5 * (q3 - q1)
    out = findings(report, "target", "analyze.target.outliers")[0]
    assert out.params["upper"] == round(upper)
    assert out.params["count"] == int((price > upper).sum() + (price < q1 - 1.5 * (q3 - q1)).sum())
    assert out.recommendation["action"] == "drop_target_outliers"
    assert out.recommendation["upper"] == pytest.approx(upper, rel=1e-6)
    assert out.question["role"] == "domain_expert"
    assert report.get_target_df()["count"].sum() == 1003


def test_class_imbalance():
    df = pd.DataFrame({"x": np.arange(1000.0), "y": ["no"] * 950 + ["yes"] * 50})
    found = findings(analyze(df, "y"), "target", "analyze.target.imbalanced")[0]
    assert found.params["value"] == "yes" and found.params["share"] == 0.05
    assert found.params["ratio"] == 19.0


def test_invalid_problem_type_is_a_user_error():
    with pytest.raises(UserError) as info:
        analyze(pd.DataFrame({"x": [1, 2], "y": [0, 1]}), "y", problem_type="clustering")
    assert info.value.key == "analyze.error.problem_type" and has(info.value.key)


def test_positive_class_given_by_user_must_exist():
    df = pd.DataFrame({"x": np.arange(40.0), "y": ["a", "b"] * 20})
    assert analyze(df, "y", positive_class="a").positive_class == "a"
    report = analyze(df, "y", positive_class="z")
    assert "analyze.target.positive_missing" in [f.message_key for f in report.blockers]


# --- column quality ------------------------------------------------------------------------

def test_missing_values_chart_and_mostly_empty_column():
    n = 200
    df = pd.DataFrame({
        "mostly_empty": [1.0] * 60 + [np.nan] * 140,
        "bit_missing": [np.nan] * 10 + list(np.arange(190.0)),
        "full": np.arange(float(n)),
        "y": np.arange(float(n)) * 2,
    })
    report = analyze(df, "y")
    missing = report.get_missing_df()
    assert missing.iloc[0].to_dict() == {"column": "mostly_empty", "missing_share": 0.7}
    assert dict(zip(missing["column"], missing["missing_share"]))["bit_missing"] == 0.05
    drop = findings(report, "missing", "analyze.missing.mostly_empty")
    assert [f.recommendation["column"] for f in drop] == ["mostly_empty"]
    assert drop[0].recommendation["reason_key"] == "analyze.reason.mostly_empty"


def test_id_like_columns_string_and_integer_but_not_measurements():
    rng = np.random.default_rng(2)
    n = 300
    df = pd.DataFrame({
        "customer_code": [f"C{i:05d}" for i in rng.permutation(n)],
        "row_no": np.arange(1000, 1000 + n),
        "account_id": rng.choice(10**9, n, replace=False),
        "weight": rng.normal(60, 10, n),            # unique floats are measurements
        "income": rng.choice(10**7, n, replace=False),  # unique ints without an ID-ish name
        "y": rng.integers(0, 2, n),
    })
    flagged = columns_flagged(analyze(df, "y"), "id_like")
    assert flagged == {"customer_code", "row_no", "account_id"}


def test_constant_column_is_dropped():
    df = pd.DataFrame({"country": ["JP"] * 100, "x": np.arange(100.0), "y": np.arange(100.0)})
    found = findings(analyze(df, "y"), "constant")
    assert [f.recommendation["column"] for f in found] == ["country"]


def test_duplicate_rows_are_counted():
    base = pd.DataFrame({"a": np.arange(100), "b": np.arange(100) % 7, "y": np.arange(100) % 2})
    df = pd.concat([base, base.iloc[:5]], ignore_index=True)
    found = findings(analyze(df, "y"), "duplicates")[0]
    assert found.message_key == "analyze.duplicates.rows" and found.params["count"] == 5
    assert findings(analyze(base, "y"), "duplicates")[0].verdict == "ok"


def test_numbers_that_are_really_categories():
    rng = np.random.default_rng(3)
    n = 500
    df = pd.DataFrame({
        "Area Code": rng.choice([408, 415, 510], n),
        "CustServ Calls": rng.integers(0, 10, n),
        "bedrooms": rng.integers(1, 6, n),
        "y": rng.normal(size=n),
    })
    found = findings(analyze(df, "y"), "numeric_codes")
    assert [f.params["column"] for f in found] == ["Area Code"]
    assert found[0].params["values"] == "408, 415, 510"
    assert found[0].recommendation == {"action": "as_category", "column": "Area Code"}


@pytest.mark.parametrize("fmt", ["%Y-%m-%d", "%Y/%m/%d %H:%M", "%Y年%m月%d日", "%m/%d/%Y"])
def test_dates_stored_as_text_and_time_split(fmt):
    days = pd.date_range("2022-01-01", periods=120, freq="D")
    df = pd.DataFrame({"sale_date": days.strftime(fmt), "x": np.arange(120.0), "y": np.arange(120.0) % 5})
    report = analyze(df, "y")
    assert findings(report, "dates")[0].recommendation == {"action": "as_date", "column": "sale_date"}
    split = findings(report, "time_split")[0]
    assert split.recommendation == {"action": "time_split", "column": "sale_date"}
    assert split.question["role"] == "data_analyst"


def test_typed_datetime_column_asks_for_time_split_but_phone_is_not_a_date():
    df = churn_like(300)
    df["signup"] = pd.date_range("2020-01-01", periods=300, freq="D")
    report = analyze(df, "Churn?")
    assert columns_flagged(report, "dates") == set()
    assert findings(report, "time_split")[0].params["column"] == "signup"


def test_mixed_types_in_one_column():
    values = ["12", "15", "n/a", "7", "-", "30"] * 20
    df = pd.DataFrame({"usage": values, "label": ["a", "b", "c"] * 40, "y": np.arange(120) % 2})
    found = findings(analyze(df, "y"), "mixed_types")
    assert [f.params["column"] for f in found] == ["usage"]
    assert set(found[0].params["examples"].split(", ")) == {"n/a", "-"}
    assert found[0].params["share"] == pytest.approx(4 / 6, abs=1e-3)
    assert found[0].question["key"] == "analyze.question.text_in_numbers"


def test_personal_data_suspects_by_value_and_name():
    n = 60
    df = pd.DataFrame({
        "contact": [f"user{i}@example.co.jp" for i in range(n)],
        "tel": [f"090-{i:04d}-{i:04d}" for i in range(n)],
        "氏名": [f"山田{i}" for i in range(n)],
        "メールアドレス": [f"a{i}@b.jp" for i in range(n)],
        "Customer Name": [f"N{i}" for i in range(n)],
        "ボイスメールプラン": ["はい", "いいえ"] * 30,
        "product_name": ["A", "B", "C"] * 20,
        "sale_date": ["2023-06-10"] * n,
        "y": [0, 1] * 30,
    })
    report = analyze(df, "y")
    kinds = {f.params["column"]: f.params["kind"] for f in findings(report, "personal_data")}
    assert kinds == {"contact": "email", "tel": "phone", "氏名": "name", "メールアドレス": "email",
                     "Customer Name": "name"}
    assert {f.question["role"] for f in findings(report, "personal_data")} == {"it_auditor"}


# --- relations, redundancy, leakage -------------------------------------------------------

def test_relations_use_the_right_measure_and_rank():
    rng = np.random.default_rng(4)
    n = 3000
    group = rng.choice(["low", "mid", "high"], n)
    y = rng.normal(size=n) + pd.Series(group).map({"low": -2, "mid": 0, "high": 2}).to_numpy()
    df = pd.DataFrame({"group": group, "signal": y * 0.5 + rng.normal(size=n), "noise": rng.normal(size=n), "y": y})
    ranked = analyze(df, "y").get_relations_df()
    assert list(ranked["feature"]) == ["group", "signal", "noise"]
    assert dict(zip(ranked["feature"], ranked["method"])) == {
        "group": "correlation_ratio", "signal": "pearson", "noise": "pearson"}
    assert ranked["strength"].iloc[-1] < 0.1


def test_cramers_v_for_categorical_feature_in_classification():
    rng = np.random.default_rng(5)
    n = 2000
    plan = rng.choice(["yes", "no"], n, p=[0.1, 0.9])
    churn = np.where(plan == "yes", rng.random(n) < 0.45, rng.random(n) < 0.11)
    df = pd.DataFrame({"plan": plan, "color": rng.choice(["r", "g", "b"], n), "churn": churn})
    ranked = analyze(df, "churn").get_relations_df().set_index("feature")
    assert ranked.loc["plan", "method"] == "cramers_v"
    assert ranked.loc["plan", "strength"] > 0.2 > ranked.loc["color", "strength"]


def test_redundant_pairs_above_threshold_only():
    rng = np.random.default_rng(6)
    n = 1000
    a = rng.normal(size=n)
    df = pd.DataFrame({"a": a, "b": a * 3 + rng.normal(0, 0.3, n), "c": a + rng.normal(0, 1.2, n),
                       "y": a + rng.normal(size=n)})
    pairs = findings(analyze(df, "y", corr_threshold=0.8), "redundancy", "analyze.redundancy.pair")
    assert [{p.params["a"], p.params["b"]} for p in pairs] == [{"a", "b"}]
    assert pairs[0].question["key"] == "analyze.question.correlation_expected"
    assert findings(analyze(df, "y", corr_threshold=0.5), "redundancy", "analyze.redundancy.pairs")[0].params["count"] == 3


def test_leakage_suspects_linear_and_non_monotone():
    rng = np.random.default_rng(7)
    n = 2000
    x = rng.normal(size=n)
    y = (np.abs(x) < 0.6).astype(int)              # a band of x means class 1: correlation ~0
    df = pd.DataFrame({
        "band": x, "noise": rng.normal(size=n),
        "refund_issued": np.where(y == 1, "yes", "no"),  # only known after the outcome
        "y": y,
    })
    report = analyze(df, "y")
    leaks = findings(report, "leakage")
    assert {f.params["column"] for f in leaks} == {"band", "refund_issued"}
    assert all(f.recommendation["reason_key"] == "analyze.reason.leakage" for f in leaks)
    assert all(f.question["key"] == "analyze.question.leakage" for f in leaks)
    relation = findings(report, "relations")[0]
    assert relation.params["column"] == "noise"  # leaks are not proposed as the top feature


def test_regression_leak_by_rank_correlation():
    rng = np.random.default_rng(8)
    y = rng.lognormal(10, 1, 1500)
    df = pd.DataFrame({"log_y": np.log(y) ** 3, "x": rng.normal(size=1500), "y": y})
    assert columns_flagged(analyze(df, "y"), "leakage") == {"log_y"}


def test_no_leak_on_honest_features():
    report = analyze(churn_like(), "Churn?")
    assert findings(report, "leakage") == []


# --- sampling, JSON, plots, messages -----------------------------------------------------

def test_big_data_is_sampled_and_the_report_says_so():
    df = churn_like(3000)
    report = analyze(df, "Churn?", sample_rows=1000)
    note = findings(report, "sampling")[0]
    assert note.params == {"sample": 1000, "rows": 3000}
    assert report.sample_rows == 1000 and report.n_rows == 3000
    assert findings(report, "id_like")  # uniqueness is judged on all rows
    assert findings(report, "redundancy", "analyze.redundancy.pair")


def test_json_round_trip():
    report = analyze(churn_like(500), "Churn?")
    text = json.dumps(report.to_dict(), ensure_ascii=False)
    again = AnalysisReport.from_dict(json.loads(text))
    assert again == report
    assert again.to_dict() == report.to_dict()
    assert again.get_relations_df().equals(report.get_relations_df())


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_finding_and_question_renders_completely(lang):
    df = churn_like(400)
    df["note"] = ["12", "n/a"] * 200
    df["empty"] = [np.nan] * 399 + [1.0]
    df["date"] = pd.date_range("2021-01-01", periods=400).strftime("%Y-%m-%d")
    report = analyze(df, "Churn?")
    table = report.get_findings_df(lang)
    assert len(table) == len(report.findings) > 10
    for text in list(table["message"]) + [t(q["key"], lang, **q["params"]) for q in report.questions()]:
        assert "{" not in text and not re.fullmatch(r"analyze\.[\w.]+", text), text


def test_plots_return_figures_with_translated_titles():
    report = analyze(churn_like(300), "Churn?")
    for plot, key in [(plot_missing, "missing_title"), (plot_target, "target_title"),
                      (plot_relations, "relations_title"), (plot_correlation, "correlation_title")]:
        for lang in ("en", "ja"):
            fig = plot(report, lang)
            assert isinstance(fig, go.Figure)
            assert fig.layout.title.text == t(f"analyze.plot.{key}", lang)
    target_fig = plot_target(report, "en")
    assert sorted(target_fig.data[0].x) == ["False.", "True."]
    relations = plot_relations(report, "ja")
    assert {trace.name for trace in relations.data} >= {t("analyze.method.point_biserial", "ja")}


def test_plot_missing_from_raw_data_and_regression_target_bound():
    df = pd.DataFrame({"a": [1, None, None, 4], "b": [1, 2, 3, 4]})
    fig = plot_missing(df, "en")
    assert list(fig.data[0].y) == ["a"] and list(fig.data[0].x) == [0.5]
    rng = np.random.default_rng(9)
    report = analyze(pd.DataFrame({"x": rng.normal(size=500), "y": np.append(rng.normal(size=499), 50)}), "y")
    fig = plot_target(report, "ja")
    upper = findings(report, "target", "analyze.target.distribution")[0].chart["upper"]
    assert any(shape.x0 == pytest.approx(upper) for shape in fig.layout.shapes)


def test_every_analyze_key_is_in_the_catalog_with_matching_placeholders():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "core" / "analyze").glob("*.py"))
    keys = set(re.findall(r'"(analyze\.[a-z_]+\.[a-z_]+)"', source))
    keys |= {f"analyze.{kind}" for kind in re.findall(r'_ask\("([a-z_]+)"', source) for kind in [f"question.{kind}"]}
    keys |= {f"analyze.reason.{r}" for r in re.findall(r'_drop\([^,]+, "([a-z_]+)"\)', source)}
    keys |= {f"analyze.target.{k}" for k in re.findall(r'_problem\("([a-z_]+)"', source)}
    keys |= {f"analyze.check.{c}" for c in re.findall(r'Finding\("([a-z_]+)"', source)}
    keys |= {f"analyze.method.{m}" for m in re.findall(r'"(point_biserial|pearson|correlation_ratio|cramers_v)"', source)}
    keys |= {f"analyze.action.{a}" for a in re.findall(r'"action": "([a-z_]+)"', source)}
    keys |= {f"analyze.personal_data.{k}" for k in re.findall(r': "(email|phone|name|address|birth_date|national_id)"', source)}
    keys |= {"analyze.question.simple_rule", "analyze.question.top_expected"}
    keys |= {f"analyze.role.{r}" for r in re.findall(r'"role": "([a-z_]+)"', source)}
    assert len(keys) > 80
    field = re.compile(r"{(\w+)[^}]*}")
    for key in keys:
        assert has(key), key
    for key, entry in catalog().items():
        if key.startswith("analyze."):
            assert set(field.findall(entry["en"])) == set(field.findall(entry["ja"])), key
