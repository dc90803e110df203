"""`evcode agree`: per-field agreement, kappa and alpha on known edits of real ACLED rows."""

from __future__ import annotations

import json
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from coding.agree import AGREE_FIELDS, NO_EVENT, agree
from coding.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def coding_a(shared_data: Path, codebook) -> pd.DataFrame:  # noqa: ANN001
    """40 real ACLED rows in the canonical shape, one passage each (p00 ... p39)."""
    from coding.sources import acled
    from coding.validate import validate_file

    res = validate_file(shared_data / "acled" / "acled_2022_sample_dev.csv", "acled", codebook=codebook)
    v = res.valid.iloc[:40].reset_index(drop=True)
    out = acled.to_canonical(v, codebook)
    out["passage_id"] = [f"p{i:02d}" for i in range(len(out))]
    out["actor1_code"] = "ACT"
    return out


def coding_b(a: pd.DataFrame, codebook) -> pd.DataFrame:  # noqa: ANN001
    """B: passages p00-p03 without an event; p04-p09 another event_type; p10-p11 +2 fatalities."""
    b = a.copy()
    types = sorted(codebook.table("acled/event_types")["event_type"].unique())
    for i in range(4, 10):
        b.loc[i, "event_type"] = next(t for t in types if t != a.loc[i, "event_type"])
    b.loc[10:11, "fatalities"] = b.loc[10:11, "fatalities"] + 2
    return b.drop(index=range(0, 4)).reset_index(drop=True)


def test_known_agreement(coding_a: pd.DataFrame, codebook) -> None:  # noqa: ANN001
    b = coding_b(coding_a, codebook)
    res = agree(coding_a, b, codebook=codebook)
    assert res.key == "passage_id" and len(res.units) == 40
    f = res.fields.set_index("field")
    assert list(f.index) == list(AGREE_FIELDS)
    assert f.loc["event", "n"] == 40 and f.loc["event", "agreement"] == pytest.approx(36 / 40)
    assert f.loc["event_type", "n"] == 36 and f.loc["event_type", "agreement"] == pytest.approx(30 / 36)
    assert f.loc["sub_event_type", "agreement"] == 1.0 and f.loc["admin1", "agreement"] == 1.0
    assert f.loc["fatalities", "agreement"] == pytest.approx(34 / 36)
    assert f.loc["cameo_root", "n"] == 0 and pd.isna(f.loc["cameo_root", "agreement"])
    assert pd.isna(f.loc["actor1_code", "alpha"])  # one value everywhere: alpha is undefined
    assert 0 < f.loc["event_type", "kappa"] < 1
    # alpha is krippendorff's, over all units with the missing ones as NaN
    codes = {t: i for i, t in enumerate(sorted(set(coding_a["event_type"]) | set(b["event_type"])))}
    data = np.full((2, 40), np.nan)
    data[0] = coding_a["event_type"].map(codes).to_numpy()
    data[1, 4:] = b["event_type"].map(codes).to_numpy()
    assert f.loc["event_type", "alpha"] == pytest.approx(krippendorff.alpha(reliability_data=data,
                                                                            level_of_measurement="nominal"))
    conf = res.confusion
    assert int(conf.to_numpy().sum()) == 40
    assert NO_EVENT in conf.columns and int(conf[NO_EVENT].sum()) == 4
    assert int(np.trace(conf.reindex(columns=conf.index, fill_value=0).to_numpy())) == 30


def test_identical_codings_agree_fully(coding_a: pd.DataFrame, codebook) -> None:  # noqa: ANN001
    res = agree(coding_a, coding_a.copy(), codebook=codebook)
    f = res.fields.set_index("field")
    for name in ("event_type", "sub_event_type", "admin1", "fatalities"):
        assert f.loc[name, "agreement"] == 1.0 and f.loc[name, "kappa"] == 1.0
        assert f.loc[name, "alpha"] == pytest.approx(1.0)


def test_primary_event_is_the_first_of_the_passage(codebook) -> None:  # noqa: ANN001
    a = pd.DataFrame({"event_id": ["e1", "e2"], "passage_id": ["p", "p"], "sentence_index": [1, 0],
                      "cameo_code": ["190", "141"], "event_type": ["Battles", "Protests"]})
    b = pd.DataFrame({"event_id": ["f1"], "passage_id": ["p"], "sentence_index": [0],
                      "cameo_code": ["141"], "event_type": ["Protests"]})
    f = agree(a, b, codebook=codebook).fields.set_index("field")
    assert f.loc["cameo_root", "agreement"] == 1.0 and f.loc["event_type", "agreement"] == 1.0


def test_cli_on_acled_files(shared_data: Path, codebook, tmp_path: Path) -> None:  # noqa: ANN001
    from coding.validate import validate_file

    res = validate_file(shared_data / "acled" / "acled_2022_sample_dev.csv", "acled", codebook=codebook)
    a = res.valid.iloc[:40].reset_index(drop=True)
    b = a.copy()
    b.loc[10:11, "fatalities"] = (b.loc[10:11, "fatalities"].astype(int) + 2).astype(str)
    b = b.drop(index=range(0, 4))
    fa, fb = tmp_path / "coder1.csv", tmp_path / "coder2.csv"
    a.to_csv(fa, index=False)
    b.to_csv(fb, index=False)
    units = tmp_path / "units.csv"
    r = runner.invoke(app, ["agree", str(fa), str(fb), "-o", str(units), "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["units"] == 40 and doc["key"] == "id"
    assert doc["fields"]["event"]["agreement"] == pytest.approx(0.9)
    assert doc["fields"]["fatalities"]["agreement"] == pytest.approx(34 / 36)
    assert doc["fields"]["event_type"]["kappa"] == 1.0
    assert doc["confusion"]["field"] == "event_type"
    assert len(pd.read_csv(units)) == 40
    r = runner.invoke(app, ["agree", str(fa), str(fb), "--confusion", "sub_event_type"])
    assert r.exit_code == 0, r.output
    assert "agreement" in r.stdout and "Confusion of sub_event_type" in r.stdout and "fatalities" in r.stdout
    r = runner.invoke(app, ["agree", str(fa), str(fb), "--confusion", "colour"])
    assert r.exit_code == 2 and "--confusion must be one of" in r.output
    r = runner.invoke(app, ["agree", str(fa), str(fb), "--key", "nope"])
    assert r.exit_code == 2 and "no column 'nope'" in r.output
