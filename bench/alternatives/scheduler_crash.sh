#!/usr/bin/env bash
# The scheduler crash of bench/scenarios/crash/scheduler_start_panic.toml, checked the way a
# hand-written script would: spawn the mock with FAILPOINTS under `timeout`, keep its stderr in a
# file, check $?, grep the expected lines (in order), the forbidden line and the fired site.
# Not checked: the fault-to-exit time (the journal's CLOCK_MONOTONIC stamp has no counterpart in
# the shell); `timeout 10` bounds the whole run instead.
# Usage: scheduler_crash.sh MOCK_BINARY   (exit 0: as expected, 1: not, with the reason)
set -u
mock=${1:?usage: scheduler_crash.sh MOCK_BINARY}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

FAILPOINTS='scheduler.start=panic(state database unavailable)' NO_COLOR=1 \
  timeout 10 "$mock" --insecure --isolation subprocess --fleet-api-type grpc-rere \
  --fleet-api-address 127.0.0.1:0 --serverappio-api-address 127.0.0.1:0 \
  --exec-api-address 127.0.0.1:0 --fault-journal "$dir/journal.jsonl" \
  >"$dir/stdout.log" 2>"$dir/stderr.log" </dev/null
status=$?
fail() {
  echo "FAIL: $*"
  cat "$dir/stderr.log"
  exit 1
}
[ "$status" -eq 100 ] || fail "expected exit status 100, got $status"

# Each expected line after the previous one.
after=0
for pattern in "Critical background thread 'scheduler' stopped: .*state database unavailable" \
  'Exit Code: 100' 'An important background thread has crashed' 'ref-exit-codes/100\.html'; do
  found=$(tail -n "+$((after + 1))" "$dir/stderr.log" | grep -n -m1 -E -- "$pattern" | cut -d: -f1)
  [ -n "$found" ] || fail "no stderr line matching /$pattern/ after line $after"
  after=$((after + found))
done
if grep -q -E 'terminated gracefully' "$dir/stderr.log"; then
  fail "forbidden stderr line /terminated gracefully/ present"
fi
fired=$(grep -o '"site":"[^"]*"' "$dir/journal.jsonl" | sort -u | tr '\n' ' ')
[ "$fired" = '"site":"scheduler.start" ' ] || fail "expected only scheduler.start to fire, got: $fired"
exit 0
