"""Speed and memory of the diagnosis (Step 2) against the issue's targets.

* 1,000,000 rows × 30 columns (synthetic, seeded): within 20 s, peak memory under 4 GiB;
* the 5,000-row CP932 churn sample (import + diagnosis): within 2 s.

Each case runs in a fresh spawned process so its peak resident memory (``ru_maxrss``)
is its own. The baseline, run on the same frame in the same process, is pandas'
``df.describe(include="all")``: a one-pass summary that any analysis costs at least.
Ratios below 1.0 against a target mean the target is met.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import time
from pathlib import Path

TARGET_BIG_S = 20.0
TARGET_BIG_GIB = 4.0
TARGET_SMALL_S = 2.0
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "telecom_churn_ja_cp932.csv"


def synthetic(n_rows: int = 1_000_000, seed: int = 0):
    """30 columns like a business export: numbers, a correlated pair, codes, an ID, text, dates, gaps."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    cols: dict[str, object] = {"customer_id": np.arange(n_rows) + 100_000}
    for i in range(13):
        cols[f"num_{i}"] = rng.normal(100, 15, n_rows).round(2)
    cols["minutes"] = rng.uniform(0, 350, n_rows).round(1)
    cols["charge"] = (cols["minutes"] * 0.17).round(2)
    cols["area_code"] = rng.choice([408, 415, 510], n_rows)
    cols["calls"] = rng.poisson(3, n_rows)
    cols["tenure"] = rng.integers(1, 240, n_rows)
    for i, levels in enumerate((["A", "B", "C"], ["north", "south", "east", "west"], ["yes", "no"],
                                [f"plan_{k}" for k in range(12)], [f"state_{k}" for k in range(50)])):
        cols[f"cat_{i}"] = pd.Categorical(rng.choice(levels, n_rows)).astype(object)
    days = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1500, n_rows), unit="D")
    cols["signup_date"] = days.strftime("%Y-%m-%d")
    sparse = rng.normal(size=n_rows)
    sparse[rng.random(n_rows) < 0.6] = np.nan
    cols["sparse"] = sparse
    cols["constant"] = np.ones(n_rows)
    cols["contact_email"] = "user" + pd.Series(cols["customer_id"]).astype(str) + "@example.com"
    score = pd.Series(rng.integers(0, 100, n_rows)).astype(str)
    score[rng.random(n_rows) < 0.03] = "n/a"
    cols["score_text"] = score
    logit = 0.02 * (cols["calls"] - 3) + 0.004 * (cols["minutes"] - 175) - 1.8
    cols["churn"] = np.where(rng.random(n_rows) < 1 / (1 + np.exp(-logit)), "True.", "False.")
    df = pd.DataFrame(cols)
    assert df.shape == (n_rows, 30), df.shape
    return df


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB on Linux


def _big(queue: mp.Queue) -> None:
    from core.analyze import analyze

    df = synthetic()
    start = time.perf_counter()
    df.describe(include="all")
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    report = analyze(df, "churn", positive_class="True.")
    elapsed = time.perf_counter() - start
    checks = sorted({f.check for f in report.findings})
    queue.put({"seconds": elapsed, "baseline": baseline, "peak_gib": _peak_gib(), "sampled": report.sample_rows,
               "findings": len(report.findings), "checks": checks})


def _small(queue: mp.Queue) -> None:
    from core.analyze import analyze
    from core.data import read_upload

    content = SAMPLE.read_bytes()
    start = time.perf_counter()
    result = read_upload(content, SAMPLE.name)
    imported = time.perf_counter() - start
    df = result.df
    start = time.perf_counter()
    df.describe(include="all")
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    analyze(df, "解約", positive_class="True.")
    analysed = time.perf_counter() - start
    queue.put({"import": imported, "analyse": analysed, "baseline": baseline, "peak_gib": _peak_gib()})


def _run_in_child(target) -> dict:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(queue,))
    proc.start()
    import queue as queues

    while True:
        try:
            out = queue.get(timeout=2)
            break
        except queues.Empty:
            if not proc.is_alive():
                raise RuntimeError(f"benchmark process failed (exit code {proc.exitcode})") from None
    proc.join()
    return out


def run() -> None:
    """Measure both cases and print them against the targets and the baseline."""
    big = _run_in_child(_big)
    print(f"analyze 1,000,000 rows × 30 columns: {big['seconds']:.1f} s "
          f"(target {TARGET_BIG_S:.0f} s → {big['seconds'] / TARGET_BIG_S:.2f}×), "
          f"peak RSS {big['peak_gib']:.2f} GiB (target {TARGET_BIG_GIB:.0f} GiB → "
          f"{big['peak_gib'] / TARGET_BIG_GIB:.2f}×)")
    print(f"  baseline df.describe(include='all'): {big['baseline']:.1f} s → analysis is "
          f"{big['seconds'] / big['baseline']:.1f}× the baseline")
    print(f"  relation/date/text/personal-data checks sampled {big['sampled']:,} rows; "
          f"{big['findings']} findings from checks: {', '.join(big['checks'])}")
    small = _run_in_child(_small)
    total = small["import"] + small["analyse"]
    print(f"5,000-row CP932 sample: import {small['import']:.2f} s + analysis {small['analyse']:.2f} s = {total:.2f} s "
          f"(target {TARGET_SMALL_S:.0f} s → {total / TARGET_SMALL_S:.2f}×), peak RSS {small['peak_gib']:.2f} GiB")
    print(f"  baseline df.describe(include='all'): {small['baseline'] * 1000:.0f} ms → analysis is "
          f"{small['analyse'] / small['baseline']:.1f}× the baseline")


if __name__ == "__main__":
    run()
