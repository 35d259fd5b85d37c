"""Exact interventional ("independent") TreeSHAP for one tree model, in its output space.

For a row ``x`` and one background row ``z`` the Shapley values of the hybrid game
``v(S) = f(x_S, z_rest)`` are exact and cheap for a tree ensemble (Lundberg et al. 2020,
"Independent Tree SHAP"): walking the tree with ``x`` and ``z`` together, a leaf reached with
``a`` features that must come from ``x`` and ``b`` that must come from ``z`` gives each of the
``a`` features ``v·(a−1)!·b!/(a+b)!`` and each of the ``b`` features ``−v·a!·(b−1)!/(a+b)!``.
Summed over trees this is the margin's decomposition of ``m(x) − m(z)``. For a logistic output
the pair's values are rescaled to ``σ(m(x)) − σ(m(z))`` (what ``shap.TreeExplainer`` does with
``model_output="probability"``), then averaged over the background rows: the values add up to
``f(x) − mean_z f(z)`` exactly (local accuracy).

Unlike ``shap.TreeExplainer`` (0.51), this handles LightGBM's categorical splits. Trees come
from LightGBM (``dump_model``), XGBoost (JSON dump) and scikit-learn forests; each parser's
margins are checked against the library's own predictions by the caller.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

# split kinds: how a row chooses the left child
LE_NAN_DEFAULT, LT_NAN_DEFAULT, CAT_NAN_RIGHT, LE_NAN_ZERO, LE_ZERO_DEFAULT = 0, 1, 2, 3, 4
_LOCK = threading.Lock()  # numba's default threading layer must not run parallel kernels from two threads at once


@dataclass
class Forest:
    """Trees of one model as flat arrays; ``roots[t]`` is tree ``t``'s first node."""

    left: np.ndarray
    right: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    kind: np.ndarray
    default_left: np.ndarray
    cat_start: np.ndarray
    cat_len: np.ndarray
    cats: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    offset: float = 0.0

    @property
    def n_nodes(self) -> int:
        """Total nodes over all trees."""
        return len(self.left)

    def max_depth(self) -> int:
        """The deepest leaf's depth over all trees."""
        depth = np.zeros(self.n_nodes, np.int64)
        for root in self.roots:  # children always come after their parent in the arrays
            stack = [int(root)]
            while stack:
                i = stack.pop()
                for c in (self.left[i], self.right[i]):
                    if c >= 0:
                        depth[c] = depth[i] + 1
                        stack.append(int(c))
        return int(depth.max(initial=0))


class _Builder:
    """Collects nodes tree by tree (indices are global)."""

    def __init__(self) -> None:
        self.cols: dict[str, list] = {k: [] for k in ("left", "right", "feature", "threshold", "kind", "default_left",
                                                       "cat_start", "cat_len", "value")}
        self.cats: list[float] = []
        self.roots: list[int] = []

    def node(self) -> int:
        """Reserve a node; returns its index."""
        for key, default in (("left", -1), ("right", -1), ("feature", -1), ("threshold", 0.0), ("kind", 0),
                             ("default_left", False), ("cat_start", 0), ("cat_len", 0), ("value", 0.0)):
            self.cols[key].append(default)
        return len(self.cols["left"]) - 1

    def set(self, i: int, **values: object) -> None:
        """Fill fields of node ``i``."""
        for key, value in values.items():
            self.cols[key][i] = value

    def categories(self, values: list[float]) -> tuple[int, int]:
        """Store a category set; returns (start, length)."""
        start = len(self.cats)
        self.cats.extend(values)
        return start, len(values)

    def build(self, offset: float = 0.0) -> Forest:
        """The flat arrays."""
        c = self.cols
        return Forest(np.asarray(c["left"], np.int64), np.asarray(c["right"], np.int64),
                      np.asarray(c["feature"], np.int64), np.asarray(c["threshold"], np.float64),
                      np.asarray(c["kind"], np.int64), np.asarray(c["default_left"], np.bool_),
                      np.asarray(c["cat_start"], np.int64), np.asarray(c["cat_len"], np.int64),
                      np.asarray(self.cats or [0.0], np.float64), np.asarray(c["value"], np.float64),
                      np.asarray(self.roots, np.int64), float(offset))


# --------------------------------------------------------------------------- parsers


