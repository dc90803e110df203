"""Scoring the coder against labelled passages: per-class precision/recall/F1 and a confusion table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from coding.coder import code_stream
from coding.errors import InputError, UsageError
from coding.io import ReadStats, read_passages
from coding.record import EVENT_COLUMNS

#: What --field compares: an event column that describes the event (not its ids or spans), or penta.
FIELDS = ("penta",) + tuple(c for c in EVENT_COLUMNS if c not in {
    "event_id", "passage_id", "sentence_index", "span_start", "span_end", "codebook_version"})


def check_field(field: str) -> None:
    """UsageError for a --field that is no event field (a typo would score every row as missed)."""
    if field not in FIELDS:
        import difflib

        near = difflib.get_close_matches(field, FIELDS, n=1)
        hint = f"did you mean {near[0]}? " if near else ""
        raise UsageError(f"--field {field!r} is not an event field; {hint}choose one of {', '.join(FIELDS)}")


def penta(code: str) -> str:
    """CAMEO code -> penta class (0 statement, 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict)."""
    if not code:
        return ""
    root = int(code[:2])
    return str(0 if root == 1 else 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4)


@dataclass
class Report:
    field: str
    n: int
    accuracy: float
    weighted_f1: float
    coverage: float
    per_class: dict[str, dict[str, float]] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    left_out: str = ""  # rows not scored and why ('' when every row was scored)


def score(gold: dict[str, str], pred: dict[str, str], fieldname: str = "label") -> Report:
    """Weighted F1 over gold classes (a missing prediction counts against recall only)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    conf: Counter[tuple[str, str]] = Counter()
    for k, g in gold.items():
        p = pred.get(k, "")
        conf[(g, p)] += 1
        if p == g:
            tp[g] += 1
        else:
            fn[g] += 1
            if p:
                fp[p] += 1
    support = Counter(gold.values())
    per: dict[str, dict[str, float]] = {}
    total = 0.0
    for lab, n in support.items():
        pr = tp[lab] / (tp[lab] + fp[lab]) if tp[lab] + fp[lab] else 0.0
        rc = tp[lab] / n
        f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        per[lab] = {"precision": pr, "recall": rc, "f1": f1, "support": n}
        total += f1 * n
    n = len(gold)
    return Report(
        field=fieldname,
        n=n,
        accuracy=sum(tp.values()) / n if n else 0.0,
        weighted_f1=total / n if n else 0.0,
        coverage=sum(1 for k in gold if pred.get(k)) / n if n else 0.0,
        per_class=per,
        confusion=conf,
    )


def evaluate_file(
    path: str | Path,
    *,
    label_column: str,
    field: str,
    id_column: str | None = None,
    text_column: str = "text",
    date_column: str | None = None,
    codebooks: Iterable[Path | str] | None = None,
) -> Report:
    """Code each passage with --primary and compare `field` with the gold `label_column`.

    Duplicate passage ids stop the read (InputError naming both rows); rows left out (empty text)
    are counted in `Report.left_out`."""
    check_field(field)
    stats = ReadStats()
    gold: dict[str, str] = {}
    passages = []
    # every labelled row is scored: a passage the language check would skip counts as coded with nothing
    for p in read_passages(path, id_column=id_column, text_column=text_column, date_column=date_column, stats=stats,
                           any_language=True):
        if label_column not in p.meta:
            raise InputError(f"{path}: no label column {label_column!r}; pass --label-column NAME")
        gold[p.id] = str(p.meta[label_column]).strip()
        passages.append(p)
    pred: dict[str, str] = {}
    for ev in code_stream(passages, primary=True, codebooks=codebooks):
        value: Any = penta(ev["cameo_code"]) if field == "penta" else ev.get(field)
        pred[ev["passage_id"]] = "" if value is None else str(value)
    if field == "admin1":
        gold = {k: v.lower() for k, v in gold.items()}
        pred = {k: v.lower() for k, v in pred.items()}
    report = score(gold, pred, field)
    n_out = sum(stats.skipped.values())
    if n_out:
        reasons = "; ".join(f"{n} {reason} (first: {stats.examples[reason]})" for reason, n in sorted(stats.skipped.items()))
        report.left_out = f"{n_out} row(s) left out of n: {reasons}"
    return report


def format_report(r: Report, confusion: bool = False) -> str:
    lines = [
        f"{r.field}: n={r.n} accuracy={r.accuracy:.3f} weighted_f1={r.weighted_f1:.3f} coverage={r.coverage:.3f}",
        f"{'class':40} {'prec':>6} {'rec':>6} {'f1':>6} {'n':>6}",
    ]
    for lab, m in sorted(r.per_class.items(), key=lambda kv: -kv[1]["support"]):
        lines.append(f"{lab[:40]:40} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {int(m['support']):6d}")
    if confusion:
        lines.append("")
        lines.append("gold -> predicted: count")
        for (g, p), n in r.confusion.most_common():
            if g != p:
                lines.append(f"{g[:35]} -> {p[:35] or '(none)'}: {n}")
    return "\n".join(lines)
