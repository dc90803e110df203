"""Benchmark `evcode validate` on a large ACLED-format file made by resampling the dev sample.

    python bench/validate_bench.py                # 1,000,000 rows
    python bench/validate_bench.py --rows 200000  # quicker
    taskset -c 0 python bench/validate_bench.py   # pin to one core

Writes the generated file to a temporary folder (never into the repo) and prints: the time to
read it with plain `pandas.read_csv(dtype=str)`, the time `validate_file` takes end to end
(read + every check + valid/rejects split), the checks alone, and the ratio to reading.
The dev file's misspelled disorder type ("Demostrations") stays in, so ~55% of rows fail:
the report and the rejects frame are exercised at full size.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DEV = Path(os.environ.get("EVCODE_SHARED_DATA", ROOT.parent / "shared" / "data")) / "acled" / "acled_2022_sample_dev.csv"


def make_file(rows: int, folder: Path, seed: int = 1) -> Path:
    """Resample the dev file to `rows` rows with fresh unique event ids."""
    src = pd.read_csv(DEV, dtype=str, keep_default_na=False)
    rng = np.random.default_rng(seed)
    df = src.iloc[rng.integers(0, len(src), rows)].reset_index(drop=True)
    df["event_id_cnty"] = df["event_id_cnty"].str.extract(r"^([A-Z]+)", expand=False) + \
        pd.RangeIndex(rows).astype(str).str.zfill(7)
    path = folder / f"acled_{rows}.csv"
    df.to_csv(path, index=False)
    return path


CPU: dict[str, float] = {}


def timed(fn, label: str = ""):  # noqa: ANN001, ANN201
    """Wall time (and, under `label`, the CPU time of this process: what one core did)."""
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    CPU[label] = time.process_time() - c
    return time.perf_counter() - t, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--keep", action="store_true", help="keep the generated file (prints its path)")
    args = ap.parse_args()
    try:  # one core: pyarrow-backed string columns would otherwise use a thread pool
        import pyarrow

        pyarrow.set_cpu_count(1)
        pyarrow.set_io_thread_count(1)
    except ImportError:
        pass

    from coding.codebook import load_codebook
    from coding.schemas import get_schema
    from coding.validate import check_frame, validate_file

    folder = Path(tempfile.mkdtemp(prefix="validate-bench-"))
    t_make, path = timed(lambda: make_file(args.rows, folder))
    size = path.stat().st_size / 1e6
    cb = load_codebook()
    t_read, frame = timed(lambda: pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False),
                            "read")
    t_checks, failures = timed(lambda: check_frame(frame, get_schema("acled", cb, list(frame.columns)),
                                                   "event_id_cnty"), "checks")
    frame = None  # free the table before the whole-file run
    t_total, result = timed(lambda: validate_file(path, "acled", codebook=cb), "total")
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}, "
          f"pandas {pd.__version__}")
    print(f"file: {args.rows:,} rows, {size:,.0f} MB (made in {t_make:.1f} s)")
    print("                                  wall     cpu")
    print(f"pandas.read_csv(dtype=str):       {t_read:6.2f}  {CPU['read']:6.2f} s")
    print(f"checks only (check_frame):        {t_checks:6.2f}  {CPU['checks']:6.2f} s  ({len(failures):,} failures)")
    print(f"validate_file (read+check+split): {t_total:6.2f}  {CPU['total']:6.2f} s  "
          f"-> {args.rows / CPU['total']:,.0f} rows/s (cpu), {CPU['total'] / CPU['read']:.2f}x read_csv (cpu), "
          f"{t_total / t_read:.2f}x (wall)")
    print(f"valid {len(result.valid):,}, rejected {len(result.rejects):,}")
    if args.keep:
        print(f"kept {path}")
    else:
        path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
