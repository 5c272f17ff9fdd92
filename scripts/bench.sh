#!/usr/bin/env bash
# `npm run bench`: the benchmarks on servers of their own (fresh data), figures beside same-run baselines.
# Sizes and budgets: BENCH_* variables (bench/run.ts). Writes bench/results/latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_modules
ensure_servers
# `npm run bench:import`: the roster import benchmark alone (bench/import.ts)
if [[ "${1:-}" == "import" ]]; then exec node --import tsx bench/import.ts; fi
# `npm run bench:disaster`: a disaster batch of 5,000 households beside POST /claims (bench/disaster.ts)
if [[ "${1:-}" == "disaster" ]]; then exec node --import tsx bench/disaster.ts; fi
# `npm run bench:worker`: the worker with many open claims, per workflow-cache setting (bench/worker-scale.ts)
if [[ "${1:-}" == "worker" ]]; then exec node --import tsx bench/worker-scale.ts; fi
# `npm run bench:replay`: the CPU a replay of a recorded claim history costs, per workflow bundle (bench/replay.ts)
if [[ "${1:-}" == "replay" ]]; then exec node --import tsx bench/replay.ts; fi
# `npm run bench:profile-api`: where the API spends its CPU on a filing and on a read (bench/profile-api.ts)
if [[ "${1:-}" == "profile-api" ]]; then exec node --import tsx bench/profile-api.ts; fi
# `npm run bench:lifecycle`: claims filed → paid beside the baseline workflow, with CPU per claim (bench/lifecycle.ts)
if [[ "${1:-}" == "lifecycle" ]]; then exec node --import tsx bench/lifecycle.ts; fi
exec node --import tsx bench/run.ts
