"""Coding on every core of one machine: ordered, streamed, bounded in memory.

`code_parallel` is what `coding.coder.code_stream(..., workers=N)` runs for N > 1. Passages are
read in chunks by the parent and sent to N worker processes; the events come back in input
order, so the output is row for row what one worker gives. At most `2 * workers` chunks are in
flight (read but not yet written), so memory stays flat whatever the input size: a
`Pool.imap` over a generator would read ahead as fast as the parent can read.

Workers are forked after the parent has compiled (or loaded from the disk cache) the coder, so
they share its memory copy-on-write and never recompile it. A worker that fails turns into one
`EvcodeError` line naming the passage; a worker killed by the system (out of memory) into one
line saying so; Ctrl-C stops the workers and leaves the `KeyboardInterrupt` to the caller.
"""

from __future__ import annotations

import gc
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from coding.errors import EvcodeError
from coding.record import EVENT_COLUMNS, Passage

#: Passages per chunk sent to a worker: large enough that pickling is noise, small enough that
#: the in-flight window (2 chunks per worker) stays a few MB.
CHUNK = 200
#: Chunks in flight per worker: one being coded, one queued, so no worker waits for the parent.
IN_FLIGHT_PER_WORKER = 2

_coder: Any = None  # the coder of this worker process, set once by `_init_worker`
_options: tuple[str, bool] = ("", False)


def default_workers() -> int:
    """Cores this process may run on (its CPU affinity where the OS has one, else all cores)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _init_worker(extra: tuple[str, ...], country: str, primary: bool) -> None:
    global _coder, _options
    # Ctrl-C reaches the whole process group: the parent alone handles it (one clean message).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from coding.coder import get_coder

    _coder = get_coder(list(extra) or None)  # inherited through fork: a dict look-up, no compile
    _options = (country, primary)


def _row(ev: dict[str, Any]) -> dict[str, Any]:
    return {k: ev.get(k) for k in EVENT_COLUMNS}


def _code_chunk(passages: list[Passage]) -> list[dict[str, Any]]:
    country, primary = _options
    out: list[dict[str, Any]] = []
    for p in passages:
        try:
            events = _coder.code_passage(p, country=country, primary=primary)
        except EvcodeError:
            raise
        except Exception as err:  # noqa: BLE001 -- a coder bug must not end as a traceback from a child process
            raise EvcodeError(
                f"passage {p.id!r}: the coder failed ({type(err).__name__}: {err}); run with --workers 1 "
                "to see where, and report it with this passage", reason="coder_failed") from None
        out.extend(_row(ev) for ev in events)
    return out


def code_parallel(
    passages: Iterable[Passage],
    *,
    country: str | None = "",
    primary: bool = False,
    codebooks: Iterable[Path | str] | None = None,
    workers: int | None = None,
    chunk: int = CHUNK,
) -> Iterator[dict[str, Any]]:
    """Code `passages` with `workers` processes (default: every core), yielding events in input order.

    Input shorter than one chunk is coded in this process (no pool to start). The result is the
    same rows in the same order as `code_stream(passages, workers=1)`.
    """
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from coding.coder import get_coder

    workers = workers or default_workers()
    extra = tuple(str(p) for p in (codebooks or []))
    it = iter(passages)
    first = list(islice(it, chunk))
    get_coder(list(extra) or None)  # compile or load once, before forking: workers inherit it
    if workers <= 1 or len(first) < chunk:
        _init_local(extra, country or "", primary)
        yield from _code_chunk(first)
        for block in _blocks(it, chunk):
            yield from _code_chunk(block)
        return

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context("spawn")
    # get_coder already put the compiled coder (millions of objects) in the collector's permanent
    # generation; what was made since joins it before the workers fork: their collections then
    # never touch those pages, which stay shared instead of being copied into every worker
    gc.freeze()
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(extra, country or "", primary))
    pending: deque[Any] = deque()
    window = workers * IN_FLIGHT_PER_WORKER
    done = False
    try:
        pending.append(pool.submit(_code_chunk, first))
        blocks = _blocks(it, chunk)
        while pending:
            while not done and len(pending) < window:
                more = next(blocks, None)
                if more is None:
                    done = True
                    break
                pending.append(pool.submit(_code_chunk, more))
            try:
                rows = pending.popleft().result()
            except BrokenProcessPool:
                raise EvcodeError("a worker process died (killed by the system: out of memory?); "
                                  "retry with fewer --workers", reason="worker_died") from None
            yield from rows
    finally:
        _stop(pool, pending)


def _init_local(extra: tuple[str, ...], country: str, primary: bool) -> None:
    global _coder, _options
    from coding.coder import get_coder

    _coder = get_coder(list(extra) or None)
    _options = (country, primary)


def _blocks(it: Iterator[Passage], chunk: int) -> Iterator[list[Passage]]:
    while True:
        block = list(islice(it, chunk))
        if not block:
            return
        yield block


def _stop(pool: Any, pending: deque[Any]) -> None:
    """Shut the pool down; if work is still pending (error, Ctrl-C, consumer gone), kill it now."""
    if not pending:
        pool.shutdown(wait=True)
        return
    for fut in pending:
        fut.cancel()
    # The executor has no terminate(): waiting for the running chunks would delay an error or
    # a Ctrl-C by a chunk's coding time, so the workers are ended directly.
    # The queue that feeds the workers is written by a thread of this process; with the workers
    # gone nobody reads it, and a full pipe would block that thread, and shutdown (or the
    # interpreter's exit) joining it, forever: let it go without flushing.
    call_queue = getattr(pool, "_call_queue", None)
    if call_queue is not None:
        try:
            call_queue.cancel_join_thread()
        except Exception:  # noqa: BLE001 -- best effort on a private attribute
            pass
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    for proc in processes:
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join(5)
    # A worker ended while writing a result leaves half a message in the result pipe, and the
    # executor's thread would wait for the rest forever: with every worker gone, closing this
    # process's own write end turns that wait into end-of-file, which the executor handles.
    result_queue = getattr(pool, "_result_queue", None)
    writer = getattr(result_queue, "_writer", None)
    if writer is not None:
        try:
            writer.close()
        except OSError:
            pass
    pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["CHUNK", "code_parallel", "default_workers"]
