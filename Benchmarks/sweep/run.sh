#!/usr/bin/env bash
# Sweep throughput on 1 job against 2 (release build): 32 backtests of the
# three-model stack over the January files (BTC, ETH, SOL: 150,540 candles
# each). Interleaved pairs, so both see the same machine; prints the sweep's
# own timing lines (backtests/s and candles/s in total, data loading excluded).
#   swift build -c release --product tradeengine && Benchmarks/sweep/run.sh [pairs]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/tradeengine
data=../shared/data
pairs=${1:-3}
for k in $(seq 1 "$pairs"); do
    for jobs in 1 2; do
        printf 'pair %d, --jobs %d: ' "$k" "$jobs"
        "$bin" sweep --strategy models --grid Benchmarks/sweep/models-grid.json --jobs "$jobs" --min-trades 0 \
            --data "$data/BTCUSDT-1m-20250101-20250204.csv" --data "$data/ETHUSDT-1m-20250101-20250204.csv" \
            --data "$data/SOLUSDT-1m-20250101-20250204.csv" 2>&1 >/dev/null | grep 'backtests in'
    done
done
