"""`evcode code` and `evcode evaluate` from the command line: inputs, outputs, and bad input."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from typer.testing import CliRunner

from coding.cli import app

runner = CliRunner()
SENT = "Syrian troops shelled rebel positions near Hama on Monday."


def run(args, input=None):
    return runner.invoke(app, args, input=input)


def test_txt_to_csv(tmp_path):
    f = tmp_path / "report.txt"
    f.write_text(SENT, encoding="utf-8")
    res = run(["code", str(f), "--date", "2021-03-10", "--quiet"])
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0].startswith("event_id,")
    assert "report-000-000" in lines[1]
    assert ",194," in lines[1]


def test_stdin_jsonl():
    res = run(["code", "-", "--format", "jsonl", "--quiet"], input=SENT)
    assert res.exit_code == 0
    ev = json.loads(res.stdout.splitlines()[0])
    assert ev["passage_id"] == "stdin" and ev["cameo_code"] == "194"


def test_directory_and_summary(tmp_path):
    (tmp_path / "a.txt").write_text(SENT, encoding="utf-8")
    (tmp_path / "b.txt").write_text("   ", encoding="utf-8")
    res = run(["code", str(tmp_path)])
    assert res.exit_code == 0
    assert "1 passage(s) read; 1 skipped: empty passage" in res.stderr


def test_table_with_columns_and_parquet_output(tmp_path):
    src = tmp_path / "in.csv"
    pd.DataFrame({"doc": ["x1", "x2"], "body": [SENT, "Nothing happened here."],
                  "published": ["2021-03-10", "2021-03-11"]}).to_csv(src, index=False)
    out = tmp_path / "out.parquet"
    res = run(["code", str(src), "--id-column", "doc", "--text-column", "body", "--date-column", "published",
               "--format", "parquet", "-o", str(out), "--quiet"])
    assert res.exit_code == 0, res.output
    df = pd.read_parquet(out)
    assert list(df.passage_id) == ["x1"]
    assert df.cameo_code.iloc[0] == "194"
    assert df.event_date.iloc[0] == "2021-03-08"


def test_workers_give_the_same_rows(tmp_path):
    src = tmp_path / "in.jsonl"
    with src.open("w") as fh:
        for i in range(30):
            fh.write(json.dumps({"id": f"p{i}", "text": SENT if i % 2 else "Rebels attacked an army checkpoint in Idlib.",
                                 "date": "2021-03-10"}) + "\n")
    one = run(["code", str(src), "--quiet"]).stdout
    two = run(["code", str(src), "--workers", "2", "--quiet"]).stdout
    assert one == two and one.count("\n") > 30


def test_missing_file_is_one_line():
    res = run(["code", "no/such/file.txt"])
    assert res.exit_code == 1
    assert res.stderr.strip() == "Error: no/such/file.txt: no such file or directory; check the path"


def test_missing_text_column(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,body\n1,hello\n", encoding="utf-8")
    res = run(["code", str(src)])
    assert res.exit_code == 1
    assert "no text column 'text' (columns: id, body); pass --text-column NAME" in res.stderr
    assert "Traceback" not in res.output


def test_an_error_before_the_first_event_leaves_no_output(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,body\n1,hello\n", encoding="utf-8")
    out = tmp_path / "events.csv"
    res = run(["code", str(src), "-o", str(out)])
    assert res.exit_code == 1 and "no text column" in res.stderr
    assert list(tmp_path.iterdir()) == [src]  # no header-only file, no partial file
    res = run(["code", str(src)])
    assert res.stdout == ""  # no CSV header in front of the error either
    bad = tmp_path / "layer" / "rules"
    bad.mkdir(parents=True)
    (bad / "mine.yaml").write_text("rules:\n  - id: x\n", encoding="utf-8")
    res = run(["code", "-", "--codebook", str(tmp_path / "layer")], input=SENT)
    assert res.exit_code == 1 and res.stdout == "" and "mine.yaml" in res.stderr


def test_an_error_half_way_removes_the_partial_file(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(f"id,text,date\n1,{SENT},2021-03-10\n2,{SENT},2021-99-10\n", encoding="utf-8")
    out = tmp_path / "events.csv"
    res = run(["code", str(src), "-o", str(out), "--workers", "1"])
    assert res.exit_code == 1 and "row 2: malformed date" in res.stderr
    assert list(tmp_path.iterdir()) == [src]
    src.write_text(f"id,text,date\n1,{SENT},2021-03-10\n", encoding="utf-8")
    assert run(["code", str(src), "-o", str(out), "--quiet"]).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv", "in.csv"]
    assert ",194," in out.read_text(encoding="utf-8")


def test_output_folder_must_exist(tmp_path):
    res = run(["code", "-", "-o", str(tmp_path / "no" / "events.csv")], input=SENT)
    assert res.exit_code == 1 and "does not exist; create it first" in res.stderr
    res = run(["code", "-", "-o", str(tmp_path)], input=SENT)  # a folder is no output file
    assert res.exit_code == 1 and "is a folder; pass a file name for -o" in res.stderr
    assert list(tmp_path.parent.glob(f".{tmp_path.name}.partial")) == []


def test_wrong_encoding(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("Les manifestants ont défilé à Paris.".encode("latin-1"))
    res = run(["code", str(f)])
    assert res.exit_code == 1
    assert "not UTF-8 text" in res.stderr and "iconv" in res.stderr


def test_malformed_date_names_the_row(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(f"id,text,date\n1,{SENT},2021-13-45\n", encoding="utf-8")
    res = run(["code", str(src)])
    assert res.exit_code == 1
    assert "row 1: malformed date '2021-13-45'; use YYYY-MM-DD" in res.stderr


def test_a_date_option_after_today_is_usage_error():
    # a report is not published in the future, and its events would fail validation
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    res = run(["code", "-", "--date", tomorrow], input=SENT)
    assert res.exit_code == 2
    assert f"--date {tomorrow} is after today; give the date the passages were published" in res.stderr


def test_bad_date_option_is_usage_error():
    res = run(["code", "-", "--date", "yesterday"], input=SENT)
    assert res.exit_code == 2
    assert "--date 'yesterday' is not a date; use YYYY-MM-DD" in res.stderr


def test_bad_country_is_usage_error():
    res = run(["code", "-", "--country", "Syria"], input=SENT)
    assert res.exit_code == 2
    assert "is not an ISO3 code" in res.stderr


def test_non_english_and_huge_passages_do_not_crash(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text((SENT + " ") * 20_000, encoding="utf-8")  # ~1.2 MB
    res = run(["code", str(big), "--primary", "--quiet"])
    assert res.exit_code == 0 and res.stdout.count("\n") == 2
    res = run(["code", "-", "--quiet"], input="Это предложение на русском языке без событий.")
    assert res.exit_code == 0 and res.stdout.count("\n") == 1  # header only


def test_evaluate_reports_scores(tmp_path):
    src = tmp_path / "gold.csv"
    pd.DataFrame({"id": ["a", "b"], "text": [SENT, "Rebels attacked an army checkpoint in Idlib."],
                  "gold": ["Shelling/artillery/missile attack", "Armed clash"]}).to_csv(src, index=False)
    res = run(["evaluate", str(src), "--label-column", "gold", "--field", "sub_event_type", "--confusion"])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("sub_event_type: n=2 accuracy=")
    assert "Shelling/artillery/missile attack" in res.stdout


def test_evaluate_missing_label_column(tmp_path):
    src = tmp_path / "gold.csv"
    src.write_text(f"id,text\n1,{SENT}\n", encoding="utf-8")
    res = run(["evaluate", str(src), "--label-column", "gold"])
    assert res.exit_code == 1
    assert "no label column 'gold'; pass --label-column NAME" in res.stderr


def test_table_format_for_people():
    res = run(["code", "-", "--format", "table", "--quiet", "--date", "2021-03-10"], input=SENT)
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["event_id", "event_date", "cameo_code", "sub_event_type", "actor1_text",
                                "actor2_text", "admin1", "location", "fatalities", "rule_id"]
    assert "Shelling/artillery/missile attack" in lines[1] and "Syrian troops" in lines[1]


def test_a_bug_is_one_line_and_exit_70_not_a_traceback(tmp_path, monkeypatch):
    import coding.coder

    def broken(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(coding.coder, "code_stream", broken)
    monkeypatch.delenv("EVCODE_DEBUG", raising=False)
    f = tmp_path / "report.txt"
    f.write_text(SENT, encoding="utf-8")
    res = run(["code", str(f), "--date", "2021-03-10"])
    assert res.exit_code == 70
    assert "Traceback" not in res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Internal error: RuntimeError: simulated failure")


def test_output_onto_the_input_is_refused(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,text\nq1,Soldiers shot two farmers near Tarnville.\n", encoding="utf-8")
    before = src.read_bytes()
    res = runner.invoke(app, ["code", str(src), "-o", str(src)])
    assert res.exit_code == 2
    assert f"-o {src} is the input file; write the output elsewhere" in res.stderr
    assert src.read_bytes() == before


def test_country_the_codebook_lacks_is_usage_error():
    res = run(["code", "-", "--country", "XYZ"], input=SENT)
    assert res.exit_code == 2
    assert "--country 'XYZ' is not a country of the codebook" in res.stderr
    assert res.stdout == ""
    res = run(["code", "-", "--country", "syr", "--quiet", "-f", "jsonl"], input=SENT)
    assert res.exit_code == 0 and json.loads(res.stdout.splitlines()[0])["country"] == "Syria"


def test_named_id_or_date_column_must_exist(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(f"doc,text,published\nq7,{SENT},2021-03-10\n", encoding="utf-8")
    for opt in ("--id-column", "--date-column"):
        res = run(["code", str(src), opt, "nope"])
        assert res.exit_code == 1, res.output
        assert res.stderr.strip() == (f"Error: {src}: no column 'nope' for {opt} (columns: doc, text, published); "
                                      f"pass {opt} NAME")
        assert res.stdout == ""
    # the default names stay optional: no `id`/`date` column is no error
    res = run(["code", str(src), "--quiet", "-f", "jsonl"])
    assert res.exit_code == 0, res.output
    ev = json.loads(res.stdout.splitlines()[0])
    assert ev["passage_id"] == "row1" and ev["event_date"] == ""
    res = run(["code", str(src), "--quiet", "-f", "jsonl", "--id-column", "doc", "--date-column", "published"])
    ev = json.loads(res.stdout.splitlines()[0])
    assert ev["passage_id"] == "q7" and ev["event_date"] == "2021-03-08"


def test_csv_cell_over_128_kb_is_read(tmp_path):
    src = tmp_path / "big.csv"
    body = (SENT + " ") * 5_200  # ~300 KB in one quoted cell
    assert len(body) > 300_000
    pd.DataFrame({"id": ["big1"], "text": [body]}).to_csv(src, index=False)
    res = run(["code", str(src), "--primary"])
    assert res.exit_code == 0, res.output
    assert "big1-000-000" in res.stdout and "1 passage(s) read" in res.stderr
    tsv = tmp_path / "big.tsv"
    tsv.write_text(f"id\ttext\nbig2\t{body}\n", encoding="utf-8")
    res = run(["code", str(tsv), "--primary", "--quiet"])
    assert res.exit_code == 0, res.output
    assert "big2-000-000" in res.stdout


def test_repeated_column_name_is_refused(tmp_path):
    src = tmp_path / "dup.csv"
    src.write_text(f"id,text,text,date\nd1,Nothing happened here.,{SENT},2021-03-10\n", encoding="utf-8")
    res = run(["code", str(src)])
    assert res.exit_code == 1
    assert res.stderr.strip() == f"Error: {src}: column 'text' appears twice in the header; rename or remove one of them"
    assert res.stdout == ""


def test_duplicate_passage_id_stops_naming_both_rows(tmp_path):
    src = tmp_path / "dup.csv"
    src.write_text(f"id,text\nk1,{SENT}\nk2,{SENT}\nk1,{SENT}\n", encoding="utf-8")
    out = tmp_path / "events.csv"
    res = run(["code", str(src), "-o", str(out)])
    assert res.exit_code == 1
    assert res.stderr.strip() == (f"Error: {src}: passage id 'k1' appears twice (rows 1 and 3); "
                                  "give every passage its own id")
    assert not out.exists()


def test_row_without_id_gets_row_n_not_a_bare_number(tmp_path):
    src = tmp_path / "ids.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "2", "text": SENT}, {"id": "", "text": SENT}, {"text": SENT}]), encoding="utf-8")
    res = run(["code", str(src), "-f", "jsonl", "--quiet"])
    assert res.exit_code == 0, res.output
    assert [json.loads(x)["event_id"] for x in res.stdout.splitlines()] == ["2-000-000", "row2-000-000", "row3-000-000"]
    # an empty id that would become a real row's id is a duplicate, not a silent merge
    src.write_text("".join(json.dumps(r) + "\n" for r in [{"id": "row2", "text": SENT}, {"id": "", "text": SENT}]),
                   encoding="utf-8")
    res = run(["code", str(src)])
    assert res.exit_code == 1 and "passage id 'row2' appears twice (rows 1 and 2)" in res.stderr


def _gold(tmp_path, rows):
    src = tmp_path / "gold.csv"
    pd.DataFrame(rows, columns=["id", "text", "gold"]).to_csv(src, index=False)
    return src


def test_evaluate_duplicate_ids_name_both_rows(tmp_path):
    src = _gold(tmp_path, [["a", SENT, "Shelling/artillery/missile attack"], ["b", SENT, "Armed clash"],
                           ["a", SENT, "Armed clash"]])
    res = run(["evaluate", str(src), "--label-column", "gold"])
    assert res.exit_code == 1
    assert res.stderr.strip() == (f"Error: {src}: passage id 'a' appears twice (rows 1 and 3); "
                                  "give every passage its own id")
    assert res.stdout == ""


def test_evaluate_unknown_field_lists_the_valid_ones(tmp_path):
    src = _gold(tmp_path, [["a", SENT, "Shelling/artillery/missile attack"]])
    res = run(["evaluate", str(src), "--label-column", "gold", "--field", "sub_event"])
    assert res.exit_code == 2
    line = res.stderr.strip()
    assert line.startswith("Error: --field 'sub_event' is not an event field; did you mean sub_event_type? "
                           "choose one of penta, ")
    assert "sub_event_type" in line and "admin1" in line and "fatalities" in line and "\n" not in line
    assert res.stdout == ""


def test_evaluate_says_which_rows_were_left_out(tmp_path):
    src = _gold(tmp_path, [["a", SENT, "Shelling/artillery/missile attack"], ["b", "  ", "Armed clash"]])
    res = run(["evaluate", str(src), "--label-column", "gold"])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("sub_event_type: n=1 accuracy=1.000")
    assert res.stderr.strip() == f"1 row(s) left out of n: 1 empty passage (first: {src} row 2)"
    res = run(["evaluate", str(src), "--label-column", "gold", "--quiet"])
    assert res.exit_code == 0 and res.stderr == ""


def test_jsonl_text_that_is_an_object_or_array_names_the_row(tmp_path):
    src = tmp_path / "obj.jsonl"
    for bad, kind in (({"en": SENT}, "object"), ([SENT], "array")):
        src.write_text(json.dumps({"id": "o1", "text": SENT}) + "\n" + json.dumps({"id": "o2", "text": bad}) + "\n",
                       encoding="utf-8")
        res = run(["code", str(src), "-o", str(tmp_path / "ev.csv")])
        assert res.exit_code == 1
        assert res.stderr.strip() == (f"Error: {src} row 2: the 'text' value is a JSON {kind}, not text; "
                                      "give the passage text as a string")
        assert not (tmp_path / "ev.csv").exists()


def test_stdin_that_is_not_utf8_is_refused_as_a_file_is():
    res = run(["code", "-"], input=SENT.replace("Syrian", "Syrian caf\xe9").encode("latin-1"))
    assert res.exit_code == 1
    assert res.stderr.strip() == "Error: stdin: not UTF-8 text (byte 10); convert it, e.g. `iconv -f latin1 -t utf-8`"
    assert res.stdout == ""
    res = run(["code", "-", "--quiet", "-f", "jsonl"], input=SENT.replace("Syrian", "Syrian caf\xe9").encode("utf-8"))
    assert res.exit_code == 0 and json.loads(res.stdout.splitlines()[0])["passage_id"] == "stdin"
