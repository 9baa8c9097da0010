#!/usr/bin/env bash
# One shard of a `wand eval` grid, on one node of a cluster. The shard comes from the
# scheduler: a Slurm array job (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT; submit with
# --array=0-(N-1)) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, and WAND_SHARDS for
# N). The arguments are the grid, the same on every shard; results go to
# $WAND_EVAL_DIR/shard-I-of-N (default results/). When all shards are done:
#   wand eval merge --out results/merged results/shard-*
# WAND names the wand binary (default: wand on PATH).
set -euo pipefail
index="${SLURM_ARRAY_TASK_ID:-${JOB_COMPLETION_INDEX:-}}"
count="${SLURM_ARRAY_TASK_COUNT:-${WAND_SHARDS:-}}"
if [[ -z "$index" || -z "$count" ]]; then
    echo "eval-shard.sh: no shard given: run it as a Slurm array job (SLURM_ARRAY_TASK_ID," \
         "SLURM_ARRAY_TASK_COUNT) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, WAND_SHARDS)" >&2
    exit 2
fi
out="${WAND_EVAL_DIR:-results}/shard-${index}-of-${count}"
exec "${WAND:-wand}" eval --shard "${index}/${count}" --out "$out" "$@"
