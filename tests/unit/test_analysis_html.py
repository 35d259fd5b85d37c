"""The Analysis Report as HTML: user text escaped, charts inline, opens offline."""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from core.analyze import analyze
from core.i18n import t
from core.report.analysis_html import analysis_html, findings_table, overall_summary

EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def report():
    rng = np.random.default_rng(0)
    n = 400
    mins = rng.uniform(0, 300, n)
    df = pd.DataFrame({
        EVIL: rng.normal(size=n), "Day Mins": mins, "Day Charge": mins * 0.17,
        "Phone": [f"{rng.integers(300, 999)}-{i:04d}" for i in range(n)],
        "notes": [None] * 300 + ["x"] * 100,
        "Churn?": rng.choice(["True.", "False."], n, p=[0.15, 0.85]),
    })
    return analyze(df, "Churn?", positive_class="True.")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_user_text_is_escaped(report, lang):
    page = analysis_html(report, lang, project='Churn <img src=x onerror=alert(2)> & "co"', dataset=EVIL)
    assert EVIL not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text in the tables
    assert "Churn &lt;img src=x onerror=alert(2)&gt; &amp; &#34;co&#34;" in page  # Jinja spells " as &#34;


def test_the_report_has_the_verdict_findings_charts_and_questions(report):
    page = analysis_html(report, "ja", project="解約予測", created_at=datetime(2026, 1, 2, 3, 4))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="ja">' in page
    assert t("analyze_ui.html.title", "ja") in page and "2026-01-02 03:04" in page
    verdict, headline, _listed = overall_summary(report, "ja")
    assert headline in page
    for finding in findings_table(report, "ja")["finding"]:
        assert finding.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") \
            .replace("'", "&#x27;") in page
    assert page.count('class="plotly-graph-div"') == 4  # missing, target, relations, correlation
    assert t("analyze.question.drop_id", "ja", column="Phone") in page


def test_it_opens_offline(report):
    page = analysis_html(report, "en")
    assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", page, re.I)
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", page, re.I)
    assert page.count("<script") >= 2 and "Plotly.newPlot" in page
    assert len(page) > 3_000_000  # plotly.js itself is inline, once
    assert page.count("plotly.js v") <= 2


def test_a_report_without_target_or_charts_still_renders():
    bare = analyze(pd.DataFrame({"a": ["x"] * 5}), None)
    page = analysis_html(bare, "en")
    assert t("analyze.target.none", "en") in page
    assert "plotly" not in page.lower() or page.count('class="plotly-graph-div"') <= 1
