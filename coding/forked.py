"""Work done in a forked child while the caller goes on: the cold load's second core.

A cold load (compiling the codebook without a cache) has parts that do not depend on each other:
validating the tables with pandera, compiling the gazetteer, compiling everything else. On Linux
`in_child(fn)` forks, runs `fn` in the child and hands back a function that returns its result,
pickled through a pipe. Where forking is not possible or not wanted (`EVCODE_NO_FORK=1`), or the
child dies or hangs, the result is computed in line instead: the answer is the same either way.

The child runs only the given function on data the parent already holds and leaves through
`os._exit`, so it never runs the parent's exit handlers or flushes the parent's buffers twice.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import warnings
from typing import Callable, Generic, TypeVar

T = TypeVar("T")

_TIMEOUT = 120.0  # seconds a child may take before it is killed and the work done in line


def forking() -> bool:
    """Whether work may go to a forked child here."""
    return sys.platform.startswith("linux") and not os.environ.get("EVCODE_NO_FORK")


def _fork() -> int | None:
    """Fork: the child's pid in the parent, 0 in the child (whose standard streams go to
    /dev/null: no output of its own, nor the parent's pipes held open), None if forking failed."""
    try:
        with warnings.catch_warnings():  # Python 3.12 warns of fork in a process with threads
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        return None
    if pid == 0:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
    return pid


_BACKGROUND: list[int] = []  # children started by `in_background` and not yet waited for


def in_background(fn: Callable[[], object]) -> None:
    """Run `fn` in a forked child nobody waits for (`wait_background` does), or in line where
    forking is not possible or not wanted."""
    reap()
    pid = _fork() if forking() else None
    if pid is None:
        fn()
    elif pid == 0:
        try:
            fn()
        finally:
            os._exit(0)
    else:
        _BACKGROUND.append(pid)


def wait_background() -> None:
    """Wait until every child started by `in_background` has finished."""
    while _BACKGROUND:
        try:
            os.waitpid(_BACKGROUND.pop(), 0)
        except ChildProcessError:
            pass


def reap() -> None:
    """Collect background children that have finished (no zombies in a long-running process)."""
    for pid in list(_BACKGROUND):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _BACKGROUND.remove(pid)


class Pending(Generic[T]):
    """The result of `fn()`, computed in a forked child; `result()` waits for it."""

    def __init__(self, fn: Callable[[], T]) -> None:
        self.fn, self.pid, self.fd = fn, 0, -1
        self.value: T | None = None
        self.done = False
        if not forking():
            self._inline()
            return
        fd_read, fd_write = os.pipe()
        pid = _fork()
        if pid is None:
            os.close(fd_read)
            os.close(fd_write)
            self._inline()
            return
        self.pid = pid
        if self.pid == 0:  # the child
            status = 3
            try:
                os.close(fd_read)
                try:
                    answer = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException as err:  # the parent raises it, as it would have in line
                    answer = pickle.dumps((False, err), protocol=pickle.HIGHEST_PROTOCOL)
                view = memoryview(answer)
                while view:
                    view = view[os.write(fd_write, view):]
                status = 0
            finally:
                os._exit(status)
        os.close(fd_write)
        self.fd = fd_read

    def _inline(self) -> None:
        self.value, self.done = self.fn(), True

    def result(self) -> T:
        if self.done:
            return self.value  # type: ignore[return-value]
        pid, fd, self.pid = self.pid, self.fd, 0
        chunks: list[bytes] = []
        poll = select.poll()  # not select(): a busy process's descriptors may be numbered above 1024
        poll.register(fd, select.POLLIN)
        try:
            while poll.poll(_TIMEOUT * 1000):
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
            else:
                os.kill(pid, signal.SIGKILL)  # a child that hangs is not waited for
        finally:
            os.close(fd)
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:  # reaped already (SIGCHLD ignored by the application)
                pass
        try:
            ok, value = pickle.loads(b"".join(chunks))
        except Exception:
            self._inline()  # the child died before it could answer: do the work here
            return self.value  # type: ignore[return-value]
        if not ok:
            raise value
        self.value, self.done = value, True
        return value
