# Shared by the HTTP benchmarks (bench/joins/run.sh, bench/claims/run.sh); sourced by them after they set ROOT, PG
# (a PostgreSQL for postgres configurations) and optionally SERVER_DLL. Builds the server and the load generator
# (Release), makes a work directory and an admin key, and gives: loadgen, free_port, server_args, start_server,
# stop_server; and the yardstick, the bare Kestrel app (bench/Custodian.BareApp): start_bare, stop_bare. Everything it
# started is stopped and removed on exit. LOADGEN=0 skips the load generator (for bench/healthz/run.sh).

SERVER_DLL=${SERVER_DLL:-$ROOT/src/Custodian.Server/bin/Release/net10.0/Custodian.Server.dll}
LOADGEN_DLL=$ROOT/bench/Custodian.LoadGenerator/bin/Release/net10.0/Custodian.LoadGenerator.dll
BARE_DLL=$ROOT/bench/Custodian.BareApp/bin/Release/net10.0/Custodian.BareApp.dll

echo "Building the server, the bare app and the load generator (Release)..."
dotnet build "$ROOT/src/Custodian.Server/Custodian.Server.csproj" -c Release -v q -nologo >/dev/null
dotnet build "$ROOT/bench/Custodian.BareApp/Custodian.BareApp.csproj" -c Release -v q -nologo >/dev/null
if [[ ${LOADGEN:-1} == 1 ]]; then
    dotnet build "$ROOT/bench/Custodian.LoadGenerator/Custodian.LoadGenerator.csproj" -c Release -v q -nologo >/dev/null
fi

WORK=$(mktemp -d -t custodian-bench.XXXXXX)
ADMIN_KEY="cust_$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=\n')"
SERVER_PID=""
BARE_PID=""
DATABASES=()

loadgen() { dotnet "$LOADGEN_DLL" "$@"; }

stop_server() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

stop_bare() {
    if [[ -n $BARE_PID ]] && kill -0 "$BARE_PID" 2>/dev/null; then
        kill "$BARE_PID"
        wait "$BARE_PID" 2>/dev/null || true
    fi
    BARE_PID=""
}

cleanup() {
    stop_server
    stop_bare
    for db in "${DATABASES[@]}"; do loadgen pg-drop --postgres "$PG" --database "$db" >/dev/null 2>&1 || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# server_args ENGINE DURABILITY DIR: sets SERVER_ARGS_FOR to the server's arguments for that configuration, on a
# fresh data directory under DIR (and, for postgres, a fresh database, dropped on exit).
server_args() {
    local engine=$1 durability=$2 dir=$3
    SERVER_ARGS_FOR=(--Custodian:DataDirectory="$dir/data" --Custodian:Durability="$durability")
    if [[ $engine == postgres ]]; then
        local db="custodian_bench_$(date +%s)_$RANDOM"
        DATABASES+=("$db")
        SERVER_ARGS_FOR+=(--Custodian:Postgres="$(loadgen pg-create --postgres "$PG" --database "$db")")
    fi
}

# start_server URL LOG ARGS...: the built server as its own process; waits until /healthz answers.
start_server() {
    local url=$1 log=$2
    shift 2
    # From its own directory, as deployed: the content root is the working directory, where appsettings.json is
    # (without it every request is logged at Information). exec keeps $! the server's own pid, for a SIGKILL.
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

# wait_healthz URL PID LOG: waits until URL/healthz answers; stops the script with the log if the process ends first.
wait_healthz() {
    local url=$1 pid=$2 log=$3
    for _ in $(seq 1 120); do
        if curl -fsS "$url/healthz" >/dev/null 2>&1; then return 0; fi
        if ! kill -0 "$pid" 2>/dev/null; then break; fi
        sleep 0.5
    done
    echo "$url did not start; its log:" >&2
    tail -50 "$log" >&2
    exit 1
}

# start_bare URL LOG: the yardstick, bare Kestrel answering GET /healthz only, as its own process.
start_bare() {
    local url=$1 log=$2
    (cd "$(dirname "$BARE_DLL")" && exec dotnet "$BARE_DLL" --urls "$url") >>"$log" 2>&1 &
    BARE_PID=$!
    wait_healthz "$url" "$BARE_PID" "$log"
}
