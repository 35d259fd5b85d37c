"""The message catalog: both languages for every key, and every key used in code exists."""

from __future__ import annotations

import ast
import re
from fnmatch import fnmatchcase
from functools import lru_cache
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


@lru_cache(maxsize=1)
def _code() -> dict[Path, ast.Module]:
    """The app's source: every module of core, ui and pages, and app.py, parsed."""
    paths = [p for folder in ("core", "ui", "pages") for p in sorted((ROOT / folder).rglob("*.py"))]
    return {p: ast.parse(p.read_text(encoding="utf-8")) for p in [*paths, ROOT / "app.py"]}


def _literal_keys() -> set[str]:
    keys: set[str] = set()
    for path, tree in _code().items():
        if path.parent == ROOT:
            continue  # app.py: only tr() below
        for node in ast.walk(tree):
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
    tree = _code()[ROOT / "app.py"]
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


# Keys the code builds while it runs, as patterns ("*": any text), each with where and how it is built.
# A catalog key is used when the code holds it as a literal or it matches one of these. Every pattern
# here must still be built by the code (an f-string, "prefix." + value, or a "prefix." constant).
DYNAMIC = {
    "analyze.action.*": 'core/report/analysis_html.py: f"analyze.action.{action}"',
    "analyze.check.*": 'core/report/analysis_html.py: f"analyze.check.{f.check}"',
    "analyze.method.*": 'core/analyze/plots.py: f"analyze.method.{method}"',
    "analyze.numeric_codes.*": 'core/analyze/checks_codes.py: f"analyze.numeric_codes.{evidence}"',
    "analyze.personal_data.*": 'core/analyze/checks_privacy.py: f"analyze.personal_data.{kind}"',
    "analyze.question.*": 'core/analyze/checks_columns.py: f"analyze.question.{key}"',
    "analyze.reason.*": 'core/analyze/checks_columns.py: f"analyze.reason.{reason}"',
    "analyze.role.*": "core/prepare/questions.py: 'analyze.role.' + …",
    "analyze.target.*": 'core/analyze/checks_target.py: f"analyze.target.{key}"',
    "analyze.verdict.*": 'core/report/analysis_html.py: f"analyze.verdict.{verdict}"',
    "analyze_ui.charts.*": 'ui/analyze/diagnosis.py: f"analyze_ui.charts.{key}"',
    "analyze_ui.delimiter.*": 'ui/analyze/importer.py: f"analyze_ui.delimiter.{_DELIM_NAMES[d]}"',
    "analyze_ui.findings.*": "core/report/analysis_html.py: f'analyze_ui.findings.{c}'",
    "analyze_ui.overall.*": 'core/report/analysis_html.py: f"analyze_ui.overall.{report.overall}"',
    "analyze_ui.problem_type.*": 'core/report/analysis_html.py: f"analyze_ui.problem_type.{report.problem_type}"',
    "business.acceptance.*": 'core/report/goal_text.py: f"business.acceptance.{key}"',
    "business.costs.*": 'core/report/goal_sheet.py: f"business.costs.{c}"',
    "business.guide.*": "ui/business/statement.py: f'business.guide.{part}'",
    "business.owners.*": 'core/report/goal_sheet.py: f"business.owners.{c}"',
    "business.section.*": 'core/report/goal_sheet.py: f"business.section.{key}"',
    "business.signoff.*": 'core/report/goal_sheet.py: f"business.signoff.{c}"',
    "business.statement.*": 'core/report/goal_sheet.py: f"business.statement.{f}"',
    "evaluate.cell.*": "core/evaluate/plots.py: f'evaluate.cell.{row.cell}'",
    "evaluate.check.*": 'core/evaluate/checklist.py: f"evaluate.check.{item.id}"',
    "evaluate.check_status.*": 'core/evaluate/checklist.py: f"evaluate.check_status.{status}"',
    "evaluate.col.*": 'core/report/test_report.py: f"evaluate.col.{k}"',
    "evaluate.criterion.*": 'core/evaluate/verdict.py: f"evaluate.criterion.{c.kind}"',
    "evaluate.decision.no_costs_*": 'core/evaluate/decision.py: f"evaluate.decision.no_costs_{kind}"',
    "evaluate.level.*": 'core/evaluate/checklist.py: f"evaluate.level.{item.level}"',
    "evaluate.meaning.*": 'core/evaluate/metrics.py: f"evaluate.meaning.{m}"',
    "evaluate.metric.*": 'core/evaluate/metrics.py: f"evaluate.metric.{m}"',
    "evaluate.overall.*": "core/report/test_report.py: f'evaluate.overall.{v.overall}'",
    "evaluate.plot.*": 'core/evaluate/plots.py: f"evaluate.plot.{o}"',
    "evaluate.report.lang_*": 'ui/evaluate/report.py: f"evaluate.report.lang_{code}"',
    "evaluate.report.section.*": 'core/report/test_report.py: f"evaluate.report.section.{key}"',
    "evaluate.review.decision_*": 'ui/evaluate/reviews.py: f"evaluate.review.decision_{d or \'skip\'}"',
    "evaluate.role.*": 'core/evaluate/checklist.py: f"evaluate.role.{role}"',
    "evaluate.speed.*_*": 'ui/evaluate/failures.py',
    "evaluate.status.*": 'core/evaluate/verdict.py: f"evaluate.status.{status}"',
    "evaluate.threshold.*": 'core/evaluate/plots.py: f"evaluate.threshold.{w}"',
    "evaluate.unit.*": 'core/evaluate/verdict.py: f"evaluate.unit.{c.metric}"',
    "evaluate.value.*": 'core/report/test_report.py: f"evaluate.value.{r.which}"',
    "evaluate.verdict.next.*": 'core/evaluate/verdict.py: f"evaluate.verdict.next.{verdict.overall}"',
    "evaluate.verdict.roi_*": 'core/evaluate/verdict.py: f"evaluate.verdict.roi_{facts[\'roi_verdict\']}"',
    "evaluate_checks.extrapolation.*": 'core/evaluate/extrapolation.py: f"evaluate_checks.extrapolation.{part}"',
    "evaluate_checks.where.*": 'core/evaluate/suspicion.py: f"evaluate_checks.where.{params[\'where\']}"',
    "explain.axis.*": 'core/explain/plots.py: f"explain.axis.{explanation.output}"',
    "explain.method.*": "ui/evaluate/explanations.py: 'explain.method.' + p['method']",
    "explain.ui.method_*": 'core/report/test_report.py: f"explain.ui.method_{expl.method}"',
    "explain.ui.row_line_*": 'ui/evaluate/explanations.py: f"explain.ui.row_line_{one.output}"',
    "predict.monitor.source.*": 'ui/predict/monitor.py: f"predict.monitor.source.{params[\'source\']}"',
    "predict.plot.target_*": 'core/predict/plots.py: f"predict.plot.target_{target.direction}"',
    "predict.status.*": 'ui/predict/batches.py: f"predict.status.{batch.status}"',
    "predict.threshold.source.*": 'ui/predict/batches.py: f"predict.threshold.source.{threshold[\'source\']}"',
    "predict_ui.drift.level_*": 'ui/predict/monitor.py: f"predict_ui.drift.level_{v}"',
    "predict_ui.feedback.*": 'ui/predict/feedback.py: f"predict_ui.feedback.{m}"',
    "predict_ui.history.*": 'ui/predict/versions.py: f"predict_ui.history.{a}"',
    "predict_ui.metric.*": 'ui/predict/common.py: f"predict_ui.metric.{metric}"',
    "predict_ui.model.rule_*": 'ui/predict/common.py: f"predict_ui.model.rule_{rule.kind}"',
    "predict_ui.monitor.period_*": 'ui/predict/monitor.py: f"predict_ui.monitor.period_{p}"',
    "predict_ui.outcomes.*": 'ui/predict/feedback.py: f"predict_ui.outcomes.{name}"',
    "predict_ui.tab.*": "ui/predict/common.py: f'predict_ui.tab.{name}'",
    "predict_ui.verdict.*": 'ui/predict/common.py: f"predict_ui.verdict.{verdict or \'untested\'}"',
    "predict_ui.whatif.method_*": 'ui/predict/whatif.py: f"predict_ui.whatif.method_{found[\'method\']}"',
    "prepare.because.*": 'core/prepare/answers.py: f"prepare.because.{answer[\'choice\']}"',
    "prepare.check.*.help": 'ui/prepare/checklist.py: f"prepare.check.{s.item}.help"',
    "prepare.check.*.title": "ui/prepare/checklist.py: f'prepare.check.{s.item}.title'",
    "prepare.choice.*": 'core/prepare/answers.py: f"prepare.choice.{decision}"',
    "prepare.decision.*": 'core/prepare/answers.py: f"prepare.decision.{decision}"',
    "prepare.join.duplicates_*": 'ui/prepare/join.py: f"prepare.join.duplicates_{d}"',
    "prepare.join.source_*": 'ui/prepare/join.py: f"prepare.join.source_{s}"',
    "prepare.request.field.*": 'core/prepare/request.py: f"prepare.request.field.{name}"',
    "prepare.request.hint.*": 'ui/prepare/request.py: f"prepare.request.hint.{name}"',
    "prepare.role.*": "core/prepare/questions.py: 'prepare.role.' + …",
    "preprocess.derived.*": 'ui/preprocess/rows.py: f"preprocess.derived.{spec[\'kind\']}"',
    "preprocess.removed.*": 'core/preprocess/removed.py: f"preprocess.removed.{reason[\'kind\']}"',
    "preprocess.strategy.*": 'ui/preprocess/preview.py: f"preprocess.strategy.{split.strategy}"',
    "preprocess.type.*": 'ui/preprocess/columns.py: f"preprocess.type.{spec[\'to\']}"',
    "preprocess_ui.counts.*": 'ui/preprocess/preview.py: f"preprocess_ui.counts.{c}"',
    "preprocess_ui.derived.*": 'ui/preprocess/rows.py: f"preprocess_ui.derived.{k}"',
    "preprocess_ui.filters.effect_*_*": 'ui/preprocess/rows.py',
    "preprocess_ui.set.*": 'ui/preprocess/preview.py: f"preprocess_ui.set.{s}"',
    "preprocess_ui.split.when_*": 'ui/preprocess/split.py: f"preprocess_ui.split.when_{strategy}"',
    "progress.state.*": "ui/projects.py: f'progress.state.{status.state}'",
    "step.*.what": 'ui/page.py: f"step.{step}.what"',
    "train.family.*": 'core/train/leaderboard.py: f"train.family.{family}"',
    "train.metric.name.*": 'core/train/settings.py: f"train.metric.name.{self.name}"',
    "train.preset.*": 'ui/train/history.py: f"train.preset.{r.settings.get(\'preset\', \'quick\')}"',
    "train.status.*": 'ui/train/history.py: f"train.status.{r.status}"',
    "train_ui.compare.*": 'ui/train/history.py: f"train_ui.compare.{name}"',
    "train_ui.family.*": 'ui/train/results.py: f"train_ui.family.{f}"',
    "train_ui.metric_about.*": 'ui/train/settings.py: f"train_ui.metric_about.{metric}"',
    "train_ui.preset.*_help*": 'ui/train/settings.py',
    "train_ui.validation.*": 'ui/train/validation.py: f"train_ui.validation.{kind}"',
    "value.confidence.*": 'core/report/goal_sheet.py: f"value.confidence.{p.confidence}"',
    "value.decision.*": 'core/evaluate/checklist.py: f"value.decision.{r.decision}"',
    "value.direction.*": 'core/report/goal_text.py: f"value.direction.{m.direction}"',
    "value.env.*": 'ui/train/settings.py: f"value.env.{pre.inference_env}"',
    "value.example.*.*": 'core/value/examples.py: f"value.example.{example_id}.{f}"',
    "value.explanation.*": 'ui/train/settings.py: f"value.explanation.{pre.explanation}"',
    "value.fname.*": 'core/value/templates.py: f"value.fname.{name}"',
    "value.param.*": 'core/value/templates.py: f"value.param.{name}"',
    "value.period.*": 'core/evaluate/money.py: f"value.period.{value.cases_period}"',
    "value.plot.*": 'core/value/plots.py: f"value.plot.{column}"',
    "value.policy.*": 'core/value/decisions.py: f"value.policy.{policy}"',
    "value.problem_type.*": 'ui/train/settings.py: f"value.problem_type.{pre.problem_type}"',
    "value.roi.missing_*": 'core/value/roi.py: f"value.roi.missing_{name}"',
    "value.roi.negative_*": 'core/value/roi.py: f"value.roi.negative_{name}"',
    "value.role.*": "core/value/checklist.py: 'value.role.' + …",
    "value.speed.*": 'ui/business/criteria.py: f"value.speed.{k}"',
    "value.status.*": 'core/report/goal_sheet.py: f"value.status.{c.status}"',
    "value.template.*.description": 'core/value/templates.py: f"value.template.{self.id}.description"',
    "value.template.*.title": 'core/value/templates.py: f"value.template.{self.id}.title"',
    "value.verdict.*": 'core/report/goal_sheet.py: f"value.verdict.{r.verdict}"',
}
_PREFIX = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)*\.$")


