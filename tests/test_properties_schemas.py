"""Properties of the schemas: generated rows pass, single-cell mutations fail by name, nothing lost."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coding.validate import validate_file, validate_frame, write_frame
from strategies import MUTATIONS, frames

SCHEMAS = ("events", "acled", "icews", "gdelt1", "gdelt2")
# Each example validates a frame of up to 8 rows (~0.1 s); fewer examples keep the file fast.
# HYPOTHESIS_PROFILE=dev raises the count for a longer local run.
FAST = settings(max_examples=min(settings.default.max_examples, 25))


@pytest.mark.parametrize("schema", SCHEMAS)
@FAST
@given(data=st.data())
def test_generated_rows_validate(schema: str, data: st.DataObject) -> None:
    df = data.draw(frames(schema))
    result = validate_frame(df, schema)
    assert result.failures.empty, result.failures.to_string()
    assert len(result.valid) == len(df)


@pytest.mark.parametrize("schema", SCHEMAS)
@FAST
@given(data=st.data())
def test_single_cell_mutation_is_rejected_by_name(schema: str, data: st.DataObject) -> None:
    # Each row gets at most one mutation, so one validation checks several single-cell changes.
    df = data.draw(frames(schema, min_size=2))
    plan = data.draw(st.lists(st.none() | st.sampled_from(MUTATIONS[schema]),
                              min_size=len(df), max_size=len(df)), label="mutations")
    for pos, mutation in enumerate(plan):
        if mutation is not None:
            df.loc[pos, mutation.column] = mutation.apply(df.loc[pos].to_dict())
    result = validate_frame(df, schema)
    for pos, mutation in enumerate(plan):
        failed = result.failures[result.failures["row"] == pos + 1]
        if mutation is None:
            assert failed.empty, failed.to_string()
            continue
        assert set(failed["check"]) & set(mutation.checks), (mutation, failed.to_string())
        blamed = failed[failed["check"].isin(mutation.checks)]["column"]
        # wide checks blame one column of the pair they read
        assert (blamed == mutation.column).any() or mutation.column in {"span_start", "longitude"}


@pytest.mark.parametrize("schema", SCHEMAS)
@FAST
@given(data=st.data())
def test_valid_plus_rejects_is_input(schema: str, data: st.DataObject) -> None:
    df = data.draw(frames(schema))
    for _ in range(data.draw(st.integers(0, 3), label="n_mutations")):
        pos = data.draw(st.integers(0, len(df) - 1))
        mutation = data.draw(st.sampled_from(MUTATIONS[schema]))
        df.loc[pos, mutation.column] = mutation.apply(df.loc[pos].to_dict())
    result = validate_frame(df, schema)
    assert len(result.valid) + len(result.rejects) == len(df)
    rebuilt = pd.concat([result.valid, result.rejects.drop(columns="reason")]).sort_index()
    pd.testing.assert_frame_equal(rebuilt, df.reset_index(drop=True))
    assert result.rejects["reason"].str.len().gt(0).all()
    # one failure per (row, check)
    assert not result.failures.duplicated(["row", "check"]).any()


@FAST
@given(df=frames("acled", max_size=5))
def test_csv_round_trip_keeps_verdict(tmp_path_factory: pytest.TempPathFactory, df: pd.DataFrame) -> None:
    path = tmp_path_factory.mktemp("rt") / "acled.csv"
    write_frame(df, str(path), "csv")
    result = validate_file(path)
    assert result.schema == "acled" and result.ok
    pd.testing.assert_frame_equal(result.frame, df.reset_index(drop=True), check_dtype=False)
