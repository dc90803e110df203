"""The README is honest: generated from docs/, documents every command, and its examples run."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from coding.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
runner = CliRunner()


def _commands():
    group = typer.main.get_command(app)
    for name, cmd in group.commands.items():
        subs = getattr(cmd, "commands", None)
        if subs:
            for sub_name, sub in subs.items():
                yield f"{name} {sub_name}", sub
        else:
            yield name, cmd


def test_readme_is_built_from_docs():
    spec = importlib.util.spec_from_file_location("build_readme", ROOT / "docs" / "build_readme.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.build() == README, "README.md is stale: run `python docs/build_readme.py`"


def test_every_command_has_help_and_a_readme_entry():
    names = list(_commands())
    assert len(names) >= 8
    for name, cmd in names:
        assert (cmd.help or "").strip(), f"`evcode {name}` has no help text"
        assert f"evcode {name}" in README, f"`evcode {name}` is not documented in README.md"


def test_quick_start_has_exactly_two_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    assert blocks == [
        "pip install . && evcode code examples/daily_report.txt --date 2016-12-07\n",
        "pip install '.[test]' && pytest -n 2\n",
    ]


def test_quick_start_codes_the_example(tmp_path):
    out = tmp_path / "events.csv"
    res = runner.invoke(app, ["code", str(ROOT / "examples" / "daily_report.txt"), "--date", "2016-12-07",
                              "-o", str(out), "--quiet"])
    assert res.exit_code == 0, res.output
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("event_id,passage_id,sentence_index")
    assert len(rows) >= 6
    assert any("Air/drone strike" in r for r in rows)


def test_version_names_package_and_codebook():
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0
    assert re.match(r"evcode \d+\.\d+\.\d+ \(codebook evcode-core \S+\)", res.output)


def test_python_api_example_runs_and_says_what_the_readme_says():
    section = README.split("## Python API", 1)[1].split("\n## ", 1)[0]
    code = re.findall(r"```python\n(.*?)```", section, re.S)[0]
    expected = re.findall(r"^# (\(.*\))$", code, re.M)[0]
    ns: dict = {}
    lines = code.splitlines()
    exec("\n".join(lines[:-2]), ns)  # everything up to the shown expression
    shown = eval(lines[-2], ns)
    assert repr(shown) == expected
