"""Driver of benches/speed.sh (see there). Prints one block per tree."""
import argparse, glob, json, math, os, shutil, statistics, subprocess, sys, tempfile, time

# ripgrep's side of the comparison: every SDK, package and credential name lockin's rules
# start from, searched case-insensitively over the whole tree.
RG_PATTERN = ("openai|anthropic|genai|generativeai|vertexai|cohere|bedrock|mistralai|groq|together|"
              "fireworks|perplexity|deepseek|replicate|openrouter|ai21|xai_sdk|langchain|llama_index|"
              "litellm|instructor|haystack|semantic_kernel|@ai-sdk|OPENAI_API_KEY|ANTHROPIC_API_KEY")


def run(cmd, rss=False):
    """Wall time in seconds, and peak RSS in KiB and CPU seconds (user + system) when asked,
    of one run; output discarded. On a shared machine CPU time is the steadier figure."""
    out = tempfile.NamedTemporaryFile(delete=False)
    out.close()
    full = ["/usr/bin/time", "-f", "%M %U %S", "-o", out.name] + cmd if rss else cmd
    start = time.perf_counter()
    subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    kib = cpu = None
    if rss:
        with open(out.name) as f:
            fields = f.read().strip().splitlines()[-1].split()
        kib, cpu = int(fields[0]), float(fields[1]) + float(fields[2])
    os.unlink(out.name)
    return wall, kib, cpu


def interleaved(cmds, runs):
    """Runs each command once per round, rounds in turn; medians, and the peak RSS seen."""
    times = {name: [] for name in cmds}
    cpus = {name: [] for name in cmds}
    peak = {name: 0 for name in cmds}
    for name, cmd in cmds.items():  # warm-up: the page cache, not the timer
        run(cmd)
    for _ in range(runs):
        for name, cmd in cmds.items():
            wall, kib, cpu = run(cmd, rss=True)
            times[name].append(wall)
            cpus[name].append(cpu)
            peak[name] = max(peak[name], kib or 0)
    med = {name: statistics.median(t) for name, t in times.items()}
    return med, {name: statistics.median(c) for name, c in cpus.items()}, peak


def stages(lockin, dirs):
    """stats of one JSON scan: files per prefilter stage, generated files, findings."""
    out = subprocess.run([lockin, "scan", *dirs, "--format", "json", "--quiet"], capture_output=True, text=True)
    report = json.loads(out.stdout)
    return report["stats"], len(report["findings"])


def describe(label, lockin, dirs, other_name, other_cmd, args):
    scan = [lockin, "scan", *dirs, "--format", "json", "--quiet", "-o", "/dev/null"]
    cmds = {"lockin": scan, other_name: other_cmd}
    if args.baseline:
        cmds["baseline"] = [args.baseline, "scan", *dirs, "--format", "json", "--quiet", "-o", "/dev/null"]
    load = os.getloadavg()[0]
    med, cpu, peak = interleaved(cmds, args.runs)
    load = max(load, os.getloadavg()[0])
    stats, findings = stages(lockin, dirs)
    pf = stats.get("prefilter", {})
    print(f"== {label}: {' '.join(dirs)} ({args.runs} interleaved rounds, load average up to {load:.1f})")
    print(f"   files {stats['files_scanned']}, bytes {stats['bytes_scanned']}, findings {findings}, "
          f"generated skipped {stats.get('files_generated', 0)}")
    if pf:
        print(f"   prefilter: {pf.get('files', 0)} source files; stage 1 (literals) passed {pf.get('literal', 0)}, "
              f"stage 2 (context) passed {pf.get('context', 0)}, exports pass {pf.get('exports', 0)}")
    for name in cmds:
        print(f"   {name:9} median {med[name] * 1000:8.1f} ms   CPU {cpu[name] * 1000:8.1f} ms   "
              f"peak RSS {peak[name] / 1024:6.1f} MiB")
    print(f"   ratio lockin/{other_name} = {med['lockin'] / med[other_name]:.2f}x wall, "
          f"{cpu['lockin'] / cpu[other_name]:.2f}x CPU")
    if args.baseline:
        print(f"   ratio lockin/baseline = {med['lockin'] / med['baseline']:.2f}x wall, "
              f"{cpu['lockin'] / cpu['baseline']:.2f}x CPU")
    sys.stdout.flush()


