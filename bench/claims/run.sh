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
SERVER_DLL=${SERVER_DLL:-$ROOT/src/Custodian.Server/bin/Release/net10.0/Custodian.Server.dll}
LOADGEN_DLL=$ROOT/bench/Custodian.LoadGenerator/bin/Release/net10.0/Custodian.LoadGenerator.dll
read -r -a EXTRA_SERVER_ARGS <<<"${SERVER_ARGS:-}"

echo "Building the server and the load generator (Release)..."
dotnet build src/Custodian.Server/Custodian.Server.csproj -c Release -v q -nologo >/dev/null
dotnet build bench/Custodian.LoadGenerator/Custodian.LoadGenerator.csproj -c Release -v q -nologo >/dev/null

WORK=$(mktemp -d -t custodian-claims.XXXXXX)
ADMIN_KEY="cust_$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=\n')"
SERVER_PID=""
DATABASES=()

loadgen() { dotnet "$LOADGEN_DLL" "$@"; }

stop_server() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

cleanup() {
    stop_server
    for db in "${DATABASES[@]}"; do loadgen pg-drop --postgres "$PG" --database "$db" >/dev/null 2>&1 || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_server URL LOG ARGS...: the built server as its own process, from its own directory (its appsettings.json
# applies, as deployed); waits until /healthz answers.
start_server() {
    local url=$1 log=$2
    shift 2
    (cd "$(dirname "$SERVER_DLL")" && exec dotnet "$SERVER_DLL" --urls "$url" --Custodian:AdminKey="$ADMIN_KEY" "$@") >>"$log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 120); do
        if curl -fsS "$url/healthz" >/dev/null 2>&1; then return 0; fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
        sleep 0.5
    done
    echo "The server did not start; its log:" >&2
    tail -50 "$log" >&2
    exit 1
}

: >"$RESULTS.tmp"
LOADS=()
for config in $CONFIGS; do
    engine=${config%%:*}
    durability=${config##*:}
    dir=$WORK/$engine-$durability
    mkdir -p "$dir"
    url="http://127.0.0.1:$(free_port)"
    args=(--Custodian:DataDirectory="$dir/data" --Custodian:Durability="$durability")
    if [[ $engine == postgres ]]; then
        db="custodian_claims_$(date +%s)_$RANDOM"
        DATABASES+=("$db")
        args+=(--Custodian:Postgres="$(loadgen pg-create --postgres "$PG" --database "$db")")
    fi
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
