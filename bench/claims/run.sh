#!/usr/bin/env bash
# HTTP claim benchmark (issue 3/5, "Performance"): start the real server (Release, from its build directory as deployed,
# default configuration, so the claim rate limits are on) on fresh data, then in one run of the load generator's
# `claims` command: provision the devices with claim codes the generator chose, measure GET /healthz (the yardstick),
# single claims alone, batch claims (POST /api/v1/claims/batch, a few in flight) with single claims of another tenant
# at a steady rate meanwhile, and the same batches again (already claimed: nothing written). Prints a table.
#
#   bench/claims/run.sh                                   # SQLite, 200,000 devices, batches of 1,000, 4 in flight
#   DEVICES=50000 CONFIGS="sqlite:Process postgres:Process" bench/claims/run.sh
#
# Settings (environment): CONFIGS ("sqlite:Process"; also postgres:Process, sqlite:Full), DEVICES (200000), BATCH
# (1000), IN_FLIGHT (4), SINGLE_RATE (50 single claims/s), HEALTHZ (5 s), QUIET (5 s of single claims alone),
# IDEMPOTENT_ROUNDS (1), CUSTODIAN_BENCH_POSTGRES (Host=127.0.0.1;Port=55432;Username=postgres), RESULTS (where the
# table is also written), SERVER_ARGS (extra server arguments: for trials only; the reported figures use none).
# The load generator runs on the same machine as the server and shares its cores; the figures say so.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
CONFIGS=${CONFIGS:-"sqlite:Process"}
DEVICES=${DEVICES:-200000}
BATCH=${BATCH:-1000}
IN_FLIGHT=${IN_FLIGHT:-4}
SINGLE_RATE=${SINGLE_RATE:-50}
HEALTHZ=${HEALTHZ:-5}
QUIET=${QUIET:-5}
IDEMPOTENT_ROUNDS=${IDEMPOTENT_ROUNDS:-1}
PG=${CUSTODIAN_BENCH_POSTGRES:-"Host=127.0.0.1;Port=55432;Username=postgres"}
RESULTS=${RESULTS:-/tmp/custodian-claims-results.md}
read -r -a EXTRA_SERVER_ARGS <<<"${SERVER_ARGS:-}"

# shellcheck source=../lib/server.sh
source "$ROOT/bench/lib/server.sh"

: >"$RESULTS.tmp"
LOADS=()
for config in $CONFIGS; do
    engine=${config%%:*}
    durability=${config##*:}
    dir=$WORK/$engine-$durability
    mkdir -p "$dir"
    url="http://127.0.0.1:$(free_port)"
    server_args "$engine" "$durability" "$dir"
    args=("${SERVER_ARGS_FOR[@]}")
    echo
    echo "=== $engine, Durability $durability (server at $url); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    LOADS+=("$engine/$durability: $(cut -d' ' -f1-3 /proc/loadavg)")
    start_server "$url" "$dir/server.log" "${args[@]}" "${EXTRA_SERVER_ARGS[@]}"
    loadgen claims --server "$url" --admin-key "$ADMIN_KEY" --devices "$DEVICES" --batch "$BATCH" --in-flight "$IN_FLIGHT" \
        --single-rate "$SINGLE_RATE" --healthz "$HEALTHZ" --quiet "$QUIET" --idempotent-rounds "$IDEMPOTENT_ROUNDS" \
        --results "$dir/table.md"
    # The engine in front of the generator's row.
    sed -n '3p' "$dir/table.md" | sed "s/^|/| $engine, $durability |/" >>"$RESULTS.tmp"
    header=$(sed -n '1,2p' "$dir/table.md" | sed '1s/^|/| Engine |/; 2s/^|/|---|/')
    stop_server
done

{
    echo
    echo "POST /api/v1/claims/batch, $DEVICES devices, batches of $BATCH, $IN_FLIGHT in flight; single claims at $SINGLE_RATE/s by another tenant meanwhile; the load generator shares the $(nproc) cores with the server"
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; .NET SDK $(dotnet --version); commit $(git rev-parse --short HEAD)"
    echo "Load average (1, 5, 15 min) before each configuration: ${LOADS[*]}"
    echo
    echo "$header"
    cat "$RESULTS.tmp"
} | tee "$RESULTS"
rm -f "$RESULTS.tmp"