def fit(points):
    """The exponent b of t ~ k^b, least squares over (k, t) points."""
    xs = [math.log(k) for k, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def growth(lockin, tree, runs, copies=(1, 2, 4, 8)):
    """Median scan time (wall and CPU) and peak RSS of tree copied k times (hard links, else
    a copy); the exponents b of time ~ k^b. CPU time is the figure to quote on a shared
    machine: wall time also measures the other processes."""
    points = []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        for k in copies:
            root = os.path.join(tmp, f"x{k}")
            os.makedirs(root)
            for i in range(k):
                dest = os.path.join(root, f"copy{i}")
                try:
                    subprocess.run(["cp", "-al", tree, dest], check=True, stderr=subprocess.DEVNULL)
                except subprocess.CalledProcessError:
                    shutil.copytree(tree, dest, symlinks=True)
            cmd = [lockin, "scan", root, "--format", "json", "--quiet", "-o", "/dev/null"]
            if k == copies[0]:
                run(cmd)  # warm-up: the copies are hard links, one page cache for all
            walls, cpus, peaks = [], [], []
            for _ in range(runs):
                wall, kib, cpu = run(cmd, rss=True)
                walls.append(wall)
                cpus.append(cpu)
                peaks.append(kib)
            points.append((k, statistics.median(walls), statistics.median(cpus), max(peaks)))
            shutil.rmtree(root)
    load = max(load, os.getloadavg()[0])
    print(f"== growth: {tree} (load average up to {load:.1f})")
    for k, wall, cpu, kib in points:
        print(f"   {k}x  median {wall * 1000:8.1f} ms   CPU {cpu * 1000:8.1f} ms   peak RSS {kib / 1024:6.1f} MiB")
    b_wall = fit([(k, w) for k, w, _, _ in points])
    b_cpu = fit([(k, c) for k, _, c, _ in points])
    print(f"   growth exponent {b_cpu:.3f} CPU, {b_wall:.3f} wall (1.00 is linear)")
    sys.stdout.flush()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lockin", required=True)
    p.add_argument("--sgconfig", required=True)
    p.add_argument("--baseline")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--sparse", action="append", default=[])
    p.add_argument("--heavy", action="append", default=[])
    p.add_argument("--growth", help="a tree to copy 1x, 2x, 4x, 8x")
    p.add_argument("--copies", default="1,2,4,8", help="the copies --growth makes (1,2,4,8)")
    p.add_argument("--corpus", default=os.environ.get("CORPUS", "../lockin-corpus"))
    args = p.parse_args()
    if not args.sparse and not args.heavy and not args.growth:
        args.sparse = sorted(glob.glob(os.path.join(args.corpus, "sparse", "*")))
        args.heavy = sorted(glob.glob(os.path.join(args.corpus, "heavy", "*")))
    for tool, needed in (("rg", args.sparse), ("ast-grep", args.heavy)):
        if needed and not shutil.which(tool):
            sys.exit(f"speed.sh: {tool} not found (see the header of benches/speed.sh)")
    if args.sparse:
        rg = ["rg", "-c", "-i", "-e", RG_PATTERN, *args.sparse]
        describe("AI-sparse", args.lockin, args.sparse, "ripgrep", rg, args)
    for tree in args.heavy:
        sg = ["ast-grep", "scan", "-c", args.sgconfig, "--json=compact", tree]
        describe("AI-heavy", args.lockin, [tree], "ast-grep", sg, args)
    if args.growth:
        copies = tuple(int(k) for k in args.copies.split(","))
        growth(args.lockin, args.growth, max(1, args.runs // 2), copies)


if __name__ == "__main__":
    main()
