#!/usr/bin/env python3
"""Measures flor against tantivy-cli 0.24.0, ripgrep and a bare tantivy baseline on one corpus
built by make_corpus.py, alternating the tools, and writes OUT/results.json and OUT/report.md.

    python3 bench/measure.py --out bench/.work/1x --flor target/release/flor \\
        --baseline PATH --tantivy bench/.tools/bin/tantivy --runs 3

bench/run.sh builds everything and calls this for each corpus size.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

# (name, flor search arguments, tantivy-cli query, ripgrep arguments, flor bench arguments)
QUERIES = [
    ("rare word", ["serendipity"], "serendipity", ["serendipity"], ["serendipity"]),
    ("common word", ["time"], "time", ["time"], ["time"]),
    ("love AND money", ["love AND money"], "love AND money", ["love.*money|money.*love"],
     ["love AND money"]),
    ('"united states"', ['"united states"'], '"united states"', [r"united\s+states"],
     ['"united states"']),
    ("quote filter", ["love", "--kind", "quote"], "kind:quote AND love", ["love", "{fortunes}"],
     ["--kind", "quote", "love"]),
]


def timed(command, **kwargs):
    """Runs command under GNU time: (seconds, peak RSS in MB, completed process)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        started = time.monotonic()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name, *command],
                              capture_output=True, text=True, **kwargs)
        seconds = time.monotonic() - started
        lines = [l for l in out.read().splitlines() if l.strip().isdigit()]
    rss_mb = int(lines[-1]) / 1024 if lines else float("nan")
    return seconds, rss_mb, done


def du(path, skip=()):
    total = 0
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if d not in skip]
        total += sum(os.path.getsize(os.path.join(folder, f)) for f in files)
    return total


def ingest(args, stats, work):
    """Alternates flor ingest, tantivy index -t 2 and the baseline, --runs rounds."""
    text_mb = stats["text_bytes"]["total"] / 1e6
    jsonl = args.out / "tantivy.jsonl"
    empty = work / "no-corpus-config"
    empty.mkdir(exist_ok=True)
    tools = {
        "flor ingest": lambda: [str(args.flor), "ingest", "--rebuild", "--index",
                                str(work / "flor-index"), "--corpus", str(empty),
                                *args.flor_ingest_args,
                                str(args.out / "fortunes"), str(args.out / "brown")],
        "tantivy index -t 2": None,
        "bare tantivy baseline": lambda: [str(args.baseline), str(jsonl),
                                          str(work / "baseline-index"), str(args.memory)],
    }
    seconds = {name: [] for name in tools}
    rss = {name: [] for name in tools}
    for round_ in range(args.runs):
        for name, command in tools.items():
            if name == "tantivy index -t 2":
                # `tantivy new` (untimed) then the timed `tantivy index`, in tantivy_index.sh.
                done = subprocess.run([str(BENCH / "tantivy_index.sh"), str(args.out), "2"],
                                      capture_output=True, text=True,
                                      env={**os.environ, "TANTIVY": str(args.tantivy)})
                if done.returncode != 0:
                    sys.exit(f"measure: tantivy_index.sh failed:\n{done.stderr}")
                took, peak = (args.out / "tantivy-time.txt").read_text().split()
                took, peak = float(took), int(peak) / 1024
            else:
                if name == "flor ingest":
                    shutil.rmtree(work / "flor-index", ignore_errors=True)
                took, peak, done = timed(command())
                if done.returncode not in (0, 1):
                    sys.exit(f"measure: {name} failed ({done.returncode}):\n{done.stderr[-3000:]}")
            seconds[name].append(took)
            rss[name].append(peak)
            print(f"  round {round_ + 1}: {name}: {took:.2f} s, {text_mb / took:.1f} MB/s, "
                  f"{peak:.0f} MB peak RSS", flush=True)
    sizes = {
        "flor ingest": du(work / "flor-index", skip={".flor-cache"}),
        "flor parse cache": du(work / "flor-index" / ".flor-cache"),
        "tantivy index -t 2": du(args.out / "tantivy-index"),
        "bare tantivy baseline": du(work / "baseline-index"),
    }
    rows = {}
    for name in tools:
        median = statistics.median(seconds[name])
        rows[name] = {"seconds": seconds[name], "median_s": median,
                      "mb_per_s": text_mb / median, "peak_rss_mb": max(rss[name]),
                      "index_mb": sizes[name] / 1e6}
    rows["flor ingest"]["parse_cache_mb"] = sizes["flor parse cache"] / 1e6
    return rows


