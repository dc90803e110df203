"""evcode's own output passes evcode's own `events` schema (the coder and the validator agree)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from coding.cli import app
from coding.validate import validate_file

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    "Syrian troops shelled rebel positions near Hama on Monday.",
    "Gunmen killed a trader in Maiduguri on Tuesday.",
    "Hundreds of teachers marched in Nairobi to demand higher pay; police fired tear gas.",
    "Russian warplanes struck a market in Idlib, killing nine civilians.",
    "Rebels took control of a village near Beni. No clashes were reported.",
    "The two governments signed a trade agreement in Brussels.",
    "Israeli soldiers shot a Palestinian near Hebron.",
]


def test_coded_events_pass_the_events_schema(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,text,date\n" + "".join(f'{i},"{s}",2022-05-04\n' for i, s in enumerate(SENTENCES)),
                   encoding="utf-8")
    out = tmp_path / "events.csv"
    runner = CliRunner()
    assert runner.invoke(app, ["code", str(src), "-o", str(out), "--quiet"]).exit_code == 0
    assert runner.invoke(app, ["code", str(ROOT / "examples" / "daily_report.txt"), "--date", "2016-12-07",
                               "-o", str(tmp_path / "example.csv"), "--quiet"]).exit_code == 0
    for f in (out, tmp_path / "example.csv"):
        res = validate_file(f, "events")
        assert len(res.rejects) == 0, res.report.head(10).to_string()
        assert len(res.valid) >= 6
