"""Coder agreement: two codings of the same passages, field by field.

`agree(a, b)` lines the two codings up by unit (`passage_id` when both have it, else the event
id; `key=` picks another column) and, for every field of `AGREE_FIELDS`, reports

- `n`: units where both codings have a value for the field,
- `agreement`: the share of those units with the same value,
- `kappa`: Cohen's kappa on those units (1.0 when they agree on every unit),
- `alpha`: Krippendorff's alpha (the `krippendorff` package; nominal, `fatalities` ratio) over
  every unit, a coding without a value counting as missing. None when the field takes a single
  value everywhere (alpha is not defined then).

`event` is 1 when a coding has at least one event for the unit, else 0 (over all units). Other
fields compare each coding's primary event for the unit (the first by sentence_index,
span_start, file order). Units that neither coding has an event for are not in either file and
so not counted. `confusion` cross-tabulates one type field (rows A, columns B), with
`(no event)` for a unit the coding has no event for and `(empty)` for an empty value.

    >>> from coding.agree import agree
    >>> res = agree("coder1.csv", "coder2.csv")            # doctest: +SKIP
    >>> res.fields.loc["event_type", "kappa"]              # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from coding.compare import cohen_kappa
from coding.errors import StoreError, UsageError

AGREE_FIELDS = ("event", "cameo_root", "event_type", "sub_event_type", "actor1_code", "actor2_code",
                "admin1", "fatalities")
CONFUSION_FIELDS = ("cameo_root", "event_type", "sub_event_type", "cameo_code", "quad_class")
NO_EVENT = "(no event)"
EMPTY = "(empty)"
FIELD_COLUMNS = ("field", "n", "agreement", "kappa", "alpha")


@dataclass
class AgreeResult:
    """`fields`: one row per field (FIELD_COLUMNS); `confusion`: A's values x B's; `units`: per unit."""

    key: str
    fields: pd.DataFrame
    confusion: pd.DataFrame
    confusion_field: str
    units: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        def clean(v: Any) -> Any:
            if v is None or (isinstance(v, float) and np.isnan(v)):
                return None
            return v.item() if hasattr(v, "item") else v

        return {
            "units": int(len(self.units)),
            "key": self.key,
            "fields": {r["field"]: {k: clean(r[k]) for k in FIELD_COLUMNS[1:]} for r in self.fields.to_dict("records")},
            "confusion": {"field": self.confusion_field, "a": [str(i) for i in self.confusion.index],
                          "b": [str(c) for c in self.confusion.columns],
                          "counts": self.confusion.to_numpy().astype(int).tolist()},
        }


def read_coding(spec: Any, *, schema: str = "auto", db: str | Path | None = None, codebook: Any = None,
                left_out: dict[str, Any] | None = None) -> pd.DataFrame:
    """A coding as a canonical frame plus `id`: a DataFrame, a file, or `dataset:NAME` from the store.

    `left_out` (when given) is filled with what validation rejected (`validate.left_out_note`)."""
    if isinstance(spec, pd.DataFrame):
        df = spec.reset_index(drop=True).copy()
    else:
        text = str(spec)
        if text.startswith("dataset:"):
            df = _dataset(text[len("dataset:"):], db)
        else:
            from coding.validate import read_canonical

            df = read_canonical(text, schema, codebook=codebook, left_out=left_out)
    if "id" not in df.columns:
        df["id"] = df["event_id"] if "event_id" in df.columns else pd.Series(range(1, len(df) + 1)).astype(str)
    return df


def _dataset(name: str, db: str | Path | None) -> pd.DataFrame:
    from coding.store import connect, db_path

    with connect(db, read_only=True) as con:
        df = con.execute("SELECT *, coalesce(source_event_id, event_id) AS id FROM events WHERE dataset = ?",
                         [name]).fetchdf()
    if df.empty:
        raise StoreError(f"no dataset {name!r} in {db_path(db)}; see evcode datasets", reason="store_no_dataset")
    return df.drop(columns=["extra"], errors="ignore")


def _text(s: pd.Series) -> pd.Series:
    t = s.astype("string").str.strip()
    return t.where(t.notna() & (t != ""), pd.NA)


def _values(df: pd.DataFrame, name: str) -> pd.Series:
    if name == "cameo_root":
        root = _text(df["cameo_root"]) if "cameo_root" in df.columns else pd.Series(pd.NA, index=df.index, dtype="string")
        if "cameo_code" in df.columns:
            root = root.fillna(_text(df["cameo_code"]).str[:2])
        return root.where(root.isna(), root.str.zfill(2))
    if name not in df.columns:
        return pd.Series(pd.NA, index=df.index, dtype="string")
    if name == "fatalities":
        return pd.to_numeric(df[name], errors="coerce").astype("Float64")
    return _text(df[name])


def _primary(df: pd.DataFrame, key: str) -> pd.DataFrame:
    d = df.copy()
    d["_unit"] = _text(d[key])
    d = d[d["_unit"].notna()]
    d["_order"] = np.arange(len(d))
    sort = [c for c in ("sentence_index", "span_start") if c in d.columns]
    for c in sort:
        d[c] = pd.to_numeric(d[c], errors="coerce")
    d = d.sort_values(["_unit", *sort, "_order"], kind="stable", na_position="last")
    return d.drop_duplicates("_unit", keep="first").set_index("_unit")


def _alpha(xa: pd.Series, xb: pd.Series, level: str) -> float | None:
    import krippendorff

    if level == "nominal":
        labels = pd.concat([xa, xb]).dropna().unique()
        codes = {v: i for i, v in enumerate(sorted(map(str, labels)))}
        data = np.array([[codes[str(v)] if not pd.isna(v) else np.nan for v in s] for s in (xa, xb)], dtype=float)
    else:
        data = np.array([pd.to_numeric(s, errors="coerce").astype(float).to_numpy() for s in (xa, xb)])
    vals = data[~np.isnan(data)]
    if len(np.unique(vals)) < 2:
        return None
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    if not pairable.any():
        return None
    try:
        a = float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
    except (ValueError, ZeroDivisionError):
        return None
    return None if np.isnan(a) else a


def agree(
    a: Any,
    b: Any,
    *,
    key: str | None = None,
    confusion: str = "event_type",
    db: str | Path | None = None,
    schema_a: str = "auto",
    schema_b: str = "auto",
    codebook: Any = None,
) -> AgreeResult:
    """Agreement, Cohen's kappa and Krippendorff's alpha per field between codings A and B."""
    from coding.codebook import load_codebook

    if confusion not in CONFUSION_FIELDS:
        raise UsageError(f"--confusion must be one of {', '.join(CONFUSION_FIELDS)}, not {confusion!r}")
    cb = codebook or load_codebook()
    left_a: dict[str, Any] = {}
    left_b: dict[str, Any] = {}
    da = read_coding(a, schema=schema_a, db=db, codebook=cb, left_out=left_a)
    db_ = read_coding(b, schema=schema_b, db=db, codebook=cb, left_out=left_b)
    if key is None:
        has = all("passage_id" in d.columns and _text(d["passage_id"]).notna().all() for d in (da, db_))
        key = "passage_id" if has else "id"
    for name, d in (("A", da), ("B", db_)):
        if key not in d.columns:
            raise UsageError(f"coding {name} has no column {key!r} to line units up by; pass --key COLUMN")
    pa_, pb = _primary(da, key), _primary(db_, key)
    units = pd.Index(sorted(set(pa_.index) | set(pb.index)), name="unit")
    ea = pd.Series(units.isin(pa_.index).astype(int), index=units)
    eb = pd.Series(units.isin(pb.index).astype(int), index=units)
    table = pd.DataFrame({"unit": units, "event_a": ea.to_numpy(), "event_b": eb.to_numpy()})
    rows = [{"field": "event", "n": len(units),
             "agreement": float((ea == eb).mean()) if len(units) else None,
             "kappa": cohen_kappa(ea.tolist(), eb.tolist()),
             "alpha": _alpha(ea, eb, "nominal")}]
    for f in AGREE_FIELDS[1:]:
        xa = _values(pa_, f).reindex(units)
        xb = _values(pb, f).reindex(units)
        table[f + "_a"] = xa.to_numpy()
        table[f + "_b"] = xb.to_numpy()
        both = xa.notna() & xb.notna()
        n = int(both.sum())
        sa, sb = xa[both].astype(object).tolist(), xb[both].astype(object).tolist()
        rows.append({"field": f, "n": n,
                     "agreement": float(np.mean([x == y for x, y in zip(sa, sb)])) if n else None,
                     "kappa": cohen_kappa(sa, sb),
                     "alpha": _alpha(xa.astype(object), xb.astype(object),
                                     "ratio" if f == "fatalities" else "nominal")})
    fields = pd.DataFrame(rows, columns=list(FIELD_COLUMNS))

    def labels(p: pd.DataFrame, present: pd.Series) -> pd.Series:
        v = _values(p, confusion).reindex(units).astype(object)
        v = v.where(v.notna(), EMPTY).astype(str)
        return v.where(present.astype(bool), NO_EVENT)

    conf = pd.crosstab(labels(pa_, ea).rename("A"), labels(pb, eb).rename("B")) if len(units) else pd.DataFrame()
    return AgreeResult(key=key, fields=fields, confusion=conf, confusion_field=confusion, units=table,
                       options={"n_a": len(da), "n_b": len(db_), "left_out_a": left_a, "left_out_b": left_b})


__all__ = ["AGREE_FIELDS", "AgreeResult", "agree", "read_coding"]
