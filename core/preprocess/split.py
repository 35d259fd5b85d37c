"""The held-out test set: made once, stored as row positions, never shown to training.

The split is made on the dataset snapshot itself (before the recipe), so editing the recipe
later keeps the very same test rows and runs stay comparable. Rows are addressed by their
position in the snapshot; ``data_hash`` records which snapshot that was.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.data.versions import content_hash, row_hashes
from core.errors import UserError
from core.preprocess.transform import parse_dates

MIN_ROWS = 20
STRATEGIES = ("random", "stratified", "time", "group")
_DATE_TEXT = re.compile(r"^\d{4}[-/.年]\d{1,2}([-/.月]\d{1,2}日?)?([ T]\d{1,2}:\d{2}.*)?$"
                        r"|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")


@dataclass
class Split:
    """A stored train/test split: test row positions plus how they were chosen."""

    strategy: str
    test_share: float
    seed: int
    n_rows: int
    test_index: list[int]
    excluded_index: list[int] = field(default_factory=list)
    target: str | None = None
    problem_type: str | None = None
    time_column: str | None = None
    group_column: str | None = None
    cutoff: str | None = None
    data_hash: str = ""
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Split:
        """Inverse of :meth:`to_dict`."""
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def train_index(self) -> list[int]:
        """Positions of the training rows (everything not in test and not excluded)."""
        mask = np.ones(self.n_rows, dtype=bool)
        mask[self.test_index] = False
        mask[self.excluded_index] = False
        return np.flatnonzero(mask).tolist()

    def parts(self, df: pd.DataFrame, verify: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(train, test) rows of the snapshot ``df``; refuses a different snapshot."""
        if len(df) != self.n_rows or (verify and self.data_hash and content_hash(df) != self.data_hash):
            raise UserError("preprocess.error.split_stale")
        return df.iloc[self.train_index()], df.iloc[self.test_index]

    def counts(self) -> dict[str, int]:
        """Rows per set."""
        return {"train": self.n_rows - len(self.test_index) - len(self.excluded_index),
                "test": len(self.test_index), "excluded": len(self.excluded_index)}


def is_classification(problem_type: str | None) -> bool:
    """Binary or multiclass."""
    return problem_type in ("binary", "multiclass")


def check_target(y: pd.Series, problem_type: str | None, column: str) -> None:
    """Enough rows and, for classification, at least two classes (UserError otherwise)."""
    present = y.dropna()
    if present.empty:
        raise UserError("preprocess.error.target_all_missing", column=column)
    if len(present) < MIN_ROWS:
        raise UserError("preprocess.error.too_few_rows", rows=len(present), min=MIN_ROWS)
    if problem_type != "regression" and present.nunique() < 2:
        raise UserError("preprocess.error.single_class", column=column, value=str(present.iloc[0]))


def date_columns(df: pd.DataFrame, sample: int = 500) -> list[str]:
    """Columns holding dates: datetime dtype, or text where nearly every value looks like one."""
    out = []
    for col in df.columns:
        series = df[col]
        if pd.api.types.is_datetime64_any_dtype(series):
            out.append(col)
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            values = series.dropna().astype(str).str.strip().head(sample)
            if len(values) and values.str.match(_DATE_TEXT).mean() >= 0.9 and parse_dates(values).notna().mean() >= 0.9:
                out.append(col)
    return out


def default_strategy(problem_type: str | None, time_column: str | None = None) -> str:
    """Time when the data has dates, stratified for classification, random otherwise."""
    if time_column:
        return "time"
    return "stratified" if is_classification(problem_type) else "random"


def make_split(df: pd.DataFrame, strategy: str = "stratified", test_share: float = 0.2, seed: int = 42, *,
               target: str | None = None, problem_type: str | None = None, time_column: str | None = None,
               group_column: str | None = None) -> Split:
    """Hold out ``test_share`` of the rows of ``df`` (the snapshot) by ``strategy``."""
    if strategy not in STRATEGIES:
        raise UserError("preprocess.error.bad_choice", value=strategy)
    if not 0.05 <= float(test_share) <= 0.5:
        raise UserError("preprocess.error.bad_share", share=test_share)
    if len(df) < MIN_ROWS:
        raise UserError("preprocess.error.too_few_rows", rows=len(df), min=MIN_ROWS)
    excluded = np.zeros(len(df), dtype=bool)
    if target is not None:
        if target not in df.columns:
            raise UserError("preprocess.error.unknown_column", column=target, rule="target")
        check_target(df[target], problem_type, target)
        excluded |= df[target].isna().to_numpy()
    split = Split(strategy, float(test_share), int(seed), len(df), [], target=target, problem_type=problem_type,
                  time_column=time_column, group_column=group_column)
    test = _STRATEGY_FUNCS[strategy](df, split, excluded)
    split.test_index = np.flatnonzero(test & ~excluded).tolist()
    split.excluded_index = np.flatnonzero(excluded).tolist()
    _check_sizes(split)
    split.data_hash = content_hash(df)
    if strategy in ("random", "stratified"):
        dates = [c for c in date_columns(df) if c != target]
        if dates:
            split.warnings.append({"key": "preprocess.warning.random_with_dates", "params": {"column": dates[0]}})
    return split


def _check_sizes(split: Split) -> None:
    """Both sets must hold rows."""
    counts = split.counts()
    if counts["test"] == 0 or counts["train"] == 0:
        raise UserError("preprocess.error.empty_set", train=counts["train"], test=counts["test"])


