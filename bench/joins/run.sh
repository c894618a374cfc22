#!/usr/bin/env bash
# HTTP join benchmark (issue 2/5, "Performance"): for each storage configuration, start the real server on fresh data,
# provision devices through the REST API, then in the same run load the bare Kestrel app's GET /healthz (the yardstick,
# bench/Custodian.BareApp), Custodian's GET /healthz and POST /backend-interfaces with valid, never-repeated JoinReqs,
# with the same wrk settings, and report each figure also as a ratio to the bare app; then SIGKILL the server under
# join load, restart it on the same data and check that every answered join survived.
#
#   bench/joins/run.sh                                  # all three configurations, 10 s each after a 5 s warm-up
#   CONFIGS="sqlite:Process" DURATION=20 bench/joins/run.sh
#
# Settings (environment): CONFIGS ("sqlite:Process postgres:Process sqlite:Full"), DURATION (10 s), WARMUP (5 s),
# THREADS (1) and CONNECTIONS (32) for wrk, DEVICES (10000), REQUESTS (prepared JoinReqs per configuration, 1500000),
# CRASH (1: run the SIGKILL check after each measurement), STAGES (1: also measure the refusal paths, to see where a
# join's time goes: a wrong token = read + parse + authenticate; a replay of answered JoinReqs = everything a join does
# except storing a new session), CUSTODIAN_BENCH_POSTGRES (a PostgreSQL the script creates a
# database on; Host=127.0.0.1;Port=55432;Username=postgres), RESULTS (where the summary table is also written).
# wrk runs on the same machine as the server and shares its cores; the figures say so.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
CONFIGS=${CONFIGS:-"sqlite:Process postgres:Process sqlite:Full"}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-32}
DEVICES=${DEVICES:-10000}
REQUESTS=${REQUESTS:-1500000}
CRASH=${CRASH:-1}
STAGES=${STAGES:-1}
PG=${CUSTODIAN_BENCH_POSTGRES:-"Host=127.0.0.1;Port=55432;Username=postgres"}
RESULTS=${RESULTS:-/tmp/custodian-bench-results.md}
LUA=$ROOT/bench/joins

if (( DEVICES % THREADS != 0 )); then
    echo "DEVICES must be a multiple of THREADS (each device's JoinReqs must stay in one wrk thread)." >&2
    exit 2
fi

if ! command -v wrk >/dev/null; then
    echo "Installing wrk (Debian package)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
fi

# shellcheck source=../lib/server.sh
source "$ROOT/bench/lib/server.sh"

# field LINE NAME: the value of NAME=value in one of the scripts' summary lines.
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

wrk_healthz() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1s" --latency -s "$LUA/healthz.lua" "$2/healthz"; }
wrk_joins() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1s" --latency -s "$LUA/joins.lua" "$2" -- "$3" "$4" "$5" "$THREADS" "$6" ${7:+"$7"}
}

bare_url="http://127.0.0.1:$(free_port)"
start_bare "$bare_url" "$WORK/bare.log"

