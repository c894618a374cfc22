#!/usr/bin/env bash
# Replaces fuzz/corpus/<target> with the smallest set of inputs (afl-cmin) that covers what the committed corpus and
# the queue of the last `fuzz/run.sh <target> …` cover. Seeds keep their names; AFL++'s finds are named by content
# (afl-<sha1>), so that no name holds ':' and re-running gives the same names.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
FUZZ=$PWD
ROOT=$(cd .. && pwd)
target=${1:-}
QUEUE=$ROOT/artifacts/fuzz/findings/$target/default/queue
[[ -n $target && -d $FUZZ/corpus/$target && -d $QUEUE ]] ||
  { echo "usage: fuzz/minimize.sh <target>, after fuzz/run.sh <target> <seconds>" >&2; exit 1; }
HARNESS=$(sed -n 's/^harness=//p' "$ROOT/artifacts/fuzz/findings/$target/run.env")

WORK=$ROOT/artifacts/fuzz/cmin/$target
rm -rf "$WORK"
mkdir -p "$WORK/in"
cp "$FUZZ/corpus/$target"/* "$WORK/in/"
for file in "$QUEUE"/id:*; do
  name=${file##*/}
  if [[ $name == *,orig:* ]]; then
    cp "$file" "$WORK/in/${name##*,orig:}"
  else
    cp "$file" "$WORK/in/afl-$(sha1sum "$file" | cut -c1-12)"
  fi
done

export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1
afl-cmin -i "$WORK/in" -o "$WORK/out" -t 5000 -m none -- "$(command -v dotnet)" "$HARNESS" "$target" >"$WORK/cmin.log" 2>&1 ||
  { tail -20 "$WORK/cmin.log" >&2; exit 1; }
rm -rf "${FUZZ:?}/corpus/$target"
cp -r "$WORK/out" "$FUZZ/corpus/$target"
echo "$target: $(ls "$FUZZ/corpus/$target" | wc -l) inputs, $(du -sh "$FUZZ/corpus/$target" | cut -f1) (from $(ls "$WORK/in" | wc -l))"
