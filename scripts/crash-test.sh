#!/usr/bin/env bash
# The crash test at full size: `tradeengine replay` on 130,680 real BTC minutes,
# killed with SIGKILL at 40 random points (a third of them while an order is
# submitted but not filled), resumed each time, then compared with an
# uninterrupted run: same trade list, same equity to the cent, no client order
# id used twice, PRAGMA integrity_check clean. CI runs the same test smaller.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
TRADEENGINE_CRASH_DATA=BTCUSDT-1m-20250520-20250818.csv.gz \
TRADEENGINE_CRASH_ROUNDS=40 \
TRADEENGINE_CRASH_EQUITY=95667.79 \
    swift test --skip-build --filter ReplayCrashTests
