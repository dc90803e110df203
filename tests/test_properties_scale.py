"""Property: coding on N workers gives the rows of one worker, in the same order, for any input
and chunking; a Hive-partitioned write holds exactly the rows of an unpartitioned one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coding.coder import code_stream
from coding.record import Passage
from strategies import SCALE_SENTENCES

# Our own sentences (tests/strategies.py), a demand, and an empty-ish passage.
SENTENCES = [
    *SCALE_SENTENCES,
    "Protesters in Khartoum demanded the release of detained students.",
    "  ",
]

passage_lists = st.lists(
    st.tuples(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4),
              st.sampled_from([None, "2021-03-10", "2020-12-31"])),
    min_size=0, max_size=40,
).map(lambda items: [Passage(f"p{i}", " ".join(s), d) for i, (s, d) in enumerate(items)])


@settings(max_examples=12)
@given(passages=passage_lists, chunk=st.integers(min_value=1, max_value=6), workers=st.sampled_from([2, 3]))
def test_workers_keep_rows_and_order(passages, chunk, workers):
    one = list(code_stream(passages, workers=1))
    many = list(code_stream(passages, workers=workers, chunk=chunk))
    assert many == one


@settings(max_examples=8)
@given(passages=passage_lists, keys=st.sampled_from([["event_date"], ["country"], ["country", "year"], ["month"]]),
       batch=st.integers(min_value=1, max_value=50))
def test_partitions_hold_the_rows(tmp_path_factory, passages, keys, batch):
    from coding.io import PartitionedEventWriter, read_events

    rows = list(code_stream(passages))
    out = tmp_path_factory.mktemp("parts") / "out"
    w = PartitionedEventWriter(out, keys, batch=batch)
    for r in rows:
        w.write(r)
    w.close()
    if not rows:
        assert not any(out.iterdir())
        return
    back = read_events(out)
    got = sorted(back["event_id"])
    assert got == sorted(r["event_id"] for r in rows)
    for k in ("event_date", "country"):
        by_id = dict(zip(back["event_id"], back[k], strict=True))
        assert all(by_id[r["event_id"]] == (r[k] or "") for r in rows)
