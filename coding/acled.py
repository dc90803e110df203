"""ACLED fields from a rule's mode and the actors' inter codes (the codebook's resolution table),
and ACLED's interaction rule.
"""

from __future__ import annotations

from typing import NamedTuple

from coding.codebook import Codebook, split_list


def interaction(inter1: int | str | None, inter2: int | str | None) -> int | None:
    """ACLED's interaction code: single actor = inter1*10, else min*10 + max."""
    try:
        a = int(inter1) if inter1 not in (None, "") else None
    except ValueError:
        a = None
    try:
        b = int(inter2) if inter2 not in (None, "") else 0
    except ValueError:
        b = 0
    if a is None:
        return None
    if not b:
        return a * 10
    return min(a, b) * 10 + max(a, b)


class Resolved(NamedTuple):  # a tuple: pickles with the compiled coder as it is
    event_type: str
    sub_event_type: str
    disorder_type: str


class Resolver:
    """Mode + inter codes -> ACLED types, and CAMEO code -> mode (crosswalk) when a rule has none."""

    def __init__(self, cb: Codebook | None = None) -> None:
        if cb is None:  # unpickling: the compiled build creates the object through __init__, then sets its state
            return
        rows = cb.rows("acled/resolution")
        rows.sort(key=lambda r: float(r["order"] or 0))
        self.rows: dict[str, list[tuple[set[str] | None, set[str] | None, Resolved]]] = {}
        for r in rows:
            i1 = None if r["inter1"].strip() == "*" else set(split_list(r["inter1"]))
            i2 = None if r["inter2"].strip() == "*" else set(split_list(r["inter2"]))
            self.rows.setdefault(r["mode"], []).append(
                (i1, i2, Resolved(r["event_type"], r["sub_event_type"], r["disorder_type"]))
            )
        self.modes = {r["mode"]: r for r in cb.rows("acled/modes")}
        self.crosswalk: dict[str, str] = {}
        if "crosswalks/cameo_acled" in cb.tables:
            self.crosswalk = {r["cameo"]: r["mode"] for r in cb.rows("crosswalks/cameo_acled")}
        self.subtypes = {
            r["sub_event_type"]: r["event_type"] for r in cb.rows("acled/event_types")
        }

    def mode_for_code(self, code: str) -> str:
        """Longest CAMEO prefix in the crosswalk; '' when ACLED would not code the event."""
        for n in range(len(code), 1, -1):
            m = self.crosswalk.get(code[:n])
            if m is not None:
                return m
        return ""

    def resolve(self, mode: str, inter1: str, inter2: str) -> Resolved | None:
        i1 = inter1 or "0"
        i2 = inter2 or "0"
        for a, b, res in self.rows.get(mode, ()):
            if (a is None or i1 in a) and (b is None or i2 in b):
                return res
        m = self.modes.get(mode)
        if m:
            et, st = m["default_event_type"], m["default_sub_event_type"]
            return Resolved(et, st, "")
        return None