def hyperfine(commands, names, runs, warmup):
    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        # At least 5 runs, and as many more as fit in 3 s, up to `runs`.
        argv = ["hyperfine", "-N", "--style", "none", "--warmup", str(warmup), "--min-runs", "5",
                "--max-runs", str(runs),
                "--export-json", out.name]
        for name, command in zip(names, commands):
            argv += ["--command-name", name, command]
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        results = json.load(open(out.name))["results"]
    return {r["command"]: {"median_ms": r["median"] * 1000, "mean_ms": r["mean"] * 1000,
                           "stddev_ms": (r["stddev"] or 0) * 1000} for r in results}


def quote(arg):
    return "'" + arg.replace("'", "'\\''") + "'"


def searches(args, work):
    """Whole-process time of each query for flor, tantivy search and rg -c -i, via hyperfine."""
    index = work / "flor-index"
    dirs = [str(args.out / "fortunes"), str(args.out / "brown")]
    rows = {}
    for name, flor_args, tantivy_query, rg_args, _ in QUERIES:
        rg = [a.replace("{fortunes}", str(args.out / "fortunes")) for a in rg_args]
        if len(rg) == 1:
            rg += dirs
        commands = [
            " ".join([str(args.flor), "search", *map(quote, flor_args), "--limit", "10",
                      "--index", str(index), "--color", "never"]),
            " ".join([str(args.tantivy), "search", "-i", str(args.out / "tantivy-index"),
                      "-q", quote(tantivy_query)]),
            " ".join(["rg", "-c", "-i", *map(quote, rg)]),
        ]
        # hyperfine -N splits on spaces itself but honours quotes.
        rows[name] = hyperfine(commands, ["flor search --limit 10", "tantivy search", "rg -c -i"],
                               args.query_runs, 3)
        counts = {}
        for tool, command in (("tantivy search", commands[1]), ("rg -c -i", commands[2])):
            out = subprocess.run(["bash", "-c", command], capture_output=True, text=True).stdout
            counts[tool] = (len(out.splitlines()) if tool == "tantivy search"
                            else sum(int(l.rsplit(":", 1)[-1]) for l in out.splitlines() if l))
        flor_count = subprocess.run([str(args.flor), "search", *flor_args, "--count", "--limit", "1",
                                     "--index", str(index), "--color", "never"],
                                    capture_output=True, text=True)
        counts["flor search --limit 10"] = flor_count.stderr.strip().split(" of ")[-1].split(" ")[0] \
            if " of " in flor_count.stderr else "?"
        rows[name]["matches"] = counts
        print(f"  {name}: " + ", ".join(f"{tool} {r['median_ms']:.1f} ms" for tool, r in rows[name].items()
                                        if tool != "matches"), flush=True)
    return rows


def in_process(args, work):
    index = str(work / "flor-index")
    rows = {}
    for name, _, _, _, bench_args in QUERIES:
        done = subprocess.run([str(args.flor), "bench", "--json", "--runs", str(args.bench_runs),
                               "--index", index, *bench_args], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"measure: flor bench failed:\n{done.stderr}")
        rows[name] = json.loads(done.stdout.splitlines()[-1])
        print(f"  {name}: p50 {rows[name]['p50_ms']:.3f} ms, p99 {rows[name]['p99_ms']:.3f} ms",
              flush=True)
    return rows


