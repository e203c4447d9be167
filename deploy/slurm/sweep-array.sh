#!/usr/bin/env bash
# A crossprop sweep on Slurm: a job array runs the shards (task i runs `--shard auto`: shard i of
# SHARDS, from SLURM_ARRAY_TASK_ID / _MIN / _COUNT), then a merge job, submitted with
# --dependency=afterok on the array, joins them into the result set an unsharded run would have
# written. See docs/shards.md.
#
# Run it on a login node, from the repository's root (installed: npx -y pnpm@10.34.9 install),
# on a filesystem the compute nodes share:
#   deploy/slurm/sweep-array.sh                                   # configs/sweeps/lr-batch.yaml, 4 shards
#   CONFIG=configs/sweeps/backend-model.yaml SHARDS=8 deploy/slurm/sweep-array.sh
# It submits itself twice: as the array (role "shard") and as the merge job (role "merge").
# The results: $SWEEP_DIR/merged (results.json, results.csv, summary.md, junit.xml, trials/);
# the logs: $SWEEP_DIR/logs. Submitting again with the same SWEEP_DIR resumes finished trials.
#
# To adapt: the #SBATCH lines (partition, account, time), and CROSSPROP on compute nodes without
# network (npm install --global pnpm@10.34.9, then CROSSPROP="pnpm crossprop").
#SBATCH --job-name=crossprop-sweep
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=02:00:00
set -euo pipefail

CONFIG=${CONFIG:-configs/sweeps/lr-batch.yaml}
SHARDS=${SHARDS:-4}
SWEEP_DIR=${SWEEP_DIR:-runs/slurm-sweep}
CROSSPROP=${CROSSPROP:-npx -y pnpm@10.34.9 crossprop}
export CONFIG SHARDS SWEEP_DIR CROSSPROP

case "${1:-submit}" in
  submit)
    mkdir -p "$SWEEP_DIR/logs"
    # Task ids 1…SHARDS, so task i writes shard-i; crossprop counts from SLURM_ARRAY_TASK_MIN, and
    # a stepped range (--array=0-14:2) works as well. Add %K (--array=1-8%2) to run K at a time.
    shards_job=$(sbatch --parsable --chdir="$PWD" --array="1-$SHARDS" --job-name=crossprop-shard \
      --output="$SWEEP_DIR/logs/shard-%a.out" "$0" shard)
    # afterok: every shard ran to its end (see "shard" below); kill-on-invalid-dep: if one did not
    # (a usage error, cancelled, timed out), the merge is cancelled instead of pending forever.
    merge_job=$(sbatch --parsable --chdir="$PWD" --dependency="afterok:${shards_job%%;*}" --kill-on-invalid-dep=yes \
      --job-name=crossprop-merge --cpus-per-task=1 --output="$SWEEP_DIR/logs/merge.out" "$0" merge)
    echo "submitted: shards ${shards_job%%;*} (array 1-$SHARDS of $CONFIG), merge $merge_job after them, into $SWEEP_DIR"
    ;;
  shard)
    status=0
    # shellcheck disable=SC2086 # CROSSPROP is a command line, split on purpose
    $CROSSPROP sweep "$CONFIG" --shard auto --out "$SWEEP_DIR/shard-$SLURM_ARRAY_TASK_ID" || status=$?
    # 1 = some trials failed or missed expect:, their results written: the shard ran to its end,
    # so the merge runs and reports them (its own exit is 1). Anything else stops the merge.
    if [ "$status" -eq 1 ]; then
      echo "crossprop-shard: trials failed in shard $SLURM_ARRAY_TASK_ID; the merge reports them" >&2
      exit 0
    fi
    exit "$status"
    ;;
  merge)
    # Merge recomputes the plan from $CONFIG (here, in the submit directory) and verifies every
    # shard against it. The glob takes the shards that wrote something; a lost one is not_run.
    # shellcheck disable=SC2086
    exec $CROSSPROP sweep merge "$SWEEP_DIR"/shard-* --out "$SWEEP_DIR/merged"
    ;;
  *)
    echo "usage: $0 [submit|shard|merge]  (CONFIG, SHARDS, SWEEP_DIR, CROSSPROP from the environment)" >&2
    exit 2
    ;;
esac
