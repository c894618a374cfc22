#!/usr/bin/env bash
# CLI claim benchmark (issue 4/5, "Performance"): `custodian claim --file devices.csv` against a local server, end to
# end. For each size: start the real server (Release, default configuration, so the rate limits are on) on fresh
# SQLite data; let the load generator provision the devices through the API with claim codes it chose and write them
# as a CSV (dev_eui;join_eui;claim_authentication_code); then run the Release CLI on that file under /usr/bin/time -v
# (wall time and peak RSS) with a report, and check that the report has every row claimed. Prints a table.
#
#   bench/cli-claims/run.sh                                  # 10,000, 100,000 and 1,000,000 rows
#   SIZES="100000" BATCH=1000 PARALLEL=4 bench/cli-claims/run.sh
#
# Settings (environment): SIZES ("10000 100000 1000000"), FORMAT (csv, or tts: the same devices as The Things Stack
# end devices in one JSON array, converted from the CSV before the CLI runs), BATCH (1000, --batch-size), PARALLEL (4, --parallel),
# RESULTS (where the table is also written), SERVER_ARGS (extra server arguments, e.g.
# --Custodian:Claims:RateLimit:Enabled=false: the default per-key limit holds a key to 20 requests/s once its burst
# of 200 is spent, which a million rows in batches of 1,000 reach). The CLI and the server share this machine's cores.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
SIZES=${SIZES:-"10000 100000 1000000"}
FORMAT=${FORMAT:-csv}
BATCH=${BATCH:-1000}
PARALLEL=${PARALLEL:-4}
RESULTS=${RESULTS:-/tmp/custodian-cli-claims-results.md}
PG=""
CLI_DLL=$ROOT/src/Custodian.Cli/bin/Release/net10.0/custodian.dll
read -r -a EXTRA_SERVER_ARGS <<<"${SERVER_ARGS:-}"

# shellcheck source=../lib/server.sh
source "$ROOT/bench/lib/server.sh"
echo "Building the CLI (Release)..."
dotnet build "$ROOT/src/Custodian.Cli/Custodian.Cli.csproj" -c Release -v q -nologo >/dev/null

thousands() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

ROWS=()
run=0
for n in $SIZES; do
    run=$((run + 1))
    dir=$WORK/run-$run-rows-$n
    mkdir -p "$dir"
    url="http://127.0.0.1:$(free_port)"
    server_args sqlite Process "$dir"
    echo
    echo "=== $n rows (server at $url); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    load=$(cut -d' ' -f1 /proc/loadavg)
    start_server "$url" "$dir/server.log" "${SERVER_ARGS_FOR[@]}" "${EXTRA_SERVER_ARGS[@]}"
    loadgen claim-file --server "$url" --admin-key "$ADMIN_KEY" --devices "$n" --out "$dir/devices.csv" --key-out "$dir/owner.key"
    input=$dir/devices.csv
    if [[ $FORMAT == tts ]]; then
        input=$dir/devices.json
        awk -F';' 'NR == 1 { print "["; next }
            { if (NR > 2) print ","; printf "{\"ids\":{\"device_id\":\"eui-%s\",\"dev_eui\":\"%s\",\"join_eui\":\"%s\",\"application_ids\":{\"application_id\":\"bench\"}},\"claim_authentication_code\":{\"value\":\"%s\"}}", tolower($1), $1, $2, $3 }
            END { print ""; print "]" }' "$dir/devices.csv" >"$input"
    fi
    echo "    file: $(du -h "$input" | cut -f1)"
    set +e
    /usr/bin/time -v -o "$dir/time.txt" dotnet "$CLI_DLL" --server "$url" --api-key "$(cat "$dir/owner.key")" \
        claim --net-id 000013 --file "$input" --report "$dir/report.csv" --batch-size "$BATCH" --parallel "$PARALLEL" \
        >"$dir/summary.txt" 2>"$dir/progress.log"
    status=$?
    set -e
    cat "$dir/summary.txt"
    tail -1 "$dir/progress.log"
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time.txt" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$dir/time.txt")
    rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt")
    claimed=$(grep -c ',claimed,$' "$dir/report.csv" || true)
    if [[ $status -ne 0 || $claimed -ne $n ]]; then
        echo "The CLI exited $status with $claimed of $n rows claimed; its stderr:" >&2
        tail -20 "$dir/progress.log" >&2
        exit 1
    fi
    rate=$(awk -v n="$n" -v s="$wall" 'BEGIN { printf "%.0f", n / s }')
    rss=$(awk -v k="$rss_kb" 'BEGIN { printf "%.0f", k / 1024 }')
    echo "    $n rows in $wall s: $rate devices/s end to end; CLI CPU $cpu s; peak RSS $rss MB"
    ROWS+=("| $(thousands "$n") | $wall | **$(thousands "$rate")** | $cpu | **$rss** | $(thousands "$claimed") claimed | $load |")
    stop_server
done

{
    echo
    echo "custodian claim --file ($FORMAT), batches of $BATCH, $PARALLEL in flight, Release CLI and server (SQLite, Durability Process, ${SERVER_ARGS:-default rate limits}) on one machine"
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; .NET SDK $(dotnet --version); commit $(git rev-parse --short HEAD)"
    echo
    echo "| Rows | Wall time (s) | Devices/s end to end | CLI CPU, user + sys (s) | CLI peak RSS (MB) | Report | Load average before |"
    echo "|---:|---:|---:|---:|---:|---|---:|"
    printf '%s\n' "${ROWS[@]}"
} | tee "$RESULTS"
