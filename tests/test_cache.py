"""The compiled coder's disk cache: written once (in the background), reused, never trusted blindly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

# our own sentences: a clash and a protest, in a made-up town
TEXT = ("Soldiers clashed with rebels near Zorbat on Monday, killing four fighters. "
        "Hundreds of teachers protested outside the ministry to demand unpaid wages.")

CODE = """
import json, sys
from coding.coder import code_text, get_coder, wait_for_cache
get_coder()
compiled = 'yaml' in sys.modules  # the rules were read: compiled anew, not loaded from the cache
started_pandas = 'pandas' in sys.modules  # neither load needs pandas (the forked validation does)
events = code_text({text!r}, date='2021-05-03')
if {wait}:
    wait_for_cache()
print(json.dumps({{'compiled': compiled, 'pandas': started_pandas, 'events': events}}))
"""


def run(cache: Path, wait: bool) -> dict:
    env = dict(os.environ, EVCODE_CACHE=str(cache))
    out = subprocess.run([sys.executable, "-c", CODE.format(text=TEXT, wait=wait)], env=env, cwd=cache,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_cold_start_writes_the_cache_and_the_next_start_loads_it(tmp_path: Path) -> None:
    cold = run(tmp_path, wait=True)
    assert cold["compiled"] and len(cold["events"]) >= 2
    # compiling reads the tables with pyarrow alone; pandas (for pandera) loads in the forked
    # validation only, or in line where there is no fork
    assert not cold["pandas"] or os.environ.get("EVCODE_NO_FORK") or not sys.platform.startswith("linux")
    files = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("coder-"))
    assert len(files) == 1 and files[0].endswith(".pickle")  # no temporary file left behind
    warm = run(tmp_path, wait=False)
    assert not warm["compiled"] and not warm["pandas"]
    assert warm["events"] == cold["events"]


def test_cache_is_written_even_when_the_process_exits_at_once(tmp_path: Path) -> None:
    run(tmp_path, wait=False)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("coder-*.pickle")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(tmp_path.glob("coder-*.pickle"))


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path) -> None:
    first = run(tmp_path, wait=True)
    (path,) = tmp_path.glob("coder-*.pickle")
    path.write_bytes(b"not a pickle")
    again = run(tmp_path, wait=True)
    assert again["compiled"]  # compiled anew
    assert again["events"] == first["events"]
    assert path.read_bytes() != b"not a pickle"
