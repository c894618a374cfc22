#!/usr/bin/env bash
# Coverage-guided fuzzing of one parser with AFL++ and SharpFuzz.
#
#   fuzz/run.sh <target> <seconds> [executions]
#
# Targets: backend-interfaces, phypayload, tr005, claims-csv, claims-json, kek-file (fuzz/Custodian.Fuzz/FuzzTargets.cs).
# Publishes the harness to artifacts/fuzz/bin/<sources hash>, instruments our parser assemblies with `sharpfuzz`, then runs
# afl-fuzz from fuzz/corpus/<target> into artifacts/fuzz/findings/<target> for <seconds> seconds, or until about
# [executions] inputs have run, whichever comes first. Installs Debian's afl++ and the
# SharpFuzz.CommandLine tool (fuzz/dotnet-tools.json, a local tool: nothing global) when missing.
# Exits non-zero when AFL++ saved a crash or a hang; prints AFL++'s figures from fuzzer_stats.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
FUZZ=$PWD
ROOT=$(cd .. && pwd)
TARGETS=(backend-interfaces phypayload tr005 claims-csv claims-json kek-file)
# The assemblies holding the parsers: the ones AFL++ sees coverage of.
INSTRUMENTED=(Custodian.Lorawan Custodian.BackendInterfaces Custodian.ClaimFiles Custodian.Core)

die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

target=${1:-}
seconds=${2:-}
executions=${3:-}
[[ " ${TARGETS[*]} " == *" $target "* && $seconds =~ ^[0-9]+$ ]] ||
  die "usage: fuzz/run.sh <target> <seconds> [executions]; targets: ${TARGETS[*]}"
[[ -z $executions || $executions =~ ^[0-9]+$ ]] || die "executions must be a number"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v afl-fuzz >/dev/null; then
  [[ $(id -u) -eq 0 ]] || die "afl-fuzz is missing and installing afl++ needs root"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++ >/dev/null
fi
dotnet tool restore >/dev/null

# Published and instrumented once per version of the sources (a hash of them names the folder), under a lock:
# runs of two targets at once share a copy, and a run never loses its copy to a rebuild for newer sources.
mkdir -p "$ROOT/artifacts/fuzz"
exec 9>"$ROOT/artifacts/fuzz/.publish.lock"
flock 9
version=$(find "$FUZZ/Custodian.Fuzz" "$ROOT/src" \( -name '*.cs' -o -name '*.csproj' \) -not -path '*/obj/*' -not -path '*/bin/*' |
  LC_ALL=C sort | xargs cat | sha1sum | cut -c1-12)
OUT=$ROOT/artifacts/fuzz/bin/$version
if [[ ! -f $OUT/.instrumented ]]; then
  rm -rf "$OUT"
  dotnet publish "$FUZZ/Custodian.Fuzz/Custodian.Fuzz.csproj" -c Release -o "$OUT" -nologo -v:quiet >/dev/null
  for assembly in "${INSTRUMENTED[@]}"; do
    dotnet sharpfuzz "$OUT/$assembly.dll" >/dev/null
  done
  touch "$OUT/.instrumented"
fi
flock -u 9

FINDINGS=$ROOT/artifacts/fuzz/findings/$target
rm -rf "$FINDINGS"
mkdir -p "$FINDINGS"
echo "harness=$OUT/Custodian.Fuzz.dll" >"$FINDINGS/run.env"

# The instrumentation lives in the .NET assemblies, not in the dotnet binary AFL++ starts.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export AFL_NO_AFFINITY=1
# A dictionary per kind of input (fuzz/dict): tokens our instrumented code alone would not lead AFL++ to.
case $target in
  backend-interfaces | claims-json) dictionary=(-x "$FUZZ/dict/json.dict") ;;
  claims-csv | tr005 | kek-file) dictionary=(-x "$FUZZ/dict/text.dict") ;;
  *) dictionary=() ;;
esac
limit=(-V "$seconds")
[[ -n $executions ]] && limit+=(-E "$executions")
set +e
afl-fuzz -i "$FUZZ/corpus/$target" -o "$FINDINGS" "${dictionary[@]}" "${limit[@]}" -t 5000 -m none \
  -- dotnet "$OUT/Custodian.Fuzz.dll" "$target" >"$FINDINGS/afl.log" 2>&1
rc=$?
set -e

stats=$FINDINGS/default/fuzzer_stats
[[ -f $stats ]] || { tail -30 "$FINDINGS/afl.log" >&2; die "afl-fuzz exited with code $rc before writing fuzzer_stats"; }
stat() { sed -n "s/^$1 *: *//p" "$stats"; }
crashes=$(stat saved_crashes)
hangs=$(stat saved_hangs)
echo "$target: $(stat execs_done) executions in $(stat run_time) s ($(stat execs_per_sec) execs/s overall)," \
  "corpus $(stat corpus_count), edges $(stat edges_found) of $(stat total_edges) ($(stat bitmap_cvg))," \
  "crashes $crashes, hangs $hangs"
((rc == 0)) || { tail -30 "$FINDINGS/afl.log" >&2; die "afl-fuzz exited with code $rc"; }
if ((crashes > 0 || hangs > 0)); then
  die "$target: AFL++ saved inputs that crash or hang in $FINDINGS/default/{crashes,hangs}"
fi
