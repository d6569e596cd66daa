#!/bin/bash
# actjit reads a file from a pipe, a FIFO or a process substitution to its end (they have
# no size to ask for), and names a directory or a device as what it is.
#   tests/tools/pipes.sh ACTJIT
set -u
actjit=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
# expect STATUS STDERR_SUBSTRING STDOUT_SUBSTRING -- COMMAND... (run by bash -c)
expect() {
    local status=$1 err=$2 out=$3 command=$4
    bash -c "$command" >"$dir/out" 2>"$dir/err"
    local got=$?
    if [ "$got" != "$status" ] || { [ -n "$err" ] && ! grep -qF -- "$err" "$dir/err"; } ||
       { [ -n "$out" ] && ! grep -qF -- "$out" "$dir/out"; }; then
        echo "FAILED: $command (exit $got, expected $status)"
        echo "stdout:"; cat "$dir/out"; echo "stderr:"; cat "$dir/err"
        failures=$((failures + 1))
    fi
}
a=$(printf '%q' "$actjit")
expect 1 "expected expression, found end of file" "" "$a check <(printf 'f(x) = x +\n')"
expect 1 "/dev/stdin:1:11: error" "" "printf 'f(x) = x +\n' | $a check /dev/stdin"
expect 0 "" "f(x)" "printf 'f(x) = x\n' | $a list -"
mkfifo "$dir/fifo"
expect 0 "" "g(x)" "(printf 'g(x) = exp(x)\n' > $dir/fifo &); $a list $dir/fifo"
expect 1 "is a directory, not a file" "" "$a check $dir"
expect 1 "is a device, not a file" "" "$a check /dev/null"
expect 2 "FILE can be '-' (standard input) only with --range" "" "echo 'f(x) = x' | $a eval --interp - f"
# With --range the samples are not read, so the definitions can come from standard input.
expect 0 "" "$(printf '0\n1\n2')" "echo 'f(x) = 2 * x' | $a eval - f --range 0:1:3"
[ "$failures" = 0 ] && echo "pipes, FIFOs, process substitution, directories and devices: as expected"
exit "$failures"