def _n_test(n: int, share: float) -> int:
    """Test rows for ``n`` rows at ``share`` (at least one, leaving at least one)."""
    return min(max(1, math.ceil(n * share)), n - 1)


def _representatives(df: pd.DataFrame, excluded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first position of each distinct usable row, each usable row's representative position)."""
    positions = np.flatnonzero(~excluded)
    _, first, inverse = np.unique(row_hashes(df)[positions], return_index=True, return_inverse=True)
    rep = np.full(len(df), -1)
    rep[positions] = positions[first[inverse]]
    return np.sort(positions[first]), rep


def _spread(reps: np.ndarray, rep: np.ndarray, test_reps: np.ndarray, n: int) -> np.ndarray:
    """A test mask where identical rows follow their first copy (no duplicate straddles)."""
    chosen = np.zeros(n, dtype=bool)
    chosen[test_reps] = True
    return np.where(rep >= 0, chosen[np.clip(rep, 0, None)], False)


def _random(df: pd.DataFrame, split: Split, excluded: np.ndarray) -> np.ndarray:
    """Shuffle distinct rows with the seed; identical rows land in the same set."""
    reps, rep = _representatives(df, excluded)
    rng = np.random.default_rng(split.seed)
    test_reps = rng.permutation(reps)[:_n_test(len(reps), split.test_share)]
    return _spread(reps, rep, test_reps, len(df))


def _stratified(df: pd.DataFrame, split: Split, excluded: np.ndarray) -> np.ndarray:
    """Keep each class's share in both sets (needs at least two examples per class)."""
    if split.target is None or split.problem_type == "regression":
        raise UserError("preprocess.error.stratify_needs_target")
    from sklearn.model_selection import train_test_split

    reps, rep = _representatives(df, excluded)
    labels = df[split.target].iloc[reps].astype(str).to_numpy()
    values, counts = np.unique(labels, return_counts=True)
    if counts.min() < 2:
        raise UserError("preprocess.error.single_example_class", column=split.target,
                        value=str(values[counts.argmin()]))
    n_test = _n_test(len(reps), split.test_share)
    if n_test < len(values) or len(reps) - n_test < len(values):
        raise UserError("preprocess.error.too_few_for_stratify", classes=len(values), rows=len(reps))
    _, test_reps = train_test_split(reps, test_size=n_test, random_state=split.seed, stratify=labels)
    return _spread(reps, rep, np.asarray(test_reps), len(df))


def _time(df: pd.DataFrame, split: Split, excluded: np.ndarray) -> np.ndarray:
    """The latest rows by ``time_column`` form the test set; undated rows are left out."""
    column = split.time_column
    if not column or column not in df.columns:
        raise UserError("preprocess.error.time_column_needed")
    times = parse_dates(df[column])
    usable = ~excluded
    dated = times.notna().to_numpy() & usable
    if dated.sum() < max(2, 0.5 * usable.sum()):
        raise UserError("preprocess.error.time_unparsable", column=column, parsed=int(dated.sum()),
                        rows=int(usable.sum()))
    undated = int((usable & ~dated).sum())
    if undated:  # updated in place: the caller records these rows as excluded
        excluded |= usable & ~dated
        split.warnings.append({"key": "preprocess.warning.undated_rows",
                               "params": {"column": column, "count": undated}})
    ordered = np.sort(times[dated].to_numpy())
    cutoff = ordered[len(ordered) - _n_test(len(ordered), split.test_share)]
    test = dated & (times >= cutoff).to_numpy()
    if test.sum() == dated.sum():
        raise UserError("preprocess.error.time_no_spread", column=column)
    if times[dated & ~test].nunique() < 2:  # training validates on its own latest rows (core.train.validation)
        raise UserError("preprocess.error.time_train_constant", column=column,
                        value=pd.Timestamp(times[dated & ~test].iloc[0]).date().isoformat())
    split.cutoff = pd.Timestamp(cutoff).isoformat()
    return test


def group_values(raw: pd.Series, positions: np.ndarray | list[int]) -> pd.Series:
    """Group labels as text; a row without a group is a group of its own (labelled by its position).

    The label starts with a private-use character, not NUL: pandas' hash tables cut text at NUL,
    so every such row would count as one group.
    """
    lone = pd.Series([f"\ue000row{p}" for p in positions], index=raw.index)
    return raw.astype(str).where(raw.notna(), lone)


def _group(df: pd.DataFrame, split: Split, excluded: np.ndarray) -> np.ndarray:
    """Whole groups (e.g. customers) go to one set; a row without a group is its own group."""
    column = split.group_column
    if not column or column not in df.columns:
        raise UserError("preprocess.error.group_column_needed")
    from sklearn.model_selection import GroupShuffleSplit

    positions = np.flatnonzero(~excluded)
    raw = df[column].iloc[positions]
    groups = group_values(raw, positions)
    if groups.nunique() < 2:
        raise UserError("preprocess.error.group_too_few", column=column)
    splitter = GroupShuffleSplit(n_splits=1, test_size=split.test_share, random_state=split.seed)
    _, test_pos = next(splitter.split(positions, groups=groups.to_numpy()))
    test = np.zeros(len(df), dtype=bool)
    test[positions[test_pos]] = True
    train_groups = groups[~test[positions]]
    if train_groups.nunique() < 2:  # training validates on groups it keeps apart (core.train.validation)
        raise UserError("preprocess.error.group_train_one", column=column, value=str(train_groups.iloc[0]))
    return test


_STRATEGY_FUNCS = {"random": _random, "stratified": _stratified, "time": _time, "group": _group}
