"""Scale benchmark: `evcode code` end to end on one core and on N workers, and its peak memory.

Input: a JSONL file of synthetic passages (id, text, date) made of the codebook's own example
sentences (written by us; ~8 sentences per passage), generated in a temporary folder to the size
asked for and deleted afterwards. Every figure is the whole command (Python start, imports,
cached coder, reading, coding, writing CSV to /dev/null), measured from outside.

Peak memory is sampled every 0.2 s over the process tree (the command and its workers): RSS
summed over processes counts the compiled coder once per worker although forked workers share
its pages, so PSS (each shared page split between the processes sharing it) is shown too.

    python bench/scale_bench.py --sentences 40000 --workers 1,2
    python bench/scale_bench.py --mb 100 --workers 2 --no-load     # memory on a 100 MB input
    python bench/scale_bench.py --mb 1000 --workers 2 --no-load --report-every 60   # 1 GB, with progress
    python bench/scale_bench.py --profile 20000                    # where one core's time goes
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from coder_bench import cold_and_cached, sentences_from_codebook

PER_PASSAGE = 8


def write_input(path: Path, *, sentences: int | None = None, mb: float | None = None) -> tuple[int, int]:
    """Write passages until `sentences` sentences or `mb` megabytes; returns (sentences, bytes)."""
    base = sentences_from_codebook()
    rng = random.Random(7)
    limit_bytes = int(mb * 1_000_000) if mb else None
    n = size = i = 0
    with path.open("w", encoding="utf-8") as fh:
        while (sentences is None or n < sentences) and (limit_bytes is None or size < limit_bytes):
            text = " ".join(rng.choice(base) for _ in range(PER_PASSAGE))
            line = json.dumps({"id": f"p{i}", "text": text, "date": f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}"}) + "\n"
            fh.write(line)
            size += len(line.encode())
            n += PER_PASSAGE
            i += 1
    return n, size


def tree_memory(pid: int) -> tuple[int, int]:
    """(RSS summed, PSS summed) in bytes over `pid` and its children, now."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0
    rss = pss = 0
    for p in procs:
        try:
            info = p.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return rss, pss


def input_position(pid: int, src: Path) -> int:
    """How far the command has read its input (the file offset, from /proc on Linux), or -1."""
    import psutil

    try:
        for f in psutil.Process(pid).open_files():
            if Path(f.path) == src:
                return int(getattr(f, "position", -1))
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        pass
    return -1


def run_cli(src: Path, workers: int, report_every: float = 0) -> dict[str, float]:
    """`evcode code SRC --workers N -o /dev/null`: wall and CPU seconds, peak tree RSS/PSS.

    CPU time is user + system of the command and its workers (they are waited for, so their
    times roll up): on a machine shared with other jobs it, not wall time, says what coding costs.
    """
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cmd = [sys.executable, "-c", "from coding.cli import main; main()", "code", str(src), "--workers", str(workers),
           "-o", os.devnull, "--quiet"]
    t = time.perf_counter()
    # from the data's folder: `-c` puts the working directory first on sys.path, and a source
    # checkout there would shadow the installed (compiled) build
    proc = subprocess.Popen(cmd, cwd=src.parent)
    peak_rss = peak_pss = 0
    last = t
    while proc.poll() is None:
        rss, pss = tree_memory(proc.pid)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        if report_every and time.perf_counter() - last >= report_every:
            last = time.perf_counter()
            pos = input_position(proc.pid, src)
            print(f"  {last - t:,.0f} s: input read up to {pos / 1e6:,.0f} MB; peak so far RSS "
                  f"{peak_rss / 2**20:,.0f} MiB, PSS {peak_pss / 2**20:,.0f} MiB; now PSS {pss / 2**20:,.0f} MiB",
                  flush=True)
        time.sleep(0.2)
    wall = time.perf_counter() - t
    if proc.returncode:
        raise SystemExit(f"evcode code failed with exit code {proc.returncode}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "rss": peak_rss / 2**20, "pss": peak_pss / 2**20}


def profile(n: int) -> None:
    """pyinstrument over `code_stream` on one core (warm coder), the tree printed to stdout."""
    from pyinstrument import Profiler

    from coding.coder import code_stream, get_coder
    from coding.record import Passage

    base = sentences_from_codebook()
    rng = random.Random(7)
    pool = [rng.choice(base) for _ in range(n)]
    passages = [Passage(f"p{i}", " ".join(pool[i:i + PER_PASSAGE]), "2021-05-01") for i in range(0, n, PER_PASSAGE)]
    get_coder()
    prof = Profiler(interval=0.0005)
    prof.start()
    events = sum(1 for _ in code_stream(passages, workers=1))
    prof.stop()
    print(f"{n} sentences, {events} events")
    print(prof.output_text(unicode=False, color=False, show_all=False, short_mode=False))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentences", type=int, default=40_000, help="input size in sentences")
    ap.add_argument("--mb", type=float, default=None, help="input size in MB instead (for the memory figure)")
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts to run")
    ap.add_argument("--no-load", action="store_true", help="skip the cold/cached codebook load figures")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="profile coding N sentences and exit")
    ap.add_argument("--report-every", type=float, default=0, metavar="S",
                    help="print progress (input read, peak memory so far) every S seconds")
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated input at this path")
    args = ap.parse_args()
    if args.profile:
        profile(args.profile)
        return
    if not args.no_load:
        cold, cached = cold_and_cached()
        print(f"codebook load + compile: cold {cold:.2f} s, cached {cached:.2f} s")
    tmp = Path(tempfile.mkdtemp(prefix="evcode-scale-"))
    try:
        src = tmp / "passages.jsonl"
        t = time.perf_counter()
        n, size = write_input(src, sentences=None if args.mb else args.sentences, mb=args.mb)
        print(f"input: {n:,} sentences, {n // PER_PASSAGE:,} passages, {size / 1e6:,.1f} MB "
              f"(generated in {time.perf_counter() - t:.1f} s)", flush=True)
        base = None
        for w in [int(x) for x in args.workers.split(",")]:
            load = os.getloadavg()[0]
            r = run_cli(src, w, args.report_every)
            rate = n / r["wall"]
            base = base or (r if w == 1 else None)
            speedup = (f", {base['wall'] / r['wall']:.2f}x one worker's wall time, "
                       f"{r['cpu'] / base['cpu']:.2f}x its CPU time") if base and w > 1 else ""
            print(f"--workers {w}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU: {rate:,.0f} sentences/s "
                  f"({n / r['cpu']:,.0f} per CPU second){speedup}; peak memory of the process tree: "
                  f"RSS {r['rss']:,.0f} MiB, PSS {r['pss']:,.0f} MiB; load average before {load:.1f}")
        if args.keep:
            shutil.copy(src, args.keep)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
