"""Loading, layering, validating and versioning the codebook.

The codebook is data (CSV + YAML under `codebooks/`). `load_codebook()` reads the built-in
directory plus any user directories layered on top, validates every table with pandera, and
returns a `Codebook` whose `version` is the name + version + a hash of the content, so every
output row can say exactly which codebook produced it.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping

if TYPE_CHECKING:  # pandas/pandera load lazily: a cached coder starts without them, a cold one too
    import pandas as pd
    import pandera.pandas as pa
    import pyarrow

from coding.errors import CodebookError
from coding.resources import codebook_dir

# Table name -> (key columns, required columns). Keys decide what a layered row replaces.
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "cameo/event_codes": (
        ("code",),
        ("code", "name", "level", "parent", "root", "quad_class", "goldstein", "goldstein_icews"),
    ),
    "cameo/root_classes": (("root",), ("root", "name", "quad_class", "penta_class")),
    "cameo/actor_types": (("code",), ("code", "name", "inter")),
    "acled/disorder_types": (("disorder_type",), ("disorder_type",)),
    "acled/event_types": (("sub_event_type",), ("event_type", "sub_event_type", "disorder_type")),
    "acled/inter_codes": (("inter",), ("inter", "label", "label_2024")),
    "acled/modes": (("mode",), ("mode", "default_event_type", "default_sub_event_type")),
    "acled/actor_conventions": (("sub_event_type",), ("sub_event_type", "actor1", "actor2")),
    "acled/unit_names": (("force_iso3", "event_iso3", "sub_event_type"),
                         ("force_iso3", "event_iso3", "sub_event_type", "name")),
    "acled/resolution": (
        ("order",),
        ("order", "mode", "inter1", "inter2", "event_type", "sub_event_type", "disorder_type"),
    ),
    "acled/regimes": (("iso3", "start"), ("iso3", "regime", "start", "end")),
    "crosswalks/cameo_acled": (("cameo",), ("cameo", "mode")),
    "crosswalks/cameo_plover": (("cameo",), ("cameo", "plover_event")),
    "actors/countries": (
        ("iso3",),
        ("iso3", "cameo", "name", "acled_name", "aliases", "adjectives", "capital"),
    ),
    "actors/agents": (("agent",), ("agent", "cameo_role", "inter", "acled_template", "aliases")),
    "actors/organisations": (("org_id",), ("org_id", "name", "cameo", "inter", "country", "aliases")),
    "places/gazetteer": (
        ("place_id",),
        ("place_id", "name", "aliases", "feature", "iso3", "admin1", "latitude", "longitude"),
    ),
    "lexicon/numbers": (("word",), ("word", "value", "vague")),
    "lexicon/victims": (("word",), ("word", "cameo_role", "inter")),
    "lexicon/inflections": (("word",), ("word", "forms", "participles", "plurals")),
}

_CODE = r"^\d{2,4}$"


def _numbers(s: pd.Series) -> pd.Series:
    """A text column's decimal numbers as floats, anything else NaN (pyarrow's kernels: a third of
    the time `pd.to_numeric` takes over the gazetteer's 110,000 coordinates)."""
    import pandas as pd
    import pyarrow as arrow
    import pyarrow.compute as pc

    text = pc.utf8_trim_whitespace(arrow.array(s, arrow.string()))
    number = pc.match_substring_regex(text, r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
    values = pc.cast(pc.if_else(number, text, arrow.scalar(None, arrow.string())), arrow.float64())
    return pd.Series(values.to_numpy(zero_copy_only=False), index=s.index)


def _schema(name: str, key: tuple[str, ...], required: tuple[str, ...]) -> pa.DataFrameSchema:
    """A pandera schema per table: required columns present, keys non-empty and unique."""
    import pandas as pd
    import pandera.pandas as pa

    columns: dict[str, pa.Column] = {c: pa.Column(str, nullable=False, required=True) for c in required}
    for k in key:
        columns[k] = pa.Column(
            str,
            checks=[pa.Check.str_length(min_value=1, error=f"{k} must not be empty")],
            unique=len(key) == 1,  # a key of several columns is unique as a whole (below)
            required=True,
        )
    if name == "cameo/event_codes":
        columns["code"] = pa.Column(str, pa.Check.str_matches(_CODE), unique=True)
        columns["goldstein"] = pa.Column(
            str, pa.Check(lambda s: pd.to_numeric(s, errors="coerce").between(-10, 10), error="goldstein in [-10, 10]")
        )
        columns["quad_class"] = pa.Column(str, pa.Check.isin(["1", "2", "3", "4"]))
    if name == "acled/actor_conventions":
        columns["actor1"] = pa.Column(str, pa.Check.isin(["protesters", "rioters", "as_coded", "unidentified_if_none"]))
        steps = {"target", "organised", "protesters", "force", "met", "partner", "harmed_civilians", "host",
                 "civilians", "unidentified", "none"}
        columns["actor2"] = pa.Column(str, pa.Check(
            lambda s: s.map(lambda v: bool(split_list(v)) and set(split_list(v)) <= steps),
            element_wise=False, error=f"actor2: a |-list of {', '.join(sorted(steps))}"))
    if name == "places/gazetteer":
        columns["latitude"] = pa.Column(
            str,
            pa.Check(
                lambda s: (s == "") | _numbers(s).between(-90, 90),
                error="latitude in [-90, 90]",
            ),
        )
        columns["longitude"] = pa.Column(
            str,
            pa.Check(
                lambda s: (s == "") | _numbers(s).between(-180, 180),
                error="longitude in [-180, 180]",
            ),
        )
    return pa.DataFrameSchema(columns, strict=False, coerce=False, name=name,
                              unique=list(key) if len(key) > 1 else None)


class Tables(Mapping[str, "pd.DataFrame"]):
    """The codebook's tables by name, held as pyarrow tables of text and handed out as pandas
    DataFrames on first use. Compiling the coder reads them through `Codebook.rows`/`column`/
    `arrow` and never needs pandas, whose import alone was a quarter of the cold load."""

    def __init__(self, arrow: dict[str, pyarrow.Table]) -> None:
        self._arrow = arrow
        self._frames: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        df = self._frames.get(name)
        if df is None:
            df = self._frames[name] = self._arrow[name].to_pandas()  # KeyError for an unknown table
        return df

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrow)

    def __len__(self) -> int:
        return len(self._arrow)

    def __contains__(self, name: object) -> bool:
        return name in self._arrow

    def arrow(self, name: str) -> pyarrow.Table | None:
        return self._arrow.get(name)