ROWS=()
LOADS=()
STAGE_ROWS=()
CRASH_LINES=()
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
    start_server "$url" "$dir/server.log" "${args[@]}"
    loadgen prepare --server "$url" --admin-key "$ADMIN_KEY" --devices "$DEVICES" --requests "$REQUESTS" \
        --out "$dir/bodies.txt" --sidecar "$dir/sidecar.json"
    token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$dir/sidecar.json")

    echo "--- warm-up: ${WARMUP} s on each endpoint"
    wrk_healthz "$WARMUP" "$bare_url" | grep '^HEALTHZ'
    wrk_healthz "$WARMUP" "$url" | grep '^HEALTHZ'
    wrk_joins "$WARMUP" "$url" "$dir/bodies.txt" "$token" 0 "$dir/next" | grep '^JOINS'

    echo "--- the bare Kestrel app's GET /healthz (the yardstick), wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
    bare_out=$(wrk_healthz "$DURATION" "$bare_url")
    echo "$bare_out"
    bare=$(field "$(grep '^HEALTHZ' <<<"$bare_out")" per_s)
    echo "--- GET /healthz, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
    healthz_out=$(wrk_healthz "$DURATION" "$url")
    echo "$healthz_out"
    echo "--- POST /backend-interfaces (JoinReq), wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
    joins_out=$(wrk_joins "$DURATION" "$url" "$dir/bodies.txt" "$token" "$(cat "$dir/next")" "$dir/next")
    echo "$joins_out"

    if [[ $STAGES == 1 ]]; then
        used=$(cat "$dir/next")
        for stage in wrong-token replay; do
            stage_token=$token
            [[ $stage == wrong-token ]] && stage_token="cbi_not-a-token-of-this-server"
            echo "--- stage $stage: POST /backend-interfaces with the $used JoinReqs already answered, round and round"
            stage_out=$(wrk_joins "$DURATION" "$url" "$dir/bodies.txt" "$stage_token" 0 - "$used")
            grep -E '^(Requests/sec|JOINS)' <<<"$stage_out"
            s=$(grep '^JOINS' <<<"$stage_out")
            STAGE_ROWS+=("| $engine | $durability | $stage | $(field "$s" answered_per_s) | $(awk -v a="$(field "$s" answered_per_s)" -v b="$bare" 'BEGIN { printf "%.2f", a / b }') | $(field "$s" p50_ms) ms | $(field "$s" p99_ms) ms | $(field "$s" success) | $(field "$s" codes) |")
        done
    fi

    h=$(grep '^HEALTHZ' <<<"$healthz_out")
    j=$(grep '^JOINS' <<<"$joins_out")
    row=$(python3 - "$engine" "$durability" "$h" "$j" "$bare" <<'PY'
import sys
engine, durability, h, j, bare = sys.argv[1:6]
bare = float(bare)
kv = lambda line: dict(p.split("=", 1) for p in line.split()[1:] if "=" in p)
h, j = kv(h), kv(j)
joins, health = float(j["success_per_s"]), float(h["per_s"])
answered = int(j["answered"])
success = 100.0 * int(j["success"]) / answered if answered else 0.0
print(f"| {engine} | {durability} | {joins:,.0f} | {health:,.0f} | {bare:,.0f} | {joins / health:.2f} | {joins / bare:.2f} | {health / bare:.2f} | {float(j['p50_ms']):.2f} ms | {float(j['p99_ms']):.2f} ms | "
      f"{success:.2f} % ({j['success']} of {answered}; exhausted {j['exhausted']}) |")
PY
)
    ROWS+=("$row")
    echo "RESULT $row"

    if [[ $CRASH == 1 ]]; then
        echo "--- crash check: SIGKILL under join load, restart, verify"
        loadgen crash-fire --server "$url" --sidecar "$dir/sidecar.json" --ledger "$dir/ledger.json" \
            --kill-pid "$SERVER_PID" --kill-after 3 --connections "$CONNECTIONS"
        wait "$SERVER_PID" 2>/dev/null || true # bash reports "Killed": that is the SIGKILL
        SERVER_PID=""
        start_server "$url" "$dir/server.log" "${args[@]}"
        if verify=$(loadgen crash-verify --server "$url" --sidecar "$dir/sidecar.json" --ledger "$dir/ledger.json"); then
            CRASH_LINES+=("$engine/$durability: $(tail -1 <<<"$verify")")
        else
            CRASH_LINES+=("$engine/$durability: FAILED: $(tail -1 <<<"$verify")")
        fi
        echo "$verify"
    fi
    stop_server
    rm -f "$dir/bodies.txt"
done

{
    echo "wrk -t$THREADS -c$CONNECTIONS, ${DURATION} s per endpoint after ${WARMUP} s of warm-up, $DEVICES devices (1.0.4), on $(nproc) cores shared by wrk and the server"
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; .NET SDK $(dotnet --version)"
    echo "Load average (1, 5, 15 min) before each configuration, a sign of other work on the machine: ${LOADS[*]}"
    echo
    echo "| Engine | Durability | Joins/s (Success) | /healthz req/s | Bare /healthz req/s | Joins / /healthz | Joins / bare | /healthz / bare | Join p50 | Join p99 | Success |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    printf '%s\n' "${ROWS[@]}"
    if (( ${#STAGE_ROWS[@]} > 0 )); then
        echo
        echo "| Engine | Durability | Refusal path | Answers/s | / bare | p50 | p99 | Success | Result codes |"
        echo "|---|---|---|---:|---:|---:|---:|---:|---|"
        printf '%s\n' "${STAGE_ROWS[@]}"
    fi
    if (( ${#CRASH_LINES[@]} > 0 )); then
        echo
        printf 'Crash check, %s\n' "${CRASH_LINES[@]}"
    fi
} | tee "$RESULTS"
