#!/usr/bin/env python3
"""Runs bench/'s actjit_bench and actjit's compile-time bench, and writes docs/BENCHMARKS.md
with its plots (`make bench`). Every figure in the file comes from this run: nothing in it
is edited by hand. Python's standard library and gnuplot only.

    tools/bench/report.py --build build-bench [--out docs/BENCHMARKS.md] [--quick]
"""
import argparse
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time

ACTIVATIONS = ["relu", "leaky_relu", "elu", "selu", "relu6", "softplus", "sigmoid", "tanh", "silu",
               "gelu", "gelu_tanh", "mish", "hardswish", "swiglu"]
PEERS = ["std", "libmvec", "eigen", "onednn", "sleef", "pytorch"]
OURS = ["actjit-fast", "actjit"]
SIZES = [4096, 262144, 16777216]
MEMORY_BOUND = ["relu", "leaky_relu", "relu6", "hardswish"]
COMPUTE_BOUND = [("gelu", "forward"), ("gelu", "backward"), ("mish", "forward"), ("mish", "backward"),
                 ("gelu_tanh", "backward")]


def say(*text):
    print("bench:", *text, file=sys.stderr, flush=True)


def run(command, env=None, capture=True):
    full_env = dict(os.environ)
    full_env.update(env or {})
    result = subprocess.run(command, env=full_env, text=True, capture_output=capture)
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return result.stdout


def google_benchmark(binary, out, filter_=".", repetitions=5, min_time=0.05, env=None, label=""):
    """Runs actjit_bench with interleaved repetitions; returns {name: median real time in ns}."""
    command = [binary, f"--benchmark_filter={filter_}", f"--benchmark_repetitions={repetitions}",
               "--benchmark_enable_random_interleaving=true", f"--benchmark_min_time={min_time}",
               "--benchmark_report_aggregates_only=true", f"--benchmark_out={out}",
               "--benchmark_out_format=json", "--benchmark_format=console"]
    full_env = dict(os.environ)
    full_env.update(env or {})
    started = time.time()
    process = subprocess.Popen(command, env=full_env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = 0
    for line in process.stdout:
        if "_median" in line:
            done += 1
            if done % 100 == 0:
                say(f"{label} {done} cases timed ({time.time() - started:.0f} s)")
    if process.wait() != 0:
        sys.exit(f"bench: actjit_bench failed:\n{process.stderr.read()}")
    with open(out) as f:
        data = json.load(f)
    medians = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") == "median":
            medians[b["run_name"].removesuffix("/real_time")] = b["real_time"] * {"ns": 1, "us": 1e3, "ms": 1e6}[b["time_unit"]]
    return medians, data["context"]


def per_element(medians, name, n):
    t = medians.get(name)
    return None if t is None else t / n


def fmt(v, digits=3):
    if v is None:
        return "–"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.{digits}f}"


def ulp(v):
    if v is None:
        return "–"
    if v >= 1e4:
        return f"{v:.1e}"
    if v >= 10:
        return f"{v:.0f}"
    return f"{v:.2f}"


def machine():
    info = {}
    lscpu = run(["lscpu"])
    for line in lscpu.splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    flags = info.get("Flags", "").split()
    isa = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "SSE"
    return (f"{info.get('Model name', '?')}, {info.get('CPU(s)', '?')} CPUs, {isa}; "
            f"L1d {info.get('L1d cache', '?')}, L2 {info.get('L2 cache', '?')}, L3 {info.get('L3 cache', '?')}; "
            f"Linux {platform.release()}")


DEFINITIONS = "build-bench/bench/activations.act"


def write_definitions(path):
    """The standard library and tanh (a builtin, not a definition there) under a name."""
    global DEFINITIONS
    DEFINITIONS = path
    with open("examples/activations.act") as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text + "\nhyperbolic_tangent(x) = tanh(x)\n")


def definition(name):
    return "hyperbolic_tangent" if name == "tanh" else name


_asm = {}


