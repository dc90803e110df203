"""Charts of time-series queries: one line per series over a date column (weekly counts by type).

    >>> from coding.plot import plot_query
    >>> plot_query("weekly_counts_by_type", {"dataset": "acled"}, out="chart.png")  # doctest: +SKIP

The x axis is the query's first date column; the y value is `events` (or the first numeric
column); the series are the query's text columns (dataset is dropped when there is only one).
Only the `top` largest series are drawn, the rest are summed into "other".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from coding.errors import QueryError, UsageError

IMAGE_FORMATS = ("png", "svg", "pdf", "jpg", "jpeg")
DEFAULT_QUERY = "weekly_counts_by_type"


def _date_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])]


def plot_frame(
    df: pd.DataFrame,
    out: str | Path,
    *,
    x: str | None = None,
    y: str | None = None,
    by: list[str] | None = None,
    title: str = "",
    top: int = 8,
) -> dict[str, Any]:
    """Draw `df` as lines and save to `out` (.png/.svg/.pdf); returns what was drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    suffix = out.suffix.lower().lstrip(".")
    if suffix not in IMAGE_FORMATS:
        raise UsageError(f"{out}: cannot tell the image format; end the file name in .png, .svg or .pdf")
    dates = _date_columns(df)
    if x is None:
        if not dates:
            raise QueryError("the query has no date column to put on the x axis; plot a time-series query "
                             f"such as {DEFAULT_QUERY} or weekly_counts, or name one with --x",
                             reason="plot_no_dates")
        x = dates[0]
    for col in [x, y, *(by or [])]:
        if col is not None and col not in df.columns:
            raise UsageError(f"column {col!r} is not in the query result; it has: {', '.join(df.columns)}")
    numeric = [c for c in df.columns if c != x and pd.api.types.is_numeric_dtype(df[c])
               and not pd.api.types.is_bool_dtype(df[c])]
    if y is None:
        if "events" in df.columns:
            y = "events"
        elif numeric:
            y = numeric[0]
        else:
            raise QueryError("the query has no numeric column to plot; name one with --y", reason="plot_no_values")
    if by is None:
        by = [c for c in df.columns if c not in (x, y) and c not in numeric and c not in dates]
        if "dataset" in by and df["dataset"].nunique() <= 1:
            by.remove("dataset")
    data = df[[x, y, *by]].copy()
    data[y] = pd.to_numeric(data[y], errors="coerce").fillna(0)
    if by:
        labels = data[by].astype(object).where(data[by].notna(), "(none)").astype(str)
        data["_series"] = labels.agg(" / ".join, axis=1)
    else:
        data["_series"] = y
    totals = data.groupby("_series")[y].sum().sort_values(ascending=False, kind="stable")
    keep = list(totals.index[:top])
    data.loc[~data["_series"].isin(keep), "_series"] = "other"
    wide = data.pivot_table(index=x, columns="_series", values=y, aggfunc="sum", fill_value=0).sort_index()
    order = [s for s in keep if s in wide.columns] + (["other"] if "other" in wide.columns else [])
    wide = wide[order]

    fig, ax = plt.subplots(figsize=(10, 5.5), dpi=110)
    for s in wide.columns:
        ax.plot(wide.index, wide[s], label=str(s), linewidth=1.6, marker="o" if len(wide) < 30 else None,
                markersize=3)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_title(title or f"{y} by {x}" + (f" and {', '.join(by)}" if by else ""))
    ax.grid(True, alpha=0.3)
    if len(wide.columns) > 1 or by:
        ax.legend(fontsize=8, loc="upper left", frameon=False)
    fig.autofmt_xdate()
    fig.tight_layout()
    try:
        fig.savefig(out)
    except OSError as err:
        raise UsageError(f"{out}: cannot write the chart ({err.strerror}); check the folder exists") from None
    finally:
        plt.close(fig)
    return {"x": x, "y": y, "by": by, "series": list(wide.columns), "points": int(len(wide))}


def plot_query(
    name: str = DEFAULT_QUERY,
    params: Mapping[str, Any] | None = None,
    *,
    out: str | Path,
    db: str | Path | None = None,
    parquet: list[str | Path] | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """Run the named query (on the store, or on `parquet` files in place) and chart it.

    See `plot_frame` for x/y/by/title/top.
    """
    from coding.queries import get_query, run_query

    q = get_query(name)
    df = run_query(q, params or {}, db=db, parquet=parquet)
    if df.empty:
        raise QueryError(f"query {name} returned no rows; nothing to plot (check --param values and "
                         "evcode datasets)", reason="plot_empty")
    kwargs.setdefault("title", f"{name}" + (" (" + ", ".join(f"{k}={v}" for k, v in (params or {}).items())
                                            + ")" if params else ""))
    return plot_frame(df, out, **kwargs)
