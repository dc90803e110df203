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


def cold_and_cached() -> tuple[float, float]:
    """Codebook load + compile in a fresh process: without a cache, then with it."""
    code = ("import time; t=time.perf_counter(); from coding.coder import get_coder; get_coder(); "
            "print(time.perf_counter()-t)")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "EVCODE_CACHE": cache}
        # run outside the checkout: `-c` puts the working directory first on sys.path, and the
        # source tree there would shadow an installed (compiled) build
        cold = float(subprocess.check_output([sys.executable, "-c", code], env=env, cwd=cache).decode().strip().splitlines()[-1])
        cached = float(subprocess.check_output([sys.executable, "-c", code], env=env, cwd=cache).decode().strip().splitlines()[-1])
    return cold, cached


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=50_000)
    args = ap.parse_args()
    from coding.coder import get_coder
    from coding.record import Passage

    cold, cached = cold_and_cached()
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
    print(f"{build}; codebook load+compile: cold {cold:.2f} s, cached {cached:.2f} s")
    print(f"coded {n} sentences ({words / n:.1f} words each) in {dt:.2f} s on one core: "
          f"{n / dt:,.0f} sentences/s, {events} events")
    print(f"peak RSS {rss1 / 1024:.0f} MiB (before coding {rss0 / 1024:.0f} MiB)")
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