def from_lightgbm(booster: object) -> Forest:
    """A LightGBM booster (binary or regression, no linear trees) as flat trees."""
    dump = booster.dump_model()
    if dump.get("num_tree_per_iteration", 1) != 1 or dump.get("linear_tree"):
        raise ValueError("only single-output LightGBM models")
    b = _Builder()
    for tree in dump["tree_info"]:
        b.roots.append(_lgb_node(b, tree["tree_structure"]))
    return b.build()


def _lgb_node(b: _Builder, node: dict) -> int:
    i = b.node()
    if "split_index" not in node:
        b.set(i, value=float(node["leaf_value"]))
        return i
    missing = node.get("missing_type", "None")
    if node["decision_type"] == "==":
        start, n = b.categories([float(v) for v in str(node["threshold"]).split("||")])
        b.set(i, kind=CAT_NAN_RIGHT, cat_start=start, cat_len=n)
    else:
        kind = {"NaN": LE_NAN_DEFAULT, "Zero": LE_ZERO_DEFAULT}.get(missing, LE_NAN_ZERO)
        b.set(i, kind=kind, threshold=float(node["threshold"]))
    b.set(i, feature=int(node["split_feature"]), default_left=bool(node.get("default_left", False)))
    b.set(i, left=_lgb_node(b, node["left_child"]), right=_lgb_node(b, node["right_child"]))
    return i


def from_xgboost(booster: object, n_trees: int | None = None, offset: float = 0.0) -> Forest:
    """An XGBoost booster's first ``n_trees`` trees (numeric splits only), from its exact JSON model."""
    model = json.loads(bytes(booster.save_raw("json")))["learner"]["gradient_booster"]["model"]
    trees = model["trees"][: n_trees or len(model["trees"])]
    b = _Builder()
    for tree in trees:
        if any(int(v) != 0 for v in tree.get("split_type", [])):
            raise ValueError("categorical XGBoost splits are not supported")
        base = len(b.cols["left"])
        left, right = tree["left_children"], tree["right_children"]
        cond, index, dleft = tree["split_conditions"], tree["split_indices"], tree["default_left"]
        for n in range(len(left)):
            i = b.node()
            leaf = left[n] == -1
            b.set(i, value=float(cond[n]) if leaf else 0.0, feature=-1 if leaf else int(index[n]),
                  threshold=float(np.float32(cond[n])), kind=LT_NAN_DEFAULT, default_left=bool(dleft[n]),
                  left=-1 if leaf else base + int(left[n]), right=-1 if leaf else base + int(right[n]))
        b.roots.append(base)
    return b.build(offset)


def from_sklearn_forest(model: object, column: int) -> Forest:
    """A fitted scikit-learn forest or tree (output ``column`` of ``value``), averaged over its trees."""
    estimators = getattr(model, "estimators_", None) or [model]
    b, scale = _Builder(), 1.0 / len(estimators)
    for est in estimators:
        tree = est.tree_
        base = len(b.cols["left"])
        missing_left = getattr(tree, "missing_go_to_left", np.zeros(tree.node_count, dtype=bool))
        values = tree.value[:, 0, column]
        for n in range(tree.node_count):
            i = b.node()
            leaf = tree.children_left[n] == -1
            b.set(i, value=float(values[n]) * scale if leaf else 0.0, feature=-1 if leaf else int(tree.feature[n]),
                  threshold=float(tree.threshold[n]), kind=LE_NAN_DEFAULT, default_left=bool(missing_left[n]),
                  left=-1 if leaf else base + int(tree.children_left[n]),
                  right=-1 if leaf else base + int(tree.children_right[n]))
        b.roots.append(base)
    return b.build()


# --------------------------------------------------------------------------- kernels


@njit(cache=True)
def _goes_left(v: float, kind: int, thr: float, default_left: bool, cats: np.ndarray, start: int, n: int) -> bool:
    if kind == CAT_NAN_RIGHT:  # LightGBM 4: a missing or negative category goes right
        if math.isnan(v) or v < 0:
            return False
        iv = float(int(v))
        for k in range(start, start + n):
            if cats[k] == iv:
                return True
        return False
    if math.isnan(v):
        if kind == LE_NAN_ZERO:
            v = 0.0
        else:
            return default_left
    if kind == LE_ZERO_DEFAULT and abs(v) <= 1e-35:
        return default_left
    if kind == LT_NAN_DEFAULT:
        return v < thr
    return v <= thr


@njit(cache=True)
def _child(row: np.ndarray, i: int, left: np.ndarray, right: np.ndarray, feature: np.ndarray, threshold: np.ndarray,
           kind: np.ndarray, default_left: np.ndarray, cat_start: np.ndarray, cat_len: np.ndarray,
           cats: np.ndarray) -> int:
    if _goes_left(row[feature[i]], kind[i], threshold[i], default_left[i], cats, cat_start[i], cat_len[i]):
        return left[i]
    return right[i]


