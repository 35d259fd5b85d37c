"""Run every benchmark module in ``bench/`` (``bench_*.py``) and print their reports."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main(names: list[str]) -> int:
    """Run the named benchmarks (all when none are named)."""
    here = Path(__file__).parent
    found = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    chosen = [n for n in found if not names or n in names or n.removeprefix("bench_") in names]
    failed = 0
    for name in chosen:
        print(f"\n=== {name} ===", flush=True)
        start = time.perf_counter()
        try:
            importlib.import_module(f"bench.{name}").run()
        except Exception as exc:  # noqa: BLE001 - report and go on with the next benchmark
            failed += 1
            print(f"FAILED: {type(exc).__name__}: {exc}")
        print(f"({time.perf_counter() - start:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
