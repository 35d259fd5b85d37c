#!/usr/bin/env bash
# The whole test suite: system packages, a throw-away PostgreSQL, then pytest over all tiers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
# shellcheck source=scripts/pg-cluster.sh
source scripts/pg-cluster.sh
export REQUIRE_POSTGRES=1 REQUIRE_BROWSER=1
.venv/bin/python -m pytest "${@:-tests}" -q -p no:cacheprovider