@njit(parallel=True, cache=True)
def margins(X: np.ndarray, left: np.ndarray, right: np.ndarray, feature: np.ndarray, threshold: np.ndarray,
            kind: np.ndarray, default_left: np.ndarray, cat_start: np.ndarray, cat_len: np.ndarray,
            cats: np.ndarray, value: np.ndarray, roots: np.ndarray) -> np.ndarray:
    """Sum of leaf values per row (the raw margin without the offset)."""
    out = np.zeros(X.shape[0])
    for r in prange(X.shape[0]):
        total = 0.0
        for t in range(roots.shape[0]):
            i = roots[t]
            while left[i] >= 0:
                i = _child(X[r], i, left, right, feature, threshold, kind, default_left, cat_start, cat_len, cats)
            total += value[i]
        out[r] = total
    return out


@njit(cache=True)
def _directions(row: np.ndarray, out: np.ndarray, left: np.ndarray, feature: np.ndarray, threshold: np.ndarray,
                kind: np.ndarray, default_left: np.ndarray, cat_start: np.ndarray, cat_len: np.ndarray,
                cats: np.ndarray) -> None:
    """out[i] = 1 when ``row`` goes left at split node i."""
    for i in range(left.shape[0]):
        if left[i] >= 0:
            out[i] = _goes_left(row[feature[i]], kind[i], threshold[i], default_left[i], cats, cat_start[i],
                                cat_len[i])


@njit(parallel=True, cache=True)
def _all_directions(X: np.ndarray, left: np.ndarray, feature: np.ndarray, threshold: np.ndarray, kind: np.ndarray,
                    default_left: np.ndarray, cat_start: np.ndarray, cat_len: np.ndarray,
                    cats: np.ndarray) -> np.ndarray:
    out = np.zeros((X.shape[0], left.shape[0]), np.uint8)
    for r in prange(X.shape[0]):
        _directions(X[r], out[r], left, feature, threshold, kind, default_left, cat_start, cat_len, cats)
    return out


def _weights(depth: int) -> tuple[np.ndarray, np.ndarray]:
    """wpos[a, b] = (a−1)!·b!/(a+b)!, wneg[a, b] = a!·(b−1)!/(a+b)!."""
    wpos, wneg = np.zeros((depth + 1, depth + 1)), np.zeros((depth + 1, depth + 1))
    for a in range(depth + 1):
        for b in range(depth + 1):
            if a + b == 0:
                continue
            den = math.lgamma(a + b + 1)
            if a:
                wpos[a, b] = math.exp(math.lgamma(a) + math.lgamma(b + 1) - den)
            if b:
                wneg[a, b] = math.exp(math.lgamma(a + 1) + math.lgamma(b) - den)
    return wpos, wneg


@njit(cache=True)
def _pair(xdir: np.ndarray, zdir: np.ndarray, root: int, left: np.ndarray, right: np.ndarray, feature: np.ndarray,
          value: np.ndarray, wpos: np.ndarray, wneg: np.ndarray, phi: np.ndarray, fstate: np.ndarray,
          st_node: np.ndarray, st_a: np.ndarray, st_b: np.ndarray, st_len: np.ndarray, st_feat: np.ndarray,
          st_state: np.ndarray, path_feat: np.ndarray, path_state: np.ndarray) -> None:
    """Add one tree's exact Shapley values of the (x, z) hybrid game to ``phi``.

    Depth-first over the hybrid paths: where x and z go the same way (or the feature is
    already bound to one of them) the walk continues without branching; ``fstate[f]`` is 1
    when feature f must come from x, 2 from z (undone when the walk backs up).
    """
    top, cur = 0, 0
    st_node[0], st_a[0], st_b[0], st_len[0], st_feat[0], st_state[0] = root, 0, 0, 0, -1, 0
    while top >= 0:
        i, a, b, plen, f_new, s_new = st_node[top], st_a[top], st_b[top], st_len[top], st_feat[top], st_state[top]
        top -= 1
        while cur > plen - (1 if f_new >= 0 else 0):
            cur -= 1
            fstate[path_feat[cur]] = 0
        if f_new >= 0:
            path_feat[cur], path_state[cur] = f_new, s_new
            fstate[f_new] = s_new
            cur += 1
        while left[i] >= 0:
            f = feature[i]
            gx = xdir[i] == 1
            gz = zdir[i] == 1
            state = fstate[f]
            if state == 1 or (state == 0 and gx == gz):
                i = left[i] if gx else right[i]
            elif state == 2:
                i = left[i] if gz else right[i]
            else:
                top += 1
                st_node[top], st_a[top], st_b[top], st_len[top] = left[i] if gz else right[i], a, b + 1, cur + 1
                st_feat[top], st_state[top] = f, 2
                path_feat[cur], path_state[cur] = f, 1
                fstate[f] = 1
                cur += 1
                a += 1
                i = left[i] if gx else right[i]
        if a + b > 0:
            v = value[i]
            wp, wn = v * wpos[a, b], v * wneg[a, b]
            for k in range(cur):
                if path_state[k] == 1:
                    phi[path_feat[k]] += wp
                else:
                    phi[path_feat[k]] -= wn
    for k in range(cur):  # leave no binding behind for the next tree
        fstate[path_feat[k]] = 0


