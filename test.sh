#!/usr/bin/env bash
# Runs every test of Custodian: installs what the tests need (Debian 12, as
# root: PostgreSQL, QR tools, Chromium, Node.js), starts a throw-away PostgreSQL
# on 127.0.0.1:55432, builds the solution once and runs every test project under
# Microsoft.Testing.Platform.
#
# Results: artifacts/test-results/*.xunit.xml and *.junit.xml (one per test
# assembly). The last line is "N passed, N failed, N skipped", summed over all
# test assemblies. Exits non-zero when the build fails, a test fails or is
# skipped, a test process fails, or no test ran at all.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
RESULTS="$ROOT/artifacts/test-results"
CONFIGURATION=Release
PG_PORT=55432

export DEBIAN_FRONTEND=noninteractive
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

section() { printf '\n==> %s\n' "$*"; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

APT_UPDATED=
apt_install() {
  [[ $(id -u) -eq 0 ]] || die "installing $* needs root (apt-get)"
  if [[ -z $APT_UPDATED ]]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Newest /usr/lib/postgresql/<version>/bin that has pg_ctl, or nothing.
pg_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x $dir/pg_ctl && -x $dir/initdb ]]; then
      echo "$dir"
      return
    fi
  done
}

install_postgres() {
  if [[ -n $(pg_bin) ]]; then
    echo "PostgreSQL already installed: $(pg_bin)"
    return
  fi
  apt_install postgresql
  [[ -n $(pg_bin) ]] || die "postgresql installed but no pg_ctl under /usr/lib/postgresql/*/bin"
}

