#!/usr/bin/env bash
# Middleware benchmark (issue 6/6, "Performance at scale", item 2): Custodian's GET /healthz against the bare Kestrel app
# (bench/Custodian.BareApp), both Release, both started here on free loopback ports, loaded in turn with the same wrk
# settings for ROUNDS rounds (bare, Custodian, bare, Custodian, ...), so both see the same machine; prints each round,
# the medians and the ratio Custodian / bare (the goal: >= 0.9). Beside requests per second it reports the CPU time
# each server process spent per answered request (utime + stime from /proc/PID/stat around each wrk run): on a
# machine shared with other work, throughput swings with the neighbours, the CPU a request costs much less. The server
# runs as deployed (its build directory, its appsettings.json, SQLite, default configuration).
#
#   bench/healthz/run.sh                                 # 5 rounds of 10 s each per app, after a 5 s warm-up each
#   ROUNDS=7 DURATION=10 bench/healthz/run.sh
#
# Settings (environment): ROUNDS (5), DURATION (10 s), WARMUP (5 s), THREADS (1), CONNECTIONS (32), RESULTS (where the
# summary is also written), SERVER_DLL (another server build, e.g. a scratch build with pieces taken out), VARIANTS
# (servers to measure beside the bare app, each "name" or "name:KEY=VALUE,KEY=VALUE" with its own environment, e.g.
# VARIANTS="custodian trial:Custodian__Metrics__Url=http://127.0.0.1:29464"; default "custodian"; the pseudo-variable
# DLL=path runs that variant from another build, e.g. "before:DLL=/tmp/old/Custodian.Server.dll after").
# wrk runs on the same machine as the servers and shares their cores; only the ratio measured in one run means much.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-32}
VARIANTS=${VARIANTS:-custodian}
RESULTS=${RESULTS:-/tmp/custodian-healthz-results.md}
LUA=$ROOT/bench/joins/healthz.lua

if ! command -v wrk >/dev/null; then
    echo "Installing wrk (Debian package)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
fi

LOADGEN=0
# shellcheck source=../lib/server.sh
source "$ROOT/bench/lib/server.sh"

VARIANT_PIDS=()
stop_variants() {
    for pid in "${VARIANT_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    cleanup
}
trap stop_variants EXIT

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# healthz URL PID SECONDS: "RPS/CPU": requests per second answered 200 by URL/healthz, and the CPU microseconds the
# process PID spent per answered request meanwhile.
healthz() {
    local before after out
    before=$(cpu_ticks "$2")
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3s" --latency -s "$LUA" "$1/healthz" | grep '^HEALTHZ')
    after=$(cpu_ticks "$2")
    python3 - "$out" "$before" "$after" "$(getconf CLK_TCK)" <<'PY'
import sys
out, before, after, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
kv = dict(p.split("=", 1) for p in out.split()[1:])
print(f"{kv['per_s']}/{(after - before) / hz * 1e6 / max(int(kv['ok']), 1):.2f}")
PY
}

bare_url="http://127.0.0.1:$(free_port)"
start_bare "$bare_url" "$WORK/bare.log"
NAMES=()
URLS=()
for variant in $VARIANTS; do
    name=${variant%%:*}
    env_list=()
    [[ $variant == *:* ]] && IFS=',' read -r -a env_list <<<"${variant#*:}"
    dll=$SERVER_DLL
    for i in "${!env_list[@]}"; do
        if [[ ${env_list[$i]} == DLL=* ]]; then dll=${env_list[$i]#DLL=}; unset 'env_list[i]'; fi
    done
    url="http://127.0.0.1:$(free_port)"
    mkdir -p "$WORK/$name"
    (cd "$(dirname "$dll")" && exec env "${env_list[@]}" dotnet "$dll" --urls "$url" --Custodian:AdminKey="$ADMIN_KEY" \
        --Custodian:DataDirectory="$WORK/$name/data") >>"$WORK/$name/server.log" 2>&1 &
    VARIANT_PIDS+=($!)
    wait_healthz "$url" "$!" "$WORK/$name/server.log"
    NAMES+=("$name")
    URLS+=("$url")
done

echo "--- warm-up: ${WARMUP} s each"
healthz "$bare_url" "$BARE_PID" "$WARMUP" >/dev/null
for i in "${!URLS[@]}"; do healthz "${URLS[$i]}" "${VARIANT_PIDS[$i]}" "$WARMUP" >/dev/null; done

LOADS=()
: >"$WORK/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
    LOADS+=("$(cut -d' ' -f1 /proc/loadavg)")
    line="bare=$(healthz "$bare_url" "$BARE_PID" "$DURATION")"
    for i in "${!URLS[@]}"; do line+=" ${NAMES[$i]}=$(healthz "${URLS[$i]}" "${VARIANT_PIDS[$i]}" "$DURATION")"; done
    echo "round $round: $line (req/s / CPU µs per request)"
    echo "$line" >>"$WORK/rounds.txt"
done

{
    echo "GET /healthz, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s per app per round, $ROUNDS rounds alternating (after ${WARMUP} s of warm-up each)"
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores shared by wrk and the servers; .NET SDK $(dotnet --version); $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "Load average (1 min) at the start of each round: ${LOADS[*]}"
    echo
    python3 - "$WORK/rounds.txt" <<'PY'
import statistics, sys
rounds = [{k: tuple(map(float, v.split("/"))) for k, v in (p.split("=") for p in line.split())} for line in open(sys.argv[1])]
med = lambda name, i: statistics.median(r[name][i] for r in rounds)
bare_rps, bare_cpu = med("bare", 0), med("bare", 1)
# Both ratios read the same way: 1.00 is the bare app, less is slower (fewer requests, or more CPU per request).
print("| App | Median req/s | req/s ratio to bare (median of rounds) | Per-round req/s ratios | Median CPU µs/request | CPU ratio, bare / app |")
print("|---|---:|---:|---|---:|---:|")
print(f"| bare Kestrel | {bare_rps:,.0f} | 1.00 | | {bare_cpu:.1f} | 1.00 |")
for name in [k for k in rounds[0] if k != "bare"]:
    ratios = [r[name][0] / r["bare"][0] for r in rounds]
    cpu = med(name, 1)
    print(f"| {name} | {med(name, 0):,.0f} | {statistics.median(ratios):.2f} | {' '.join(f'{x:.2f}' for x in ratios)} | {cpu:.1f} | {bare_cpu / cpu:.2f} |")
PY
} | tee "$RESULTS"