def _pattern(node: ast.expr, names: dict[str, str]) -> str:
    """The text an expression builds, with "*" for each part only known at run time."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in names:  # a module constant, e.g. KEY = "evaluate_checks.suspicion"
        return names[node.id]
    if isinstance(node, ast.FormattedValue):
        return _pattern(node.value, names)
    if isinstance(node, ast.JoinedStr):
        return "".join(_pattern(v, names) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _pattern(node.left, names) + _pattern(node.right, names)
    return "*"


def _code_strings() -> tuple[set[str], set[str]]:
    """(every string the code holds whole, every key pattern it builds from parts)."""
    literal: set[str] = set()
    built: set[str] = set()
    for tree in _code().values():
        names = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                 and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
                 for t in n.targets if isinstance(t, ast.Name)}
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in docstrings or id(node) in parts:
                    continue
                literal.add(node.value)
                if _PREFIX.match(node.value):
                    built.add(node.value + "*")
            elif isinstance(node, (ast.JoinedStr, ast.BinOp)):
                text = _pattern(node, names)
                if "*" not in text:
                    literal.add(text)
                elif re.match(r"^[a-z_]+\.", text):
                    built.add(text)
    return literal, built


def test_every_catalog_key_is_used_by_the_code():
    literal, built = _code_strings()
    assert sorted(p for p in DYNAMIC if p not in built) == []  # the list follows the code
    unused = [k for k in catalog() if k not in literal and not any(fnmatchcase(k, p) for p in DYNAMIC)]
    assert unused == []
