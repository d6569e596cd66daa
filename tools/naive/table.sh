#!/bin/sh
# The accuracy of the stabilizer on issue 10's set (tests/compiler/naive_spellings.act):
# one line per definition, `actjit accuracy --brief` against MPFR on the formula as
# written, JIT kernels in DTYPE (docs/numerics.md, "What users write").
#   tools/naive/table.sh [ACTJIT] [DTYPE] [SAMPLES]
# Two-input definitions are measured in f32 only: the f64 grid has a point per exponent
# pair (4094^2), which takes minutes each.
actjit=${1:-build/tools/actjit/actjit}
dtype=${2:-f64}
samples=${3:-65536}
file=tests/compiler/naive_spellings.act
"$actjit" list "$file" | while read -r signature; do
    name=${signature%%(*}
    inputs=${signature#*(}
    inputs=${inputs%%[;)]*}
    case $inputs in
    *,*) [ "$dtype" = f64 ] && { echo "$name  (two inputs: f32 only)"; continue; } ;;
    esac
    "$actjit" accuracy "$file" "$name" --brief --samples "$samples" --dtype "$dtype"
done
