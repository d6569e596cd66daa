#!/usr/bin/env python3
"""Times `actjit diff` and `actjit eval --interp` on generated definitions of 10^3, 10^4
and 10^5 nodes (docs/testing.md, "Scaling"), to show that the symbolic core grows
linearly. Usage: tools/scaling.py [ACTJIT] [--sizes 1000,10000,100000] [--repeat 3]
Prints one Markdown row per shape and size: the median wall time of each command."""
import argparse, os, statistics, subprocess, tempfile, time


def sum_of(n):      # x + x + ... + x: n leaves, n - 1 additions
    return "f(x) = " + " + ".join(["x"] * n) + "\n"


def product_of(n):  # sigmoid(x + 1) * ... : about 8 nodes a factor
    k = max(1, n // 8)
    return "f(x) = " + " * ".join(f"(1 / (1 + exp(-(x + {i}))))" for i in range(k)) + "\n"


def chain_of(n):    # f_i calls f_(i-1) at a shifted argument: about 8 nodes a definition
    k = max(1, n // 8)
    lines = ["f0(x) = tanh(x)"]
    lines += [f"f{i}(x) = 0.5 * f{i - 1}(x + 0.25) + sin(x) * x" for i in range(1, k)]
    lines.append(f"f(x) = f{k - 1}(x)")
    return "\n".join(lines) + "\n"


def median_time(command, stdin, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, input=stdin, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr[:500]}")
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("actjit", nargs="?", default="build/tools/actjit/actjit")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("| shape | nodes | diff (s) | eval --interp --grad, 1 sample (s) |")
    print("|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for shape, make in (("sum", sum_of), ("product", product_of), ("chain", chain_of)):
            for n in sizes:
                path = os.path.join(folder, f"{shape}{n}.act")
                with open(path, "w") as out:
                    out.write(make(n))
                diff = median_time([args.actjit, "diff", path, "f"], None, args.repeat)
                evaluate = median_time([args.actjit, "eval", "--interp", "--grad", path, "f"], "0.5\n", args.repeat)
                print(f"| {shape} | {n} | {diff:.3f} | {evaluate:.3f} |", flush=True)


if __name__ == "__main__":
    main()