@dataclass
class Codebook:
    """A loaded, layered and validated codebook."""

    dirs: list[Path]
    tables: Tables
    rules: list[dict[str, Any]]
    lexicon: dict[str, Any]
    meta: dict[str, Any]
    digest: str
    sources: dict[str, list[str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.meta.get("name", "evcode-core"))

    @property
    def version(self) -> str:
        """`name version+hash`: stamped on every coded event."""
        return f"{self.name} {self.meta.get('version', '0')}+{self.digest[:10]}"

    def table(self, name: str) -> pd.DataFrame:
        """A codebook table as strings ('' for empty cells)."""
        try:
            return self.tables[name]
        except KeyError:
            raise CodebookError(f"codebook table {name}.csv is missing from {self.dirs[0]}") from None

    def arrow(self, name: str) -> pyarrow.Table | None:
        """A table as pyarrow text columns, None if the codebook has no such table."""
        return self.tables.arrow(name)

    def rows(self, name: str) -> list[dict[str, str]]:
        """A table's rows as dicts of text (what `table(name).to_dict("records")` gives, without pandas)."""
        t = self.tables.arrow(name)
        if t is None:
            raise CodebookError(f"codebook table {name}.csv is missing from {self.dirs[0]}")
        return t.to_pylist()

    def column(self, name: str, column: str) -> list[str]:
        """One column of a table as text; [] if the codebook has no such table."""
        t = self.tables.arrow(name)
        return [] if t is None else t.column(column).to_pylist()

    @cached_property
    def cameo(self) -> dict[str, dict[str, str]]:
        """CAMEO event code -> its row (name, root, quad_class, goldstein, ...)."""
        return {r["code"]: r for r in self.rows("cameo/event_codes")}


def _read_csv(path: Path) -> pyarrow.Table:
    """A codebook table, every cell as text ('' for empty cells)."""
    import csv

    import pyarrow as pa
    import pyarrow.csv as pcsv

    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            names = next(csv.reader(fh), [])
    except UnicodeDecodeError:
        raise CodebookError(f"{path}: not UTF-8; save the file as UTF-8") from None
    if not names:
        raise CodebookError(f"{path}: empty file; a codebook table needs a header row (see codebooks/README.md)")
    # pyarrow's reader straight to pandas' text columns: the 110,000-row gazetteer in a fifth of the
    # C engine's time (and half of pandas' own pyarrow path); every column is read as text, so
    # "01" stays "01"; a row with more fields than the header is an error, not a silent shift
    convert = pcsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                                  quoted_strings_can_be_null=False)
    try:
        table = pcsv.read_csv(path, convert_options=convert)
    except pa.ArrowInvalid as err:
        first = str(err).splitlines()[0]
        if "UTF8" in first:  # "invalid UTF8 data"
            raise CodebookError(f"{path}: not UTF-8; save the file as UTF-8") from None
        raise CodebookError(f"{path}: cannot parse CSV ({first}); check quoting and the number of fields") from None
    # (`to_pandas()` gives the text dtype pandas' own read_csv(dtype=str) gives, in pandas 2 and 3)
    return table


