#!/usr/bin/env python3
"""Issue 10's table (docs/numerics.md, "Issue 10's set, before and after"): every case of
tests/compiler/naive_spellings.act measured by `actjit accuracy --brief` against MPFR on
the formula as written, with the formula as written (--stabilize=off: the naive
baseline), the stabilizer's rules (the default) and the bounded search
(--stabilize=search), in f64 and in f32 (two-input cases in f32 only).

    tools/naive/table.py [ACTJIT] [SAMPLES] [FILE] > table.md

(FILE: tests/compiler/naive_spellings.act by default; tests/compiler/literature.act is
the held-out set.)

Each cell: the value's largest error in ULP / the worst derivative's, then the average
bits of error (Herbie's measure, points with a finite truth) of the value / of the worst
derivative, then the special values (NaN, ±inf, ±0) that disagree, if any. The last
columns say whether the case meets issue 10's goals with the rules (value <= 4 ULP,
every derivative <= 16, f64 past |x| = 20 <= 2048 is not told apart here, no special
value that disagrees)."""
import re
import subprocess
import sys

actjit = sys.argv[1] if len(sys.argv) > 1 else "build/tools/actjit/actjit"
samples = sys.argv[2] if len(sys.argv) > 2 else "16384"
path = sys.argv[3] if len(sys.argv) > 3 else "tests/compiler/naive_spellings.act"

def measure(name, dtype, mode):
    out = subprocess.run([actjit, "accuracy", path, name, "--brief", "--samples", samples, "--dtype", dtype,
                          "--stabilize", mode], capture_output=True, text=True).stdout.strip()
    parts = re.findall(r"(value|d/d\w+) (\S+) ULP \((\S+) bits\)", out)
    special = re.search(r"(\d+) special values? disagree", out)
    return [(c, float(u), float(b)) for c, u, b in parts], int(special.group(1)) if special else 0

def cell(m):
    parts, special = m
    if not parts:
        return "—"
    value = parts[0]
    worst = max(parts[1:], key=lambda p: p[1], default=None)
    u = lambda v: "inf" if v == float("inf") else f"{v:.3g}"
    text = u(value[1]) + (f" / {u(worst[1])}" if worst else "")
    text += f" ({value[2]:.2f}" + (f" / {worst[2]:.2f}" if worst else "") + " b)"
    if special:
        text += f", {special} sp."
    return text

def meets(m):
    parts, special = m
    return bool(parts) and parts[0][1] <= 4 and all(p[1] <= 16 for p in parts[1:]) and special == 0

names = subprocess.run([actjit, "list", path], capture_output=True, text=True).stdout.split("\n")
print("| case | f64 as written | f64 rules | f64 search | f32 as written | f32 rules | f32 search | goals f64 / f32 (rules) |")
print("|---|---:|---:|---:|---:|---:|---:|:---:|")
for signature in filter(None, names):
    name = signature.split("(")[0]
    two = "," in signature.split("(")[1].split(";")[0].split(")")[0]
    row, goals = [], []
    for dtype in ("f64", "f32"):
        for mode in ("off", "rules", "search"):
            if two and dtype == "f64":
                row.append("—")
                continue
            m = measure(name, dtype, mode)
            row.append(cell(m))
            if mode == "rules":
                goals.append("yes" if meets(m) else "no")
    if two:
        goals.insert(0, "—")
    print(f"| {name} | " + " | ".join(row) + f" | {' / '.join(goals)} |")
