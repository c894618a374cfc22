#!/usr/bin/env bash
# CLI provisioning benchmark (issue 4/5, "Performance"): `custodian devices provision` of a DevEUI range against a
# local server, end to end, with PNG and SVG labels and the A4 sheet. For each size: start the real server (Release,
# default configuration) on fresh SQLite data, make a maker tenant and key, then run the Release CLI under
# /usr/bin/time -v (wall time, CPU, peak RSS) twice on fresh ranges: once with --labels and once without (the
# yardstick, in the same run, for what the labels cost). Checks that the manifest has every device, that there are two
# label files per device, and that zbarimg reads a sample of the PNG labels back to the manifest's QR text.
#
#   bench/cli-provision/run.sh                      # 100,000 devices
#   SIZES="10000 100000" BATCH=1000 PARALLEL=4 bench/cli-provision/run.sh
#
# Settings (environment): SIZES ("100000"), BATCH (1000, --batch-size), PARALLEL (4, --parallel), MAC (1.0.3),
# RESULTS (where the table is also written). The CLI and the server share this machine's cores.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
SIZES=${SIZES:-100000}
BATCH=${BATCH:-1000}
PARALLEL=${PARALLEL:-4}
MAC=${MAC:-1.0.3}
RESULTS=${RESULTS:-/tmp/custodian-cli-provision-results.md}
PG=""
CLI_DLL=$ROOT/src/Custodian.Cli/bin/Release/net10.0/custodian.dll

# shellcheck source=../lib/server.sh
source "$ROOT/bench/lib/server.sh"
echo "Building the CLI (Release)..."
dotnet build "$ROOT/src/Custodian.Cli/Custodian.Cli.csproj" -c Release -v q -nologo >/dev/null
command -v zbarimg >/dev/null || { echo "zbarimg (Debian zbar-tools) is needed to check the labels" >&2; exit 1; }

thousands() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

# maker_key URL: a tenant "maker" and an API key with devices:provision and devices:read; prints the key.
maker_key() {
    local url=$1
    curl -fsS -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' -d '{"id":"maker","name":"maker","devEuiPrefixes":["0000000000000000/0"]}' "$url/api/v1/tenants" >/dev/null
    curl -fsS -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
        -d '{"name":"bench","rights":["devices:provision","devices:read"]}' "$url/api/v1/tenants/maker/api-keys" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])'
}

ROWS=()
run=0
for n in $SIZES; do
    run=$((run + 1))
    dir=$WORK/run-$run-devices-$n
    mkdir -p "$dir"
    url="http://127.0.0.1:$(free_port)"
    server_args sqlite Process "$dir"
    echo
    echo "=== $n devices (server at $url); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    start_server "$url" "$dir/server.log" "${SERVER_ARGS_FOR[@]}"
    key=$(maker_key "$url")
    pass=0
    for labels in with without; do
        pass=$((pass + 1))
        load=$(cut -d' ' -f1 /proc/loadavg)
        out=$dir/$labels
        mkdir -p "$out"
        # Each pass its own range: the second must make devices too, not recognise the first's.
        start=$(printf '00BE%04X00000000' $((run * 2 + pass)))
        label_args=()
        [[ $labels == with ]] && label_args=(--labels "$out/labels")
        set +e
        /usr/bin/time -v -o "$out/time.txt" dotnet "$CLI_DLL" --server "$url" --api-key "$key" \
            devices provision --join-eui 70B3D57ED0000010 --dev-eui-start "$start" --count "$n" --mac-version "$MAC" \
            --out "$out/manifest.csv" "${label_args[@]}" --batch-size "$BATCH" --parallel "$PARALLEL" \
            >"$out/summary.txt" 2>"$out/progress.log"
        status=$?
        set -e
        cat "$out/summary.txt"
        tail -1 "$out/progress.log"
        rows=$(($(wc -l <"$out/manifest.csv") - 1))
        if [[ $status -ne 0 || $rows -ne $n ]]; then
            echo "The CLI exited $status with $rows of $n devices in the manifest; its stderr:" >&2
            tail -20 "$out/progress.log" >&2
            exit 1
        fi
        checked="-"
        if [[ $labels == with ]]; then
            files=$(find "$out/labels" -name '*.png' -o -name '*.svg' | wc -l)
            [[ $files -eq $((2 * n)) ]] || { echo "$files label files for $n devices" >&2; exit 1; }
            # A sample spread over the range: zbarimg must read each PNG back to its manifest row's QR text.
            sample=$(awk -F, -v step=$((n / 20 > 0 ? n / 20 : 1)) 'NR > 1 && (NR - 2) % step == 0 { print $1 "," $7 }' "$out/manifest.csv")
            while IFS=, read -r devEui qr; do
                scanned=$(zbarimg --raw -q "$out/labels/$devEui.png")
                [[ $scanned == "$qr" ]] || { echo "label $devEui scans as '$scanned', the manifest says '$qr'" >&2; exit 1; }
            done <<<"$sample"
            checked="$(wc -l <<<"$sample") scanned"
        fi
        wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/time.txt" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
        user=$(awk -F': ' '/User time/ { printf "%.2f", $2 }' "$out/time.txt")
        sys=$(awk -F': ' '/System time/ { printf "%.2f", $2 }' "$out/time.txt")
        rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time.txt")
        rate=$(awk -v n="$n" -v s="$wall" 'BEGIN { printf "%.0f", n / s }')
        rss=$(awk -v k="$rss_kb" 'BEGIN { printf "%.0f", k / 1024 }')
        echo "    $labels labels: $n devices in $wall s: $rate devices/s end to end; CLI CPU $user s user + $sys s sys; peak RSS $rss MB"
        ROWS+=("| $(thousands "$n") | $labels | $wall | **$(thousands "$rate")** | $user + $sys | $rss | $checked | $load |")
    done
    stop_server
done

{
    echo
    echo "custodian devices provision (MAC $MAC), batches of $BATCH, $PARALLEL in flight, Release CLI and server (SQLite, Durability Process, default settings) on one machine"
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; .NET SDK $(dotnet --version); commit $(git rev-parse --short HEAD)"
    echo
    echo "| Devices | Labels (PNG + SVG + sheet) | Wall time (s) | Devices/s end to end | CLI CPU, user + sys (s) | CLI peak RSS (MB) | Labels checked with zbarimg | Load average before |"
    echo "|---:|---|---:|---:|---:|---:|---|---:|"
    printf '%s\n' "${ROWS[@]}"
} | tee "$RESULTS"
