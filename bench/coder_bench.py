"""Coder benchmark: sentences/s end to end from raw text on one core, codebook cold/cached load, memory.

Input: passages made of the codebook's own example sentences (written by us), shuffled
deterministically, ~8 sentences per passage. Run from the repository root:

    python bench/coder_bench.py [--sentences 50000]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def sentences_from_codebook() -> list[str]:
    from coding.codebook import load_codebook

    out = []
    for rule in load_codebook().rules:
        for ex in rule.get("examples") or []:
            text = ex.get("text") if isinstance(ex, dict) else str(ex)
            if text:
                out.append(text.strip())
    return out


def cold_and_cached(runs: int = 1) -> tuple[float, float]:
    """Codebook load + compile in a fresh process without a cache (cold), then with it (cached):
    the fastest of `runs` each (a fresh cache folder for every cold run); all figures go to LOADS."""
    # wall time until the coder is ready; then, untimed, wait for the forked child that writes the
    # cache (so that the cached run finds it) and add up the CPU of the process and its children
    # (the tables are validated in a forked child while the parent compiles)
    code = ("import time, resource; t=time.perf_counter(); from coding.coder import get_coder, wait_for_cache; "
            "get_coder(); dt=time.perf_counter()-t; wait_for_cache(); "
            "cpu=sum(getattr(resource.getrusage(w), a) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) "
            "for a in ('ru_utime', 'ru_stime')); print(dt, cpu)")
    LOADS.clear()
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "EVCODE_CACHE": cache}
            # run outside the checkout: `-c` puts the working directory first on sys.path, and the
            # source tree there would shadow an installed (compiled) build
            for kind in ("cold", "cached"):
                text = subprocess.check_output([sys.executable, "-c", code], env=env, cwd=cache).decode()
                wall, cpu = map(float, text.strip().splitlines()[-1].split())
                LOADS.append((kind, wall, cpu))
    return (min(w for k, w, _ in LOADS if k == "cold"), min(w for k, w, _ in LOADS if k == "cached"))


LOADS: list[tuple[str, float, float]] = []  # (cold | cached, wall s, CPU s of the process and its children)


def describe_loads() -> str:
    parts = []
    for kind in ("cold", "cached"):
        runs = [(w, c) for k, w, c in LOADS if k == kind]
        parts.append(f"{kind} " + ", ".join(f"{w:.2f} s ({c:.2f} s CPU)" for w, c in runs))
    return "; ".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=50_000)
    ap.add_argument("--load-runs", type=int, default=3, help="fresh processes timing the cold and cached load")
    args = ap.parse_args()
    from coding.coder import get_coder
    from coding.record import Passage

    cold, cached = cold_and_cached(args.load_runs)
    base = sentences_from_codebook()
    rng = random.Random(7)
    coder = get_coder()
    n = args.sentences
    pool = [rng.choice(base) for _ in range(n)]
    passages = [Passage(f"p{i}", " ".join(pool[i : i + 8]), "2021-05-01") for i in range(0, n, 8)]
    words = sum(len(s.split()) for s in pool)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    events = 0
    for p in passages:
        events += len(coder.code_passage(p))
    dt = time.perf_counter() - t
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    import coding

    build = "mypyc-compiled coder" if coding.compiled() else "coder from source (pure Python)"
    print(f"{build}; codebook load+compile: cold {cold:.2f} s, cached {cached:.2f} s (fastest of {args.load_runs})")
    print(f"  every load: {describe_loads()}")
    print(f"coded {n} sentences ({words / n:.1f} words each) in {dt:.2f} s on one core: "
          f"{n / dt:,.0f} sentences/s, {events} events")
    print(f"peak RSS {rss1 / 1024:.0f} MiB (before coding {rss0 / 1024:.0f} MiB)")
    # the same sentences as one long passage: the cost per sentence stays the same (linear time)
    long_n = min(n, 20_000)
    t = time.perf_counter()
    coder.code_passage(Passage("long", " ".join(pool[:long_n]), "2021-05-01"))
    print(f"one passage of {long_n} sentences: {long_n / (time.perf_counter() - t):,.0f} sentences/s")
    news = Path(__file__).resolve().parents[1].parent / "shared/data/conflibert/cameo_pentaclass_train.tsv"
    if news.is_file():
        # real news sentences we did not write (longer than our examples): read, never copied
        from coding.text import split_sentences

        rows = [ln.split("\t")[0] for ln in news.read_text(encoding="utf-8").splitlines() if ln.strip()]
        real = [Passage(f"n{i}", " ".join(rows[i : i + 8]), "2021-05-01") for i in range(0, len(rows), 8)]
        count = sum(len(split_sentences(p.text)) for p in real)
        words = sum(len(r.split()) for r in rows) / max(1, len(rows))
        best = 0.0
        for _ in range(3):
            t = time.perf_counter()
            for p in real:
                coder.code_passage(p)
            best = max(best, count / (time.perf_counter() - t))
        print(f"news sentences ({news.name}, {count} sentences, {words:.0f} words each): {best:,.0f} sentences/s")


if __name__ == "__main__":
    main()
