"""The installed package finds its codebook and SQL (CI installs it non-editable from a wheel)."""

from __future__ import annotations

import coding
from coding.resources import codebook_dir, sql_dir


def test_codebook_and_sql_are_found():
    cb = codebook_dir()
    assert (cb / "codebook.yaml").is_file()
    assert (cb / "cameo" / "event_codes.csv").is_file()
    assert any(p.suffix == ".yaml" for p in (cb / "rules").iterdir())
    assert len(list(sql_dir().glob("*.sql"))) >= 9


def test_version_is_set():
    assert coding.__version__.count(".") == 2


def test_py_typed_ships():
    from importlib import resources

    assert (resources.files("coding") / "py.typed").is_file()


def test_compiled_coder_codes_like_the_source(tmp_path):
    """The mypyc build (pip install .) must code exactly what the Python source codes: the example
    passage, and every rule example of the codebook as one passage each."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    from coding.codebook import load_codebook

    if not coding.compiled():
        pytest.skip("the installed coder runs from source (editable install or EVCODE_PURE_PYTHON)")
    repo = Path(__file__).resolve().parents[1]
    if not (repo / "coding" / "coder.py").is_file():
        pytest.skip("no source checkout beside the tests")
    examples = tmp_path / "examples.jsonl"
    with examples.open("w", encoding="utf-8") as fh:
        for rule in load_codebook().rules:
            for k, ex in enumerate(rule.get("examples") or []):
                text = ex.get("text") if isinstance(ex, dict) else str(ex)
                fh.write(json.dumps({"id": f"{rule['id']}#{k}", "text": text, "date": "2021-05-04"}) + "\n")

    def run(pythonpath: str | None, src: Path, *args: str) -> list[str]:
        env = dict(os.environ, EVCODE_CACHE=str(tmp_path / "cache"))
        env.pop("PYTHONPATH", None)
        if pythonpath:
            env["PYTHONPATH"] = pythonpath
        code = ("import sys, coding; from coding.cli import main; "
                "sys.argv = ['evcode', 'code', *sys.argv[1:], '--format', 'jsonl', '--workers', '1', '--quiet']; "
                "print('compiled' if coding.compiled() else 'source', flush=True); main()")
        out = subprocess.run([sys.executable, "-c", code, str(src), *args], env=env, cwd=tmp_path,
                             capture_output=True, text=True, check=True).stdout
        return out.splitlines()

    for src, args in ((repo / "examples" / "daily_report.txt", ("--date", "2016-12-07")), (examples, ())):
        built, source = run(None, src, *args), run(str(repo), src, *args)
        assert built[0] == "compiled" and source[0] == "source"
        assert len(built) > 5  # several events
        assert built[1:] == source[1:]
