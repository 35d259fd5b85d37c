"""The metrics an acceptance criterion can name: ids per problem type, which are errors, and aliases.

A criterion stores a metric **id** (``recall``, ``rmse`` …), picked from :data:`ORDER` on the
Business page. Text typed by older versions, or AutoGluon's own names, is mapped to an id by
:func:`metric_id` (English and Japanese aliases); text that maps to nothing stays as typed and
:func:`is_known` says so, so the page can ask the user to choose.
"""

from __future__ import annotations

import re
import unicodedata

ORDER: dict[str, tuple[str, ...]] = {
    "binary": ("accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc", "log_loss"),
    "multiclass": ("accuracy", "balanced_accuracy", "f1_macro", "precision_macro", "recall_macro", "roc_auc",
                   "log_loss"),
    "regression": ("rmse", "mae", "r2", "mape", "within_tolerance"),
}
"""The metrics of each problem type, in display order."""

KNOWN: tuple[str, ...] = tuple(dict.fromkeys(m for ids in ORDER.values() for m in ids))
LOWER_IS_BETTER: frozenset[str] = frozenset({"log_loss", "rmse", "mae", "mape"})

_ALIASES: dict[str, str] = {
    # AutoGluon's and scikit-learn's names
    "root_mean_squared_error": "rmse", "mean_absolute_error": "mae", "auc": "roc_auc", "r²": "r2",
    "average_precision": "pr_auc", "mean_absolute_percentage_error": "mape", "r_squared": "r2",
    "f1score": "f1", "f1_score": "f1", "f_measure": "f1", "sensitivity": "recall", "tpr": "recall",
    "true_positive_rate": "recall", "hit_rate": "recall", "ppv": "precision", "rocauc": "roc_auc",
    "roc": "roc_auc", "prauc": "pr_auc", "logloss": "log_loss", "cross_entropy": "log_loss",
    "balanced accuracy": "balanced_accuracy", "macro_f1": "f1_macro", "f1macro": "f1_macro",
    "macro_recall": "recall_macro", "macro_precision": "precision_macro",
    "coefficient_of_determination": "r2", "root_mean_square_error": "rmse", "mean_abs_error": "mae",
    # Japanese names users type (and the catalog's own labels)
    "再現率": "recall", "感度": "recall", "検出率": "recall", "適合率": "precision", "精度": "accuracy",
    "正解率": "accuracy", "正答率": "accuracy", "f値": "f1", "f1スコア": "f1", "f1値": "f1",
    "決定係数": "r2", "r2(決定係数)": "r2", "平均絶対誤差": "mae", "二乗平均平方根誤差": "rmse",
    "平均二乗誤差平方根": "rmse", "平均絶対パーセント誤差": "mape", "平均絶対誤差率": "mape",
    "対数損失": "log_loss", "バランス正解率": "balanced_accuracy", "許容範囲内の割合": "within_tolerance",
    "再現率(マクロ平均)": "recall_macro", "適合率(マクロ平均)": "precision_macro",
    "f1(マクロ平均)": "f1_macro",
}
_SEPARATORS = re.compile(r"[\s_\-]+")


def _words(text: str) -> str:
    """Lower case, full-width folded (NFKC), spaces, hyphens and underscores as one space."""
    return _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", str(text)).strip().lower()).strip()


_BY_WORDS: dict[str, str] = {_words(k): v for k, v in _ALIASES.items()} | {_words(m): m for m in KNOWN}


def _occurs(name: str, text: str) -> bool:
    """``name`` in ``text``: as whole words for Latin names, anywhere for Japanese ones."""
    if name.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", text) is not None
    return name in text


def metric_id(text: str) -> str:
    """The metric id ``text`` names (an id, an alias, or a phrase such as '再現率が目標以上'), else ``text``.

    A phrase maps only when the names in it agree on one metric; a name inside a longer one
    (再現率 in 再現率(マクロ平均)) counts as the longer one.
    """
    words = _words(text)
    if words in _BY_WORDS:
        return _BY_WORDS[words]
    hits = [name for name in _BY_WORDS if len(name) > 1 and _occurs(name, words)]
    longest = [h for h in hits if not any(h != o and h in o for o in hits)]
    found = {_BY_WORDS[h] for h in longest}
    return found.pop() if len(found) == 1 else str(text).strip()


def is_known(metric: str) -> bool:
    """Whether ``metric`` is an id the Test step measures."""
    return metric in KNOWN


def canonical(name: str) -> str:
    """Our id for a metric name (ids, AutoGluon names and aliases in both languages)."""
    return metric_id(name)


def lower_is_better(metric: str) -> bool:
    """Whether smaller values of ``metric`` are better (errors and losses)."""
    return canonical(metric) in LOWER_IS_BETTER


def metrics_for(problem_type: str) -> tuple[str, ...]:
    """The metric ids of a problem type (every known id while the type is not decided)."""
    return ORDER.get(problem_type or "", KNOWN)


def metric_label(metric: str, lang: str) -> str:
    """A metric's name in ``lang``; text that names no metric is quoted and marked so (never a raw catalog key)."""
    from core.i18n import t

    if is_known(canonical(metric)):
        return t(f"evaluate.metric.{canonical(metric)}", lang)
    return t("evaluate.metric.unknown", lang, name=metric or "—")
