"""The language check on input passages: non-English passages are skipped and counted, never lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from coding.cli import app
from coding.io import ReadStats, read_passages
from coding.language import looks_english

runner = CliRunner()
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

# our own sentences, in the languages news archives mix in
NOT_ENGLISH = [
    "Les rebelles ont attaqué une position de l'armée près de la ville hier soir et ont tué trois soldats.",
    "Die Polizei hat am Montag in der Hauptstadt drei Demonstranten festgenommen.",
    "Los manifestantes bloquearon la carretera principal durante varias horas para exigir agua potable.",
    "Повстанцы атаковали армейский пост у города.",
    "قصف الجيش مواقع المتمردين قرب المدينة",
    "叛军昨晚袭击了城外的军营。",
]
ENGLISH = [
    "Rebels attacked an army post near the town on Monday, killing three soldiers.",
    "Army shells rebel positions near Hama",  # a headline: no function words
    "Protesters block main road",
    "Gunmen kill village chief",
    "Clashes in Kyiv (Київ) left two dead.",
    "OK",
]


@pytest.mark.parametrize("text", NOT_ENGLISH)
def test_other_languages_are_not_english(text: str) -> None:
    assert not looks_english(text)


@pytest.mark.parametrize("text", ENGLISH)
def test_english_passages_and_headlines_pass(text: str) -> None:
    assert looks_english(text)


REPORT = [
    "Rebels attacked an army post near the town on Monday, killing three soldiers.",
    "The governor said that the curfew would stay in force.",
    "Police fired tear gas at students who were marching to the ministry.",
    "Two aid workers were abducted on the road from the airport.",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(REPORT), min_size=1, max_size=5), st.sampled_from(NOT_ENGLISH),
       st.integers(min_value=0, max_value=5))
def test_an_english_report_quoting_another_language_is_english(sentences: list[str], quote: str, at: int) -> None:
    # an English report stays English wherever it quotes a sentence in another language
    at = min(at, len(sentences))
    assert looks_english(" ".join(sentences[:at] + [f'He said: "{quote}"'] + sentences[at:]))


def test_skips_are_counted_with_the_first_row(tmp_path: Path) -> None:
    src = tmp_path / "mixed.csv"
    src.write_text("id,text\n1,Rebels attacked the army near the town.\n"
                   f"2,{NOT_ENGLISH[0]}\n3,\"{NOT_ENGLISH[1]}\"\n", encoding="utf-8")
    stats = ReadStats()
    assert [p.id for p in read_passages(src, stats=stats)] == ["1"]
    assert stats.read == 1 and sum(stats.skipped.values()) == 2
    assert "not English text" in stats.summary() and f"{src} row 2" in stats.summary()
    assert [p.id for p in read_passages(src, any_language=True)] == ["1", "2", "3"]


def test_cli_reports_skips_and_codes_them_with_any_language(tmp_path: Path) -> None:
    src = tmp_path / "mixed.csv"
    src.write_text(f"id,text\n1,Rebels attacked the army near the town.\n2,{NOT_ENGLISH[3]}\n", encoding="utf-8")
    out = tmp_path / "events.csv"
    res = runner.invoke(app, ["code", str(src), "-o", str(out), "--date", "2024-01-02"])
    assert res.exit_code == 0, res.output
    assert "1 passage(s) read; 1 skipped: not English text" in res.output
    assert "--any-language" in res.output
    res = runner.invoke(app, ["code", str(src), "-o", str(out), "--date", "2024-01-02", "--any-language"])
    assert res.exit_code == 0 and "2 passage(s) read" in res.output and "skipped" not in res.output


@pytest.mark.skipif(not (SHARED / "acled").is_dir(), reason="../shared/data is not here (reference data)")
def test_no_english_news_is_skipped() -> None:
    # real notes and news sentences we did not write: a skipped English passage would be lost
    import csv

    texts = []
    for name in ("acled_2022_sample_dev.csv", "acled_2022_argentina.csv"):
        with (SHARED / "acled" / name).open(encoding="utf-8") as fh:
            texts += [r["notes"] for r in csv.DictReader(fh) if r["notes"].strip()]
    news = SHARED / "conflibert" / "cameo_pentaclass_train.tsv"
    texts += [ln.split("\t")[0] for ln in news.read_text(encoding="utf-8").splitlines() if ln.strip()]
    skipped = [t[:80] for t in texts if not looks_english(t)]
    assert len(texts) > 7000
    assert skipped == []