def _read_yaml(path: Path) -> Any:
    import yaml  # not needed when the compiled coder comes from the cache

    # libyaml's C loader parses the ~4,600 rule patterns several times faster than the pure-Python one
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise CodebookError(f"{path}{where}: invalid YAML ({getattr(err, 'problem', err)})") from None


def _files(dirs: Iterable[Path]) -> list[tuple[Path, Path]]:
    out = []
    for d in dirs:
        for p in sorted(d.rglob("*")):
            rel = p.relative_to(d)
            if p.is_file() and p.suffix in (".csv", ".yaml", ".yml") and rel.parts[0] != "build":
                out.append((d, p))
    return out


def _stamp(files: list[tuple[Path, Path]]) -> tuple[str, ...]:
    """Path, size and modification time (ns) of each file: changes whenever a file is saved."""
    return tuple(f"{p}\0{st.st_size}\0{st.st_mtime_ns}" for _, p in files for st in [p.stat()])


_DIGESTS: dict[tuple[str, ...], str] = {}


def _digest(files: list[tuple[Path, Path]]) -> str:
    # a cold start asks for the content hash three times (cache look-up, version stamp, the check
    # that nothing changed while loading): read the ~20 MB once per unchanged set of files
    stamp = _stamp(files)
    known = _DIGESTS.get(stamp)
    if known is not None:
        return known
    h = hashlib.sha256()
    for base, p in files:
        h.update(str(p.relative_to(base)).encode())
        h.update(p.read_bytes())
    if len(_DIGESTS) >= 16:
        _DIGESTS.pop(next(iter(_DIGESTS)))
    _DIGESTS[stamp] = h.hexdigest()
    return _DIGESTS[stamp]


def _require_columns(name: str, columns: Iterable[str], path: Path) -> None:
    missing = [c for c in TABLES[name][1] if c not in columns]
    if missing:
        raise CodebookError(f"{path}: missing column(s) {', '.join(missing)}; see codebooks/README.md")


def _validate(name: str, table: pyarrow.Table | pd.DataFrame, path: Path) -> None:
    import pandas as pd
    import pandera.pandas as pa

    df = table if isinstance(table, pd.DataFrame) else table.to_pandas()
    _require_columns(name, df.columns, path)
    key, required = TABLES[name]
    try:
        _schema(name, key, required).validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
        first = fc.iloc[0]
        idx = first.get("index")
        row = f" row {int(idx) + 2}" if pd.notna(idx) else ""
        raise CodebookError(
            f"{path}{row}: column {first['column']} fails {first['check']} "
            f"(value {first['failure_case']!r}; {len(fc)} failure(s) in all); fix the table"
        ) from None


Read = list[tuple[str, "pyarrow.Table", Path]]  # (table name, one file's rows, that file)


def _validate_all(read: Read) -> None:
    for name, df, path in read:
        _validate(name, df, path)


def _load(dirs: list[Path], files: list[tuple[Path, Path]] | None = None,
          validate: Callable[[Read], None] = _validate_all) -> Codebook:
    files = _files(dirs) if files is None else files
    read: Read = []
    tables: dict[str, pyarrow.Table] = {}
    sources: dict[str, list[str]] = {}
    rules_by_id: dict[str, dict[str, Any]] = {}
    lexicon: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    for base, path in files:
        rel = path.relative_to(base).with_suffix("").as_posix()
        if path.suffix != ".csv" or rel not in TABLES:
            continue  # extra CSVs (notes, build inputs) are the user's business
        table = _read_csv(path)
        _require_columns(rel, table.column_names, path)  # merging layers needs the key columns
        read.append((rel, table, path))
        tables[rel] = _layer(tables[rel], table, TABLES[rel][0]) if rel in tables else table
        sources.setdefault(rel, []).append(str(path))
    validate(read)  # each file's table as written, before layering
    for base, path in files:
        rel = path.relative_to(base).with_suffix("").as_posix()
        if path.suffix == ".csv":
            continue
        elif rel == "codebook":
            meta.update(_read_yaml(path) or {})
        elif rel.startswith("rules/"):
            data = _read_yaml(path) or []
            if not isinstance(data, list):
                raise CodebookError(f"{path}: a rule file must be a YAML list of rules")
            for i, rule in enumerate(data):
                if not isinstance(rule, dict) or "id" not in rule:
                    raise CodebookError(f"{path}: rule #{i + 1} has no id; every rule needs an id")
                rule = dict(rule)
                rule["_file"] = str(path)
                rules_by_id[str(rule["id"])] = rule  # a layered rule with the same id replaces
        elif rel.startswith("lexicon/"):
            data = _read_yaml(path) or {}
            for k, v in data.items():
                if isinstance(v, list) and isinstance(lexicon.get(k), list):
                    lexicon[k] = lexicon[k] + v
                elif isinstance(v, dict) and isinstance(lexicon.get(k), dict):
                    lexicon[k] = {**lexicon[k], **v}
                else:
                    lexicon[k] = v
    return Codebook(
        dirs=dirs,
        tables=Tables(tables),
        rules=list(rules_by_id.values()),
        lexicon=lexicon,
        meta=meta,
        digest=_digest(files),
        sources=sources,
    )