def cold_start(args, work):
    """flor search on the index of the shipped corpus: process start to exit."""
    tiny = work / "tiny-index"
    shutil.rmtree(tiny, ignore_errors=True)
    subprocess.run([str(args.flor), "ingest", "--index", str(tiny), "--corpus", str(ROOT / "corpus"),
                    str(ROOT / "corpus")], check=True, capture_output=True)
    command = f"{args.flor} search invasion --index {tiny} --color never"
    return hyperfine([command], ["flor search (tiny index)"], 50, 5)["flor search (tiny index)"]


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), platform.processor())
    mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo")
                if l.startswith("MemTotal")), 0)
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mb": mem,
            "kernel": platform.release(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def report(results):
    s, ing, q, ip = results["stats"], results["ingest"], results["search"], results["in_process"]
    lines = [f"### {s['text_mb']} MB of text ({s['records']['quote']:,} quotes, "
             f"{s['records']['passage']:,} passages, {sum(s['files'].values())} files)", "",
             "| ingest | MB/s | median s | peak RSS MB | index MB |", "|---|---:|---:|---:|---:|"]
    for name, r in ing.items():
        extra = f" (+{r['parse_cache_mb']:.0f} parse cache)" if "parse_cache_mb" in r else ""
        lines.append(f"| {name} | {r['mb_per_s']:.1f} | {r['median_s']:.2f} | "
                     f"{r['peak_rss_mb']:.0f} | {r['index_mb']:.0f}{extra} |")
    lines += ["", "| query (whole process, median ms) | flor search --limit 10 | tantivy search | "
              "rg -c -i | matches (flor / tantivy / rg lines) |", "|---|---:|---:|---:|---|"]
    for name, r in q.items():
        m = r["matches"]
        lines.append(f"| {name} | {r['flor search --limit 10']['median_ms']:.1f} | "
                     f"{r['tantivy search']['median_ms']:.1f} | {r['rg -c -i']['median_ms']:.1f} | "
                     f"{m['flor search --limit 10']} / {m['tantivy search']} / {m['rg -c -i']} |")
    lines += ["", "| query (in process, `flor bench`) | p50 ms | p99 ms | hits |", "|---|---:|---:|---:|"]
    for name, r in ip.items():
        lines.append(f"| {name} | {r['p50_ms']:.3f} | {r['p99_ms']:.3f} | {r['hits']} |")
    c = results["cold_start"]
    lines += ["", f"Cold start, `flor search invasion` on the shipped corpus: "
                  f"{c['median_ms']:.1f} ms median (± {c['stddev_ms']:.1f})."]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="a corpus from make_corpus.py")
    parser.add_argument("--flor", type=Path, required=True)
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--tantivy", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3, help="ingest rounds")
    parser.add_argument("--query-runs", type=int, default=20)
    parser.add_argument("--bench-runs", type=int, default=1000)
    parser.add_argument("--memory", type=int, default=512, help="MB, for flor and the baseline")
    parser.add_argument("--flor-ingest-arg", dest="flor_ingest_args", action="append", default=[])
    args = parser.parse_args()
    args.flor_ingest_args = ["--memory", str(args.memory), *args.flor_ingest_args]
    stats = json.loads((args.out / "stats.json").read_text())
    work = args.out / "run"
    work.mkdir(exist_ok=True)
    print(f"{args.out}: {stats['text_mb']} MB of text", flush=True)
    results = {"machine": machine(), "stats": stats}
    print("ingest", flush=True)
    results["ingest"] = ingest(args, stats, work)
    print("search, whole process", flush=True)
    results["search"] = searches(args, work)
    print("search, in process", flush=True)
    results["in_process"] = in_process(args, work)
    results["cold_start"] = cold_start(args, work)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "report.md").write_text(report(results))
    print(report(results))


if __name__ == "__main__":
    main()