@njit(parallel=True, cache=True)
def _explain(X: np.ndarray, zdirs: np.ndarray, mx: np.ndarray, mz: np.ndarray, logistic: bool, left: np.ndarray,
             right: np.ndarray, feature: np.ndarray, threshold: np.ndarray, kind: np.ndarray,
             default_left: np.ndarray, cat_start: np.ndarray, cat_len: np.ndarray, cats: np.ndarray,
             value: np.ndarray, roots: np.ndarray, wpos: np.ndarray, wneg: np.ndarray, depth: int) -> np.ndarray:
    n, m = X.shape
    nz = zdirs.shape[0]
    out = np.zeros((n, m))
    size = 2 * depth + 4
    for r in prange(n):
        phi, fstate = np.zeros(m), np.zeros(m, np.int64)
        xdir = np.zeros(left.shape[0], np.uint8)
        _directions(X[r], xdir, left, feature, threshold, kind, default_left, cat_start, cat_len, cats)
        st_node, st_a = np.zeros(size, np.int64), np.zeros(size, np.int64)
        st_b, st_len = np.zeros(size, np.int64), np.zeros(size, np.int64)
        st_feat, st_state = np.zeros(size, np.int64), np.zeros(size, np.int64)
        path_feat, path_state = np.zeros(depth + 1, np.int64), np.zeros(depth + 1, np.int64)
        for j in range(nz):
            phi[:] = 0.0
            for t in range(roots.shape[0]):
                _pair(xdir, zdirs[j], roots[t], left, right, feature, value, wpos, wneg, phi, fstate, st_node, st_a,
                      st_b, st_len, st_feat, st_state, path_feat, path_state)
            scale = 1.0
            if logistic:
                d = mx[r] - mz[j]
                px, pz = 1.0 / (1.0 + math.exp(-mx[r])), 1.0 / (1.0 + math.exp(-mz[j]))
                scale = (px - pz) / d if abs(d) > 1e-12 else px * (1.0 - px)
            for k in range(m):
                out[r, k] += phi[k] * scale
    return out / nz


def forest_margins(forest: Forest, X: np.ndarray) -> np.ndarray:
    """Raw margins (offset included) of rows ``X`` (float64, model input columns)."""
    f = forest
    with _LOCK:
        return f.offset + margins(np.ascontiguousarray(X, np.float64), f.left, f.right, f.feature, f.threshold,
                                  f.kind, f.default_left, f.cat_start, f.cat_len, f.cats, f.value, f.roots)


def forest_shap(forest: Forest, X: np.ndarray, Z: np.ndarray, logistic: bool) -> tuple[np.ndarray, np.ndarray]:
    """(SHAP values of rows ``X`` against background ``Z``, per-row outputs); output = σ(margin) if logistic."""
    X, Z = np.ascontiguousarray(X, np.float64), np.ascontiguousarray(Z, np.float64)
    mx, mz = forest_margins(forest, X), forest_margins(forest, Z)
    f = forest
    depth = max(f.max_depth(), 1)
    wpos, wneg = _weights(depth)
    with _LOCK:
        zdirs = _all_directions(Z, f.left, f.feature, f.threshold, f.kind, f.default_left, f.cat_start, f.cat_len,
                                f.cats)
        phi = _explain(X, zdirs, mx, mz, logistic, f.left, f.right, f.feature, f.threshold, f.kind, f.default_left,
                       f.cat_start, f.cat_len, f.cats, f.value, f.roots, wpos, wneg, depth)
    return phi, mx