def _layer(below: pyarrow.Table, above: pyarrow.Table, key: tuple[str, ...]) -> pyarrow.Table:
    """A layer's rows on top of the table below: of the rows with the same key only the last stays,
    at its own position (pandas' `drop_duplicates(keep="last")`); a column only one side has is
    '' on the other."""
    import pyarrow as pa

    names = list(dict.fromkeys(below.column_names + above.column_names))

    def widen(t: pa.Table) -> list[pa.Array]:
        return [t.column(c).combine_chunks() if c in t.column_names else pa.array([""] * len(t), pa.string())
                for c in names]

    both = pa.Table.from_arrays([pa.concat_arrays([a, b]) for a, b in zip(widen(below), widen(above))], names=names)
    keys = zip(*(both.column(k).to_pylist() for k in key))
    last = {k: i for i, k in enumerate(keys)}  # a key's last row wins
    return both.take(pa.array(sorted(last.values()), pa.int64()))


_CACHE: dict[tuple[str, ...], Codebook] = {}


def _dirs(extra: Iterable[Path | str] | None) -> list[Path]:
    dirs = [codebook_dir()] + [Path(p) for p in (extra or [])]
    for d in dirs:
        if not d.is_dir():
            raise CodebookError(f"codebook directory {d} does not exist; pass an existing folder to --codebook")
    return dirs


def codebook_files(extra: Iterable[Path | str] | None = None) -> list[tuple[Path, Path]]:
    """(layer directory, file) of every file of the layered codebook, in load order."""
    return _files(_dirs(extra))


def codebook_digest(extra: Iterable[Path | str] | None = None) -> str:
    """The content hash of the layered codebook, without parsing it (for cache look-ups)."""
    return _digest(_files(_dirs(extra)))


def load_codebook_validating(extra: Iterable[Path | str] | None = None) -> tuple[Codebook, Callable[[], None]]:
    """`load_codebook`, but the tables are validated in a forked child while the caller goes on
    (compiling the coder): call the returned function before trusting the result; it raises the
    first failure as CodebookError. pandas is already loaded by then; pandera never is here."""
    dirs = _dirs(extra)
    files = _files(dirs)
    key = tuple(str(d.resolve()) for d in dirs) + _stamp(files)
    if key in _CACHE:
        return _CACHE[key], lambda: None
    from coding.forked import Pending

    verdicts: list[Pending[None]] = []
    cb = _load(dirs, files, validate=lambda read: verdicts.append(Pending(lambda: _validate_all(read))))

    def check() -> None:
        for v in verdicts:
            v.result()  # raises the validation's CodebookError
        _remember(key, cb)

    return cb, check


def _remember(key: tuple[str, ...], cb: Codebook) -> None:
    if key not in _CACHE and len(_CACHE) >= 8:
        _CACHE.pop(next(iter(_CACHE)))  # old versions of an edited codebook
    _CACHE[key] = cb


def load_codebook(extra: Iterable[Path | str] | None = None) -> Codebook:
    """Load the built-in codebook with `extra` directories layered on top (later wins).

    Results are memoised per process; the compiled matchers are cached on disk by `digest`.
    """
    dirs = _dirs(extra)
    # keyed by each file's size and modification time too: a table edited or added while the
    # process runs (a review session, `evcode codebook inflect`) is read again
    files = _files(dirs)
    key = tuple(str(d.resolve()) for d in dirs) + _stamp(files)
    if key not in _CACHE:
        _remember(key, _load(dirs, files))
    return _CACHE[key]


def split_list(value: str) -> list[str]:
    """Split a `|`-separated codebook cell into its non-empty, stripped items."""
    return [v.strip() for v in str(value).split("|") if v.strip()]


def to_csv_text(df: pd.DataFrame) -> str:
    """Render a table the way the codebook stores it (used by round-trip tests)."""
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return buf.getvalue()
