"""Page "6 Test" (AppTest), issue 13: a model too good to be true is named; rows beyond the training range shown."""

from __future__ import annotations

import pytest

from core.i18n import t
from tests.app.conftest import copy_store, new_app, no_exception, private_home


@pytest.fixture(scope="module")
def sums(tmp_path_factory, sums_run):
    """A private app home holding a copy of the session's finished run where two columns add up to the target."""
    with private_home(tmp_path_factory, "sums") as (home, store):
        store.engine.dispose()
        copy_store(sums_run, home)
        yield sums_run.project_id, sums_run.run_id


def _texts(at) -> str:
    parts = (at.markdown, at.caption, at.warning, at.info)
    return " ".join(e.value for part in parts for e in part).replace("\\", "")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_performance_tab_names_the_suspect_features_and_the_rows_beyond_the_range(sums, lang):
    project_id, _run_id = sums
    at = new_app(lang, project_id).run()
    at.switch_page("pages/evaluate.py").run(timeout=120)
    no_exception(at)
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert t("evaluate_checks.suspicion.title", lang) in _texts(at)
    assert "List Price" in warnings and "Fees" in warnings  # the two columns that add up to the target
    assert t("evaluate_checks.extrapolation.title", lang) in _texts(at)
    parts = [t(f"evaluate_checks.extrapolation.{p}", lang) for p in ("outside", "inside")]
    assert any(df.value.iloc[:, 0].tolist() == parts for df in at.dataframe)
    assert t("evaluate_checks.extrapolation.filtered", lang) in _texts(at)
