"""Vectorised association measures between one feature and the target (each O(n) or O(n log n))."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

MAX_LEVELS = 50
MIN_LEVEL_ROWS = 3


def category_codes(series: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes (-1 = missing) keeping at most MAX_LEVELS frequent levels; the rest → 'other'."""
    codes, uniques = pd.factorize(series.astype(str).where(series.notna()), use_na_sentinel=True)
    if len(uniques) == 0:
        return codes, 0
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    order = np.argsort(-counts, kind="stable")
    keep = order[:MAX_LEVELS][counts[order[:MAX_LEVELS]] >= MIN_LEVEL_ROWS]
    mapping = np.full(len(uniques), len(keep), dtype=np.int64)
    mapping[keep] = np.arange(len(keep))
    out = np.where(codes >= 0, mapping[np.maximum(codes, 0)], -1)
    n_levels = len(keep) + int(len(keep) < len(uniques))
    return out, n_levels


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation on rows where both are finite (0 when undefined)."""
    mask = np.isfinite(x) & np.isfinite(y)
    if mask.sum() < 3:
        return 0.0
    xm, ym = x[mask] - x[mask].mean(), y[mask] - y[mask].mean()
    denom = np.sqrt((xm @ xm) * (ym @ ym))
    return float(xm @ ym / denom) if denom > 0 else 0.0


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman rank correlation on rows where both are finite."""
    mask = np.isfinite(x) & np.isfinite(y)
    if mask.sum() < 3:
        return 0.0
    return pearson(stats.rankdata(x[mask]), stats.rankdata(y[mask]))


def correlation_ratio(codes: np.ndarray, values: np.ndarray) -> float:
    """Correlation ratio η of a numeric variable across groups (codes ≥ 0)."""
    mask = (codes >= 0) & np.isfinite(values)
    if mask.sum() < 3:
        return 0.0
    c, v = codes[mask], values[mask]
    n_g = np.bincount(c)
    sums = np.bincount(c, weights=v)
    present = n_g > 0
    means = sums[present] / n_g[present]
    grand = v.mean()
    between = float(n_g[present] @ (means - grand) ** 2)
    total = float(((v - grand) ** 2).sum())
    return float(np.sqrt(between / total)) if total > 0 else 0.0


def cramers_v(codes_x: np.ndarray, codes_y: np.ndarray) -> float:
    """Bias-corrected Cramér's V (Bergsma 2013) of two coded categorical variables."""
    mask = (codes_x >= 0) & (codes_y >= 0)
    n = int(mask.sum())
    if n < 3:
        return 0.0
    x, y = codes_x[mask], codes_y[mask]
    ky = int(y.max()) + 1
    table = np.bincount(x * ky + y, minlength=(int(x.max()) + 1) * ky).reshape(-1, ky)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    r, k = table.shape
    if r < 2 or k < 2:
        return 0.0
    chi2 = stats.chi2_contingency(table, correction=False)[0]
    phi2 = max(0.0, chi2 / n - (k - 1) * (r - 1) / (n - 1))
    r_corr, k_corr = r - (r - 1) ** 2 / (n - 1), k - (k - 1) ** 2 / (n - 1)
    denom = min(k_corr - 1, r_corr - 1)
    return float(min(1.0, np.sqrt(phi2 / denom))) if denom > 0 else 0.0


def separability(x: np.ndarray, y_codes: np.ndarray) -> float:
    """How completely a few cut points on ``x`` split the classes (1 = perfectly, 0 = chance).

    Rows are grouped by distinct ``x`` value in sorted order; errors are the rows outside
    their group's majority class plus the class changes between neighbouring groups beyond
    the unavoidable ``classes − 1``, relative to the errors of always guessing the majority
    class. Unlike a
    correlation this also catches non-monotone leaks (a band of ``x`` meaning one class).
    """
    mask = np.isfinite(x) & (y_codes >= 0)
    n = int(mask.sum())
    if n < 10:
        return 0.0
    xs, ys = x[mask], y_codes[mask].astype(np.int64)
    order = np.argsort(xs, kind="stable")
    xs, ys = xs[order], ys[order]
    block = np.concatenate(([0], np.cumsum(xs[1:] != xs[:-1])))
    k = int(ys.max()) + 1
    counts = np.bincount(block * k + ys, minlength=(int(block[-1]) + 1) * k).reshape(-1, k)
    impure = int(counts.sum() - counts.max(axis=1).sum())
    majority = counts.argmax(axis=1)
    shares = counts.sum(axis=0) / n
    changes = int((majority[1:] != majority[:-1]).sum())
    excess = max(0, changes - (int((shares > 0).sum()) - 1))
    chance = n * (1 - float(shares.max()))
    if chance <= 0:
        return 0.0
    return float(np.clip(1 - (impure + excess) / chance, 0.0, 1.0))