# The Cli tests decode rendered QR codes with zbarimg (zbar-tools) and turn the
# SVG into a PNG for it with rsvg-convert (librsvg2-bin).
install_qr_tools() {
  local missing=()
  command -v zbarimg >/dev/null || missing+=(zbar-tools)
  command -v rsvg-convert >/dev/null || missing+=(librsvg2-bin)
  if ((${#missing[@]} == 0)); then
    echo "QR tools already installed: zbarimg $(zbarimg --version), $(rsvg-convert --version)"
    return
  fi
  apt_install "${missing[@]}"
  command -v zbarimg >/dev/null || die "zbar-tools installed but zbarimg is not on PATH"
  command -v rsvg-convert >/dev/null || die "librsvg2-bin installed but rsvg-convert is not on PATH"
}

# ReadmeTests runs the README's runnable blocks in bash; they call the API with curl and read answers with jq.
install_readme_tools() {
  local missing=()
  command -v curl >/dev/null || missing+=(curl)
  command -v jq >/dev/null || missing+=(jq)
  if ((${#missing[@]} > 0)); then
    apt_install "${missing[@]}"
  fi
  command -v jq >/dev/null || die "jq installed but not on PATH"
  echo "README tools: $(curl --version | head -1 | cut -d' ' -f1-2), $(jq --version)"
}

# The web console's tests (tests/Custodian.Console.Tests) drive Debian's Chromium
# with Playwright (ExecutablePath /usr/bin/chromium, a fake camera showing a QR
# code); Playwright's own browser download is never used.
install_browser() {
  if [[ -x /usr/bin/chromium ]]; then
    echo "Chromium already installed: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
    return
  fi
  apt_install chromium
  [[ -x /usr/bin/chromium ]] || die "chromium installed but /usr/bin/chromium is missing"
}

# The interop and end-to-end tests drive a LoRaWAN device made of the npm package
# lora-packet (tests/device/device.js): Node.js from Debian if it is missing, then
# the exact versions in tests/device/package-lock.json.
install_node_packages() {
  local missing=()
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  if ((${#missing[@]} > 0)); then
    apt_install "${missing[@]}"
  fi
  command -v node >/dev/null || die "nodejs installed but node is not on PATH"
  (
    cd tests/device
    npm ci --no-audit --no-fund --prefer-offline --ignore-scripts --loglevel=error
    echo "Node.js $(node --version), lora-packet $(node -p 'require("lora-packet/package.json").version') in tests/device"
  )
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PGBIN=
PGDATA=
start_postgres() {
  if [[ -n ${CUSTODIAN_TEST_POSTGRES:-} ]]; then
    echo "Using the PostgreSQL given by CUSTODIAN_TEST_POSTGRES"
    return
  fi
  if port_in_use "$PG_PORT"; then
    # Another run (or a leftover server) holds the usual port: take a free one
    # rather than fail; the tests read the port from CUSTODIAN_TEST_POSTGRES.
    local port
    for port in $(seq $((PG_PORT + 1)) $((PG_PORT + 100))); do
      if ! port_in_use "$port"; then break; fi
    done
    echo "warning: 127.0.0.1:$PG_PORT is in use; using port $port"
    PG_PORT=$port
  fi
  PGBIN=$(pg_bin)
  PGDATA=$(mktemp -d -t pg.XXXXXX)
  chown postgres:postgres "$PGDATA"
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --no-sync >/dev/null
  if ! runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c max_connections=300 -k \"$PGDATA\"" start >/dev/null; then
    cat "$PGDATA/server.log" >&2 || true
    die "PostgreSQL did not start"
  fi
  export CUSTODIAN_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres"
  echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data in $PGDATA)"
}

stop_postgres() {
  if [[ -n $PGDATA && -d $PGDATA ]]; then
    if [[ -f $PGDATA/postmaster.pid ]]; then
      runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGDATA"
  fi
}

cleanup() {
  local rc=$?
  stop_postgres
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Sums one attribute of every <assembly> element in the xUnit.net v2+ reports.
sum_attr() {
  local attr=$1 total=0 n
  for n in $(cat "$RESULTS"/*.xunit.xml | grep -o '<assembly [^>]*>' |
    sed -n "s/.* $attr=\"\([0-9]*\)\".*/\1/p"); do
    total=$((total + n))
  done
  echo "$total"
}

command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH"

section "Installing test dependencies"
install_postgres
install_qr_tools
install_readme_tools
install_browser
install_node_packages

section "Starting PostgreSQL"
start_postgres

section "Building Custodian.sln ($CONFIGURATION)"
dotnet build Custodian.sln -c "$CONFIGURATION" -nologo -v:minimal

section "Running tests"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
# One test project at a time, each writing its reports under its own name: with one `dotnet test --solution`,
# assemblies that start in the same instant write reports of the same timestamped name, and one is lost.
# Every test project has tests: an assembly that runs none (exit code 8) fails the run.
projects=("$ROOT"/tests/*/*.Tests.csproj)
test_rc=0
set +e
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  dotnet test --project "$project" -c "$CONFIGURATION" --no-build --no-progress --no-ansi \
    --results-directory "$RESULTS" \
    --report-xunit-xml --report-xunit-xml-filename "$name.xunit.xml" \
    --report-xunit-junit --report-xunit-junit-filename "$name.junit.xml" \
    --timeout 40m
  rc=$?
  if ((rc != 0)); then
    echo "error: $name: dotnet test exited with code $rc" >&2
    test_rc=$rc
  fi
done
set -e

# The corpus replay (tests/Custodian.Fuzz.Tests) runs above with every test; CUSTODIAN_FUZZ_SECONDS=N also runs AFL++
# for N seconds on each parser (fuzz/run.sh), and fails the run on a crash or a hang.
fuzz_rc=0
if [[ -n ${CUSTODIAN_FUZZ_SECONDS:-} ]]; then
  section "Fuzzing each parser for $CUSTODIAN_FUZZ_SECONDS s (AFL++)"
  for target in backend-interfaces phypayload tr005 claims-csv claims-json kek-file; do
    fuzz/run.sh "$target" "$CUSTODIAN_FUZZ_SECONDS" || fuzz_rc=1
  done
fi

section "Summary"
shopt -s nullglob
reports=("$RESULTS"/*.xunit.xml)
shopt -u nullglob
passed=0 failed=0 skipped=0
if ((${#reports[@]} > 0)); then
  passed=$(sum_attr passed)
  failed=$(($(sum_attr failed) + $(sum_attr errors)))
  skipped=$(sum_attr skipped)
fi
echo "${#reports[@]} of ${#projects[@]} test assemblies reported; results in ${RESULTS#"$ROOT"/}/"
status=0
if ((${#reports[@]} != ${#projects[@]})); then
  echo "error: ${#projects[@]} test projects ran but ${#reports[@]} reported" >&2
  status=1
fi
if ((test_rc != 0)); then
  echo "error: dotnet test exited with code $test_rc" >&2
  status=1
fi
if ((failed > 0)); then
  status=1
fi
if ((fuzz_rc != 0)); then
  echo "error: fuzzing found a crash or a hang (artifacts/fuzz/findings)" >&2
  status=1
fi
if ((skipped > 0)); then
  echo "error: $skipped test(s) skipped; a skipped test is not a passing one" >&2
  status=1
fi
if ((passed + failed == 0)); then
  echo "error: no test ran" >&2
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