def fast_asm(actjit, name):
    """The fast kernels' assembly, once per definition."""
    if name not in _asm:
        _asm[name] = run([actjit, "asm", DEFINITIONS, definition(name), "--precision", "fast"])
    return _asm[name]


def vector_instructions_per_element(actjit, name, direction):
    """Vector instructions in the kernel's body function (`NAME_DIRECTION_packed`), per element."""
    asm = fast_asm(actjit, name)
    lanes = 16 if "zmm" in asm else 8 if "ymm" in asm else 4
    inside, count = False, 0
    for line in asm.splitlines():
        if line.startswith(f"{definition(name)}_{direction}_packed:"):
            inside = True
        elif inside and line.startswith(".Lfunc_end"):
            break
        elif inside and line.startswith("\tv"):
            count += 1
    return count / lanes


_cpu = []


def host_cpu(actjit):
    """The CPU name actjit compiles for (LLVM's), once."""
    if not _cpu:
        _cpu.append(json.loads(run([actjit, "bench", DEFINITIONS, "relu", "--n", "64", "--repetitions", "1",
                                    "--json"]))["cpu"])
    return _cpu[0]


def throughput(actjit, name, direction):
    """llvm-mca's model of the kernel's largest basic block (its loop body): cycles per
    element, and the resource that binds it. A model, not a measurement."""
    asm = fast_asm(actjit, name)
    lanes = 16 if "zmm" in asm else 8 if "ymm" in asm else 4
    blocks, current, inside = [], [], False
    for line in asm.splitlines():
        if line.startswith(f"{definition(name)}_{direction}_packed:"):
            inside = True
            continue
        if not inside:
            continue
        if line.startswith(".Lfunc_end"):
            break
        if line.startswith(".LBB") or line.startswith("\tj"):
            blocks.append(current)
            current = []
            continue
        text = line.strip()
        if text and not text.startswith((".", "#")) and not text.startswith(("cmp", "test")):
            current.append(text.replace("{z}", "").split("{%k")[0].strip())
    blocks.append(current)
    body = max(blocks, key=len)
    # The elements the block computes: its vector stores over the kernel's outputs.
    outputs = 1 if direction == "forward" else (2 if name == "swiglu" else 1)
    stores = sum(1 for line in body if line.startswith("vmov") and line.rstrip().endswith(")"))
    turns = max(1, stores // outputs)
    cpu = host_cpu(actjit)
    result = subprocess.run(["llvm-mca-19", f"-mcpu={cpu}", "-iterations=200", "-bottleneck-analysis"],
                            input="\n".join(body) + "\n", text=True, capture_output=True)
    if result.returncode != 0:
        return None, ""
    cycles = None
    bound = ""
    for line in result.stdout.splitlines():
        if line.startswith("Block RThroughput:"):
            cycles = float(line.split(":")[1]) / (lanes * turns)
        stripped = line.strip()
        if stripped.startswith("- ") and "[" in stripped and not bound:
            bound = stripped[2:].split("[")[0].strip()
    return cycles, bound


def compile_times(actjit, names, fast):
    rows = {}
    for name in names:
        command = [actjit, "bench", DEFINITIONS, definition(name), "--n", "4096", "--json"]
        if fast:
            command += ["--precision", "fast"]
        rows[name] = json.loads(run(command))
    return rows


def plot(medians, direction, path, gnuplot):
    """ns/element against size, one panel per activation, f32, one thread."""
    data_path = path + ".dat"
    series = OURS + PEERS
    with open(data_path, "w") as f:
        for a in ACTIVATIONS:
            f.write(f"# {a}\n")
            for n in SIZES:
                values = [per_element(medians, f"f32/{a}/{direction}/{n}/1/{s}", n) for s in series]
                f.write(f"{n} " + " ".join("NaN" if v is None else f"{v:.5g}" for v in values) + "\n")
            f.write("\n\n")
    script = [f"set terminal pngcairo noenhanced size 1600,1000 font ',9'", f"set output '{path}'",
              "set logscale xy", "set xtics ('4k' 4096, '256k' 262144, '16M' 16777216)", "set key off",
              f"set multiplot layout 3,5 title 'f32 {direction}, 1 thread: ns/element (log) against elements (log)'"]
    first = True
    for i, a in enumerate(ACTIVATIONS):
        if all(per_element(medians, f"f32/{a}/{direction}/{n}/1/actjit-fast", n) is None for n in SIZES):
            continue
        lines = ", ".join(f"'{data_path}' index {i} using 1:{k + 2} with linespoints title '{s}'"
                          for k, s in enumerate(series))
        script += [f"set title '{a}'", "set key top left font ',7'" if first else "set key off", f"plot {lines}"]
        first = False
    script.append("unset multiplot")
    result = subprocess.run([gnuplot], input="\n".join(script) + "\n", text=True, capture_output=True)
    if result.returncode != 0:
        sys.exit(f"bench: gnuplot failed on {path}:\n{result.stderr}")
    os.remove(data_path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build-bench")
    parser.add_argument("--out", default="docs/BENCHMARKS.md")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (to try the script)")
    parser.add_argument("--filter", default=".", help="only these cases in the main run (to try the script)")
    args = parser.parse_args()
    binary = os.path.join(args.build, "bench", "actjit_bench")
    actjit = os.path.join(args.build, "tools", "actjit", "actjit")
    results = os.path.join(args.build, "bench")
    reps = 3 if args.quick else 5
    started = time.time()
    write_definitions(os.path.join(results, "activations.act"))

    say("accuracy of every implementation against MPFR")
    accuracy_path = os.path.join(results, "accuracy.jsonl")
    run([binary, f"--accuracy={accuracy_path}"])
    accuracy = {}
    with open(accuracy_path) as f:
        for line in f:
            r = json.loads(line)
            accuracy[(r["dtype"], r["activation"], r["direction"], r["implementation"])] = r

    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    say("timing every kernel, interleaved")
    medians, context = google_benchmark(binary, os.path.join(results, "main.json"), args.filter, reps,
                                        label="main run:")

    say("the choices: streaming threshold, vector width, pass pipeline, compile parallelism")
    relu_filter = "f32/(relu|hardswish)/(forward|backward)/(262144|16777216)/1/actjit-fast/"
    never, always = {"ACTJIT_STREAM_MIN": str(1 << 62)}, {"ACTJIT_STREAM_MIN": "0"}
    stream_never, _ = google_benchmark(binary, os.path.join(results, "never.json"), relu_filter, reps, env=never)
    stream_always, _ = google_benchmark(binary, os.path.join(results, "always.json"), relu_filter, reps, env=always)
    width_filter = "f32/(relu|silu|gelu_tanh|mish|sigmoid)/(forward|backward)/262144/1/actjit-fast/"
    narrow, _ = google_benchmark(binary, os.path.join(results, "narrow.json"), width_filter, reps,
                                 env={"ACTJIT_VECTOR_BITS": "256"})
    o3_filter = "f32/(relu|hardswish|silu|gelu_tanh|mish)/(forward|backward)/262144/1/actjit-fast/"
    o3, _ = google_benchmark(binary, os.path.join(results, "o3.json"), o3_filter, reps,
                             env={"ACTJIT_PIPELINE": "default<O3>"})
    level0, _ = google_benchmark(binary, os.path.join(results, "level0.json"), o3_filter, reps,
                                 env={"ACTJIT_CODEGEN": "0"})
    unroll_filter = "f32/(relu|hardswish)/(forward|backward)/(4096|262144)/1/actjit-fast/"
    unrolled = {u: google_benchmark(binary, os.path.join(results, f"unroll{u}.json"), unroll_filter, reps,
                                    env={"ACTJIT_UNROLL": str(u)})[0] for u in (1, 2, 8)}
    prefetch_filter = "f32/(hardswish|sigmoid|gelu_tanh|mish)/(forward|backward)/(262144|16777216)/1/actjit-fast/"
    no_prefetch, _ = google_benchmark(binary, os.path.join(results, "noprefetch.json"), prefetch_filter, reps,
                                      env={"ACTJIT_PREFETCH": "0"})

    say("compile times (actjit bench --json)")
    compile_fast = compile_times(actjit, ACTIVATIONS, True)
    for name, row in compile_fast.items():
        row["instructions"] = {d: vector_instructions_per_element(actjit, name, d) for d in ["forward", "backward"]}
        row["mca"] = {d: throughput(actjit, name, d) for d in ["forward", "backward"]}
    compile_accurate = compile_times(actjit, ["relu", "silu", "gelu", "mish"], False)
    compile_o3 = {}
    compile_serial = {}
    compile_level0 = {}
    for name in ["relu", "silu", "gelu", "mish"]:
        command = [actjit, "bench", DEFINITIONS, name, "--n", "4096", "--json", "--precision", "fast"]
        compile_o3[name] = json.loads(run(command, env={"ACTJIT_PIPELINE": "default<O3>"}))
        compile_serial[name] = json.loads(run(command, env={"ACTJIT_PARALLEL_COMPILE": "off"}))
        compile_level0[name] = json.loads(run(command, env={"ACTJIT_CODEGEN": "0"}))

    say("plots")
    os.makedirs("docs/bench", exist_ok=True)
    for direction in ["forward", "backward"]:
        plot(medians, direction, f"docs/bench/{direction}.png", "gnuplot")

    say("writing", args.out)
    unrolled[4] = medians
    write(args, medians, context, accuracy, stream_never, stream_always, narrow, o3, level0, unrolled, no_prefetch,
          compile_fast, compile_accurate, compile_o3, compile_serial, compile_level0, time.time() - started, load)


def write(args, medians, context, accuracy, stream_never, stream_always, narrow, o3, level0, unrolled, no_prefetch,
          compile_fast, compile_accurate, compile_o3, compile_serial, compile_level0, elapsed, load):
    out = []
    w = out.append
    commit = run(["git", "rev-parse", "--short", "HEAD"]).strip()
    w("# Benchmarks\n")
    w("Written by `make bench` (tools/bench/report.py) on "
      f"{datetime.date.today().isoformat()} at commit `{commit}`, in {elapsed / 60:.1f} minutes; "
      "regenerate it with `make bench`, never by hand.\n")
    w(f"- Machine: {machine()}; load average {load} when the timing began (other processes on the machine "
      "share its cores: above about 0.5, expect the 2-thread figures to show it).")
    w(f"- actjit's kernels: {context.get('actjit cpu', '?')}.")
    for peer in PEERS:
        if f"peer {peer}" in context:
            w(f"- {peer}: {context[f'peer {peer}']}.")
    version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libbenchmark-dev"], text=True,
                             capture_output=True).stdout.strip() or "?"
    w(f"- Google Benchmark {version} (Debian's libbenchmark-dev; a {context.get('library_build_type', '?')} build of the "
      "library; the timed code is the kernels'), every case repeated and interleaved at random with the others "
      "(`--benchmark_enable_random_interleaving`); figures are medians of the repetitions.")
    w("- Inputs uniform in [-8, 8] (b of swiglu in [-4, 4]), dy in [0.5, 2], arrays 64-byte aligned. "
      "With 2 threads, actjit splits the arrays itself (runtime/library.cpp); every peer is given one half per "
      "thread by the bench and runs single-threaded inside.")
    w("- `actjit` is the default precision (f32 computed in double lanes, within 0.5 ULP); `actjit-fast` computes "
      "in float lanes with float vector math (docs/numerics.md). The ratio column is the fastest peer's time "
      "over actjit-fast's: above 1, actjit is faster.\n")

    w("Reproduce: `make bench` (installs cmake/bench-packages.txt, builds build-bench/ (the peers at -O3 -march=native), runs "
      "`build-bench/bench/actjit_bench` and `actjit bench --json`). One case alone: "
      "`build-bench/bench/actjit_bench --benchmark_filter='f32/gelu/forward/262144/1/' "
      "--benchmark_repetitions=5 --benchmark_enable_random_interleaving=true`.\n")

    # ---- goals --------------------------------------------------------------------
    w("## Goals\n")
    in_cache = []
    for n in SIZES[:2]:
        for a in ACTIVATIONS:
            for d in ["forward", "backward"]:
                ours = per_element(medians, f"f32/{a}/{d}/{n}/1/actjit-fast", n)
                peers = [per_element(medians, f"f32/{a}/{d}/{n}/1/{p}", n) for p in PEERS]
                peers = [p for p in peers if p is not None]
                if ours and peers:
                    in_cache.append((a, d, n, min(peers) / ours))
    geo = math.exp(statistics.fmean(math.log(r) for _, _, _, r in in_cache))
    behind = [(a, d, n, r) for a, d, n, r in in_cache if r < 1]
    w(f"- **In cache** (4096 and 262144 floats, 1 thread, f32): geomean of fastest peer / actjit-fast over "
      f"{len(in_cache)} rows = **{geo:.2f}x** (goal: at least 1.5x). Rows where a peer is faster: {len(behind)} of "
      f"{len(in_cache)}" + (": " + ", ".join(f"{a} {d} at {n} ({r:.2f}x)" for a, d, n, r in behind) if behind else "")
      + ".")
    big = 16777216
    copy_nt = per_element(medians, f"memory/copy/streaming/{big}/1", big)
    r2w1_nt = per_element(medians, f"memory/read2write1/streaming/{big}/1", big)
    lines = []
    for a in MEMORY_BOUND:
        f = per_element(medians, f"f32/{a}/forward/{big}/1/actjit-fast", big)
        b = per_element(medians, f"f32/{a}/backward/{big}/1/actjit-fast", big)
        lines.append(f"{a} forward {copy_nt / f * 100:.0f} %, backward {r2w1_nt / b * 100:.0f} %")
    w(f"- **Memory limit** (16,777,216 floats, 1 thread; goal ≥ 90 %): the share of the streaming copy's "
      f"bandwidth (forward) and of the streaming read-two-write-one loop's (backward): " + "; ".join(lines) + ".")
    lines = []
    for a, d in COMPUTE_BOUND:
        one = per_element(medians, f"f32/{a}/{d}/{big}/1/actjit-fast", big)
        two = per_element(medians, f"f32/{a}/{d}/{big}/2/actjit-fast", big)
        lines.append(f"{a} {d} {one / two:.2f}x")
    mem = []
    for a in MEMORY_BOUND:
        for d in ["forward", "backward"]:
            one = per_element(medians, f"f32/{a}/{d}/{big}/1/actjit-fast", big)
            two = per_element(medians, f"f32/{a}/{d}/{big}/2/actjit-fast", big)
            mem.append(f"{a} {d} {one / two:.2f}x")
    w(f"- **2 threads** at 16,777,216 floats, speed over 1 thread (goal ≥ 1.7x for the compute-bound, ≥ 1 for the "
      f"memory-bound): " + "; ".join(lines) + "; memory-bound: " + "; ".join(mem) + ".")
    cold = [r["compile_cold_ms"] for r in compile_fast.values()]
    disk = [r["compile_disk_hit_ms"] for r in compile_fast.values()]
    memory = [r["compile_memory_hit_us"] for r in compile_fast.values()]
    optimized = [r["compile_cold_optimized_ms"] for r in compile_fast.values()]
    w(f"- **Compile time**, forward + backward, f32 fast (medians per definition, `actjit bench --json`): cold "
      f"{min(cold):.2f}–{max(cold):.2f} ms (median {statistics.median(cold):.2f}; goal ≤ 5 ms; tiered, until the "
      f"kernels can be called; optimized at once {min(optimized):.2f}–{max(optimized):.2f} ms), disk-cache hit "
      f"{min(disk):.3f}–{max(disk):.3f} ms (goal ≤ 0.2 ms), memory-cache hit {min(memory):.2f}–{max(memory):.2f} µs "
      f"(goal ≤ 2 µs). Per definition below.\n")
    w(GOAL_NOTES)

    # ---- the tables --------------------------------------------------------------------
    impls = OURS + PEERS
    for n in SIZES:
        for threads in [1, 2]:
            w(f"\n## f32, {n:,} elements, {threads} thread{'s' if threads > 1 else ''}: ns/element\n")
            w("The fastest of each row in bold; accuracy is in its own table below.\n")
            w("| activation | direction | " + " | ".join(impls) + " | ratio |")
            w("|---|---|" + "---:|" * (len(impls) + 1))
            for a in ACTIVATIONS:
                for d in ["forward", "backward"]:
                    values = [per_element(medians, f"f32/{a}/{d}/{n}/{threads}/{s}", n) for s in impls]
                    present = [v for v in values if v is not None]
                    if not present:
                        continue
                    best = min(present)
                    cells = [("**" + fmt(v) + "**" if v == best else fmt(v)) if v is not None else "–" for v in values]
                    peer_values = [v for v, s in zip(values, impls) if s in PEERS and v is not None]
                    ratio = f"{min(peer_values) / values[0]:.2f}" if peer_values and values[0] else "–"
                    w(f"| {a} | {d} | " + " | ".join(cells) + f" | {ratio} |")
    w("\n## f64, 262,144 elements, 1 thread: ns/element\n")
    impls64 = ["actjit"] + PEERS
    w("| activation | direction | " + " | ".join(impls64) + " |")
    w("|---|---|" + "---:|" * len(impls64))
    for a in ACTIVATIONS:
        for d in ["forward", "backward"]:
            values = [per_element(medians, f"f64/{a}/{d}/262144/1/{s}", 262144) for s in impls64]
            if not any(values):
                continue
            best = min(v for v in values if v is not None)
            w(f"| {a} | {d} | " + " | ".join(("**" + fmt(v) + "**" if v == best else fmt(v)) if v else "–"
                                            for v in values) + " |")

    w("\n## The memory limit: GB/s (bytes read + written)\n")
    sizes = sorted({int(k.split("/")[3]) for k in medians if k.startswith("memory/")})
    w("| loop | threads | " + " | ".join(f"{n:,}" for n in sizes) + " |")
    w("|---|---|" + "---:|" * len(sizes))
    for loop, arrays in [("copy/plain", 2), ("copy/streaming", 2), ("read2write1/plain", 3),
                         ("read2write1/streaming", 3)]:
        for threads in [1, 2]:
            cells = []
            for n in sizes:
                t = medians.get(f"memory/{loop}/{n}/{threads}")
                cells.append(fmt(n * 4 * arrays / t) if t else "–")
            w(f"| {loop} | {threads} | " + " | ".join(cells) + " |")
    w("\nactjit's memory-bound kernels at 16,777,216 floats, GB/s: " + "; ".join(
        f"{a} {d} {4 * (2 if d == 'forward' else 3) / per_element(medians, f'f32/{a}/{d}/{big}/1/actjit-fast', big):.1f}"
        for a in MEMORY_BOUND for d in ["forward", "backward"]) + ".\n")

    w("## Accuracy: worst error in ULP over the same points, against MPFR\n")
    w("About 6,000 points per activation (3,000 log-uniform in magnitude from 1e-5 to 30, 3,000 uniform in "
      "[-20, 20], and ±0.5 … ±30, ±100; exact kinks left out), each implementation's f32 kernels against the "
      "exact value of the definition in examples/activations.act (MPFR at 1024 bits), value and slopes (dy = 1). "
      "A peer may be inaccurate where its time is fast; `nf` counts results that are inf or NaN where the exact "
      "value is a finite float.\n")
    w("| activation | direction | " + " | ".join(impls) + " |")
    w("|---|---|" + "---:|" * len(impls))
    for a in ACTIVATIONS:
        for d in ["forward", "backward"]:
            cells = []
            for s in impls:
                r = accuracy.get(("f32", a, d, s))
                if r is None:
                    cells.append("–")
                    continue
                cell = ulp(r["worst_ulp"])
                if r["nonfinite"]:
                    cell += f" ({r['nonfinite']} nf)"
                cells.append(cell)
            w(f"| {a} | {d} | " + " | ".join(cells) + " |")
    w("\nWhere each worst error is (x), actjit-fast and actjit: " + "; ".join(
        f"{a} {d} {accuracy[('f32', a, d, 'actjit-fast')]['at']:.4g} / {accuracy[('f32', a, d, 'actjit')]['at']:.4g}"
        for a in ACTIVATIONS for d in ["forward", "backward"] if ("f32", a, d, "actjit") in accuracy) + ".\n")

    w("## Plots\n")
    w("![f32 forward, ns/element against size](bench/forward.png)\n")
    w("![f32 backward, ns/element against size](bench/backward.png)\n")

    # ---- the choices ---------------------------------------------------------------------
    w("## The choices, each measured\n")
    w("**Streaming stores.** From `streaming_threshold()` elements per call (2^22 by default, "
      "compiler/llvm/codegen.hpp) a kernel stores with non-temporal stores after a short first turn that "
      "aligns its outputs. The copy loops above show where streaming starts to pay on this machine: the "
      "plain copy against the streaming one, per size. actjit-fast, ns/element, never / always / by "
      "the threshold (ACTJIT_STREAM_MIN):\n")
    w("| kernel | n | never | always | default |")
    w("|---|---:|---:|---:|---:|")
    for a in ["relu", "hardswish"]:
        for d in ["forward", "backward"]:
            for n in [262144, big]:
                name = f"f32/{a}/{d}/{n}/1/actjit-fast"
                w(f"| {a} {d} | {n:,} | {fmt(per_element(stream_never, name, n))} | "
                  f"{fmt(per_element(stream_always, name, n))} | {fmt(per_element(medians, name, n))} |")
    w("\n**Unrolling.** Kernels without vector math first run a plain loop of several whole vectors per "
      "iteration (codegen.hpp, 4 by default; 1 is no such loop; ACTJIT_UNROLL), actjit-fast, ns/element:\n")
    w("| kernel | n | 1 | 2 | 4 | 8 |")
    w("|---|---:|---:|---:|---:|---:|")
    for a in ["relu", "hardswish"]:
        for d in ["forward", "backward"]:
            for n in [4096, 262144]:
                name = f"f32/{a}/{d}/{n}/1/actjit-fast"
                w(f"| {a} {d} | {n:,} | " + " | ".join(fmt(per_element(unrolled[u], name, n)) for u in (1, 2, 4, 8)) + " |")
    w("\n**Prefetching.** The generic loop's whole turns prefetch each input 4,096 bytes ahead "
      "(codegen.hpp; ACTJIT_PREFETCH=0 is none), actjit-fast, ns/element:\n")
    w("| kernel | n | no prefetch | prefetch |")
    w("|---|---:|---:|---:|")
    for a in ["hardswish", "sigmoid", "gelu_tanh", "mish"]:
        for d in ["forward", "backward"]:
            for n in [262144, big]:
                name = f"f32/{a}/{d}/{n}/1/actjit-fast"
                w(f"| {a} {d} | {n:,} | {fmt(per_element(no_prefetch, name, n))} | {fmt(per_element(medians, name, n))} |")
    w("\n**Vector width.** AVX-512 against 256-bit vectors of the same instructions (ACTJIT_VECTOR_BITS=256), "
      "actjit-fast at 262,144 floats, ns/element:\n")
    w("| kernel | 512-bit | 256-bit |")
    w("|---|---:|---:|")
    for name in sorted(narrow):
        a, d = name.split("/")[1:3]
        w(f"| {a} {d} | {fmt(per_element(medians, name, 262144))} | {fmt(per_element(narrow, name, 262144))} |")
    w("\n**Pass pipeline and code generator.** The kernels' pipeline (optimize.hpp: SROA, EarlyCSE, InstCombine, "
      "SimplifyCFG, LICM) against LLVM's default<O3>, and the code generator at its level 0 (fast instruction "
      "selection where it can, fast register allocation; ACTJIT_CODEGEN=0) against the default (3); actjit-fast at "
      "262,144 floats, ns/element, then compile times (cold, ms):\n")
    w("| kernel | default | default<O3> pipeline | code generator level 0 |")
    w("|---|---:|---:|---:|")
    for name in sorted(o3):
        a, d = name.split("/")[1:3]
        w(f"| {a} {d} | {fmt(per_element(medians, name, 262144))} | {fmt(per_element(o3, name, 262144))} | "
          f"{fmt(per_element(level0, name, 262144))} |")
    w("\n| definition | cold, default | cold, default<O3> pipeline | cold, code generator level 0 | "
      "cold, forward and backward one after the other |")
    w("|---|---:|---:|---:|---:|")
    for name in compile_o3:
        w(f"| {name} | {compile_fast[name]['compile_cold_ms']:.2f} | {compile_o3[name]['compile_cold_ms']:.2f} | "
          f"{compile_level0[name]['compile_cold_ms']:.2f} | {compile_serial[name]['compile_cold_ms']:.2f} |")
    w("\n**Threads.** The runtime keeps its worker threads (runtime/thread_pool.cpp) and gives each one contiguous "
      "block (a multiple of 1024 elements) when no parameter gradient needs a fixed summation order, else 65,536-"
      "element chunks in turn; it stays on one thread below 32,768 elements per thread. The 2-thread tables above "
      "show the effect at each size.\n")

    w("## Compile times per definition\n")
    w("`actjit bench build-bench/bench/activations.act NAME --json --precision fast` (the standard library with "
      "tanh as a definition; without `--precision` for the "
      "default precision): forward + backward, f32, medians of 5 cold compiles (no cache), 5 disk-cache hits (in a "
      "process whose JIT is already started: the first kernel of a process also pays about a millisecond to start "
      "LLVM's JIT), 15 memory-cache hits.\n")
    w("Then, for the fast kernels' bodies: vector instructions per element (`actjit asm`, the whole "
      "`_packed` function over its lanes), and llvm-mca-19's model of the loop body (its largest basic block) "
      "for this CPU: cycles per element and the resource that binds it. These bound an in-cache kernel.\n")
    w("| definition | cold ms (fast, tiered) | disk hit ms | memory hit µs | cold ms (accurate, tiered) | "
      "instructions / element, forward | backward | model cycles / element, forward | backward |")
    w("|---|---:|---:|---:|---:|---:|---:|---|---|")
    for name, r in compile_fast.items():
        acc = compile_accurate.get(name)
        w(f"| {name} | {r['compile_cold_ms']:.2f} | {r['compile_disk_hit_ms']:.3f} | {r['compile_memory_hit_us']:.2f} | "
          f"{acc['compile_cold_ms']:.2f} | " if acc else
          f"| {name} | {r['compile_cold_ms']:.2f} | {r['compile_disk_hit_ms']:.3f} | {r['compile_memory_hit_us']:.2f} | – | ")
        out[-1] += f"{r['instructions']['forward']:.2f} | {r['instructions']['backward']:.2f} |"
        for d in ["forward", "backward"]:
            cycles, bound = r["mca"][d]
            out[-1] += f" {cycles:.2f} ({bound}) |" if cycles is not None else " – |"
    with open(args.out, "w") as f:
        f.write("\n".join(out) + "\n")


GOAL_NOTES = open(os.path.join(os.path.dirname(__file__), "goal_notes.md")).read()

if __name__ == "__main__":
    main()
