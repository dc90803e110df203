"""The codebook's inflection table (lexicon/inflections.csv) and `evcode codebook inflect`."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from coding.cli import app
from coding.coder import code_stream, get_coder
from coding.inflections import COLUMNS, Inflection, Inflections, generate, write_table
from coding.record import Passage

runner = CliRunner()


def codes(text: str, layer: Path) -> list[str]:
    return [e["cameo_code"] for e in code_stream([Passage("p", text, "2024-01-02")], codebooks=[layer])]


def test_shipped_table_covers_every_word_the_codebook_needs() -> None:
    # otherwise every cold load would start lemminflect for the words it lacks
    assert get_coder().missing_inflections == []


def test_cold_load_does_not_start_lemminflect(tmp_path: Path) -> None:
    code = "import sys; from coding.coder import get_coder; get_coder(); print('lemminflect' in sys.modules)"
    env = {"EVCODE_CACHE": str(tmp_path), "PATH": ""}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_table_row_is_used_as_written() -> None:
    table = pd.DataFrame([["shell", "shelled|shellz", "shelled", "shells"]], columns=list(COLUMNS))
    inf = Inflections(table)
    assert inf.forms("shell") == ("shelled", "shellz")
    assert inf.participles("shell") == ("shelled",)
    assert inf.plurals("shell") == ("shells",)
    assert inf.missing == {}


def test_word_without_row_comes_from_lemminflect_and_is_recorded() -> None:
    inf = Inflections()
    assert {"shelled", "shelling", "shells"} <= set(inf.forms("shell"))
    assert inf.participles("seize") == ("seized",)
    assert inf.plurals("farmer") == ("farmers",)
    assert list(inf.missing) == ["shell", "seize", "farmer"]


def test_a_word_lemminflect_lacks_gets_regular_noun_and_verb_forms() -> None:
    assert {"firebombs", "firebombed", "firebombing"} <= set(generate("firebomb").forms)
    assert {"airstrikes"} <= set(generate("airstrike").forms)


def test_write_table_adds_missing_rows_and_keeps_edited_ones(tmp_path: Path) -> None:
    path = tmp_path / "lexicon" / "inflections.csv"
    path.parent.mkdir()
    path.write_text("word,forms,participles,plurals\nshell,shellz,,\n", encoding="utf-8")
    inf = Inflections(pd.read_csv(path, dtype=str, keep_default_na=False))
    inf.forms("seize")
    assert write_table(path, inf) == 1
    back = Inflections(pd.read_csv(path, dtype=str, keep_default_na=False))
    assert back.rows["shell"] == Inflection(("shellz",), (), ())  # the hand edit survives
    assert back.rows["seize"] == generate("seize")
    assert write_table(path, back) == 0


_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-'", min_size=1, max_size=12).filter(lambda w: w.strip("-'"))


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(_word, st.tuples(*[st.lists(_word, max_size=3, unique=True).map(tuple)] * 3), max_size=8))
def test_table_round_trips(tmp_path_factory, entries: dict[str, tuple[tuple[str, ...], ...]]) -> None:
    path = tmp_path_factory.mktemp("infl") / "inflections.csv"
    inf = Inflections()
    inf.missing = {w: Inflection(*v) for w, v in entries.items()}
    write_table(path, inf)
    if not entries:
        assert not path.exists()
        return
    back = Inflections(pd.read_csv(path, dtype=str, keep_default_na=False, engine="pyarrow"))
    assert back.rows == inf.missing


def test_layer_with_a_new_verb_lint_inflect_and_a_hand_fix(tmp_path: Path) -> None:
    layer = tmp_path / "layer"
    (layer / "rules").mkdir(parents=True)
    (layer / "rules" / "extra.yaml").write_text(textwrap.dedent("""
        - id: extra.defenestrate
          cameo: "182"
          patterns: ["{S} defenestrate {T}"]
          examples: [{text: "Rebels defenestrate two officials in Aleppo."}]
    """), encoding="utf-8")
    lint = runner.invoke(app, ["codebook", "lint", "--codebook", str(layer), "--check", "missing_inflection"])
    assert lint.exit_code == 1
    assert "defenestrate: missing_inflection" in lint.output
    # the coder works before the table has the row: lemminflect fills in
    text = "Rebels defenestrate two officials in Aleppo."
    assert codes(text, layer) == ["182"]

    done = runner.invoke(app, ["codebook", "inflect", "--codebook", str(layer)])
    assert done.exit_code == 0 and "1 word(s) added" in done.output
    table = layer / "lexicon" / "inflections.csv"
    assert table.read_text(encoding="utf-8").splitlines()[1].startswith("defenestrate,")
    again = runner.invoke(app, ["codebook", "lint", "--codebook", str(layer), "--check", "missing_inflection"])
    assert again.exit_code == 0, again.output

    # lemminflect does not know the verb: it gets regular verb forms, so the past tense codes too
    past = "Rebels defenestrated two officials in Aleppo."
    assert codes(past, layer) == ["182"]
    # the table is what the coder reads: a row edited by hand wins over lemminflect
    table.write_text("word,forms,participles,plurals\n"
                     "defenestrate,defenestrates|defenestrating,,\n", encoding="utf-8")
    assert codes(past, layer) == []
    assert codes(text, layer) == ["182"]
