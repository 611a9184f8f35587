#!/bin/sh
# run.sh TARGET SECONDS DICT SEEDS KEPT WORKDIR: one bounded libFuzzer run of
# TARGET. New inputs go to WORKDIR (never into the source tree), found
# crashes too; SEEDS and KEPT are read only.
set -eu
target=$1 seconds=$2 dict=$3 seeds=$4 kept=$5 work=$6
mkdir -p "$work/corpus" "$work/artifacts"
exec "$target" -max_total_time="$seconds" -dict="$dict" -print_final_stats=1 \
	-close_fd_mask=1 -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$work/artifacts/" \
	"$work/corpus" "$seeds" "$kept"
