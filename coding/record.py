"""The event record: one row per coded event (see DESIGN.md, "Event record")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EVENT_COLUMNS: tuple[str, ...] = (
    "event_id", "passage_id", "sentence_index", "span_start", "span_end", "event_date", "time_precision",
    "cameo_code", "cameo_root", "quad_class", "goldstein", "disorder_type", "event_type", "sub_event_type",
    "actor1", "actor1_code", "actor1_text", "inter1", "actor2", "actor2_code", "actor2_text", "inter2",
    "interaction", "civilian_targeting",
    "country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision", "fatalities",
    "rule_id", "codebook_version",
    # added by the coder issue: what fired, for coders reading the output
    "mode", "trigger", "modifier",
)


@dataclass
class Passage:
    """A unit of text to code; `date` is the publication/report date if known."""

    id: str
    text: str
    date: Any = None
    meta: dict[str, Any] = field(default_factory=dict)
