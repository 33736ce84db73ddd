#!/usr/bin/env bash
# A sharded sweep as a Slurm job array: task I of N runs shard I/N.
#   sbatch deploy/sweep-slurm.sh            # submits 8 tasks
#   # when all are done:
#   tradeengine sweep-merge results/shard-*.csv --objective net_pnl --min-trades 10 --out results/sweep.csv
# A walk-forward the same way, by window: `tradeengine walkforward … --shard "$I/$N" --part results/part-$I.json`,
# then `tradeengine walkforward-merge results/part-*.json --out … --equity … --html …`.
#SBATCH --job-name=tradeengine-sweep
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
#SBATCH --output=results/shard-%a.log
set -euo pipefail
N=8
mkdir -p results
tradeengine sweep \
    --data data/BTCUSDT-1m-20250520-20250818.csv.gz --data data/ETHUSDT-1m-20250520-20250818.csv.gz \
    --strategy models --grid grid.json --objective net_pnl --min-trades 10 \
    --jobs "${SLURM_CPUS_PER_TASK}" --shard "${SLURM_ARRAY_TASK_ID}/${N}" \
    --out "results/shard-${SLURM_ARRAY_TASK_ID}.csv"
