"""Table schemas: what every raw input the library parses and every processed file must look like.

Schemas are `pandera <https://pandera.readthedocs.io>`_ ``DataFrameSchema`` objects,
one per table (:func:`schema`).  :func:`validate` checks a table and turns every
problem into one :class:`~analysis.errors.DataSchemaError` that names the file, the
column and, for a bad value, the file line, e.g. a column renamed upstream::

    data/raw/rd_spending/fx_annual_datahub_fred.csv does not have the expected columns:
      column 'Exchange rate' is missing (columns found: Date, Country, Rate)

:func:`read_processed` reads a file of ``data/processed`` and validates it; every
``load_*`` function of the library goes through it, and the fact tables (``data/raw/*/facts.csv``,
schema ``raw:facts``) are read the same way by :func:`read_table`.  It records the files it has checked
(their SHA-256 and the version of these schemas) in a git-ignored ``.validated.json`` beside
them, so unchanged bytes are not checked twice; any change to a file or a schema re-checks it.

>>> import pandas as pd
>>> validate(pd.DataFrame({"output": ["a.csv"], "input": ["k"], "file": ["f"], "sha256": ["0" * 64],
...                        "output_sha256": ["1" * 64]}), "provenance.csv", "provenance.csv").shape
(1, 5)
"""
import hashlib
import io
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import atomic, paths
from analysis.errors import DataSchemaError

_REF = r"^data/raw/[^#]+(#L\d+)?$"
_DATE = r"^\d{4}-\d{2}-\d{2}$"
_SHA256 = r"^[0-9a-f]{64}$"
#: An absolute http(s) address with a host, or nothing (a cited row's URL becomes a link in the report).
WEB_URL = r"^(?:[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+\S*)?$"
#: The columns of a hand-gathered fact table (``data/raw/*/facts.csv``), in order.
FACT_COLUMNS = ("claim_id", "entity", "metric", "period", "value", "unit", "source_title", "source_url", "quote",
                "notes")
#: What the message of a schema failure says to do, by kind of table.
FIX_PROCESSED = ("If the file changed upstream, update its reader and the schema in analysis.data.tables; "
                 "if it is a processed file, run `make data`.")
FIX_FACTS = ("Fix that row of the fact table: the columns are " + ", ".join(FACT_COLUMNS) + "; claim_id, entity, "
             "metric and value are not empty, and source_url is empty or an http(s) address.")


def _schemas() -> dict:
    import pandera.pandas as pa  # imported here: ~0.4 s, needed only when a table is checked

    def col(dtype, *checks, nullable=False, **kw):
        return pa.Column(dtype, checks=list(checks), nullable=nullable, coerce=True, **kw)

    text = pa.Check.str_length(min_value=1)
    return {
        # processed files (data/processed)
        "rd_scoreboard.csv": pa.DataFrameSchema({
            "edition": col(int, pa.Check.isin([2017, 2018, 2019, 2020])),
            "world_rank": col(int, pa.Check.ge(1)),
            "rank": col(int, pa.Check.ge(1)),
            "company": col(str, text),
            "country": col(str, nullable=True),
            "industry": col(str, nullable=True),
            "rd_eur_m": col(float, pa.Check.ge(0)),
            "net_sales_eur_m": col(float, nullable=True),
            "line": col(int, pa.Check.ge(2)),
        }, strict=True, ordered=True),
        "fx_annual.csv": pa.DataFrameSchema({
            "source": col(str, pa.Check.isin(["fed_g5a", "fred_datahub"])),
            "year": col(int, pa.Check.in_range(1950, 2100)),
            "currency": col(str, pa.Check.isin(["CNY", "EUR"])),
            "per_usd": col(float, pa.Check.gt(0)),
            "published_as": col(str, text),
            "ref": col(str, pa.Check.str_matches(_REF)),
            "url": col(str, pa.Check.str_startswith("http")),
        }, strict=True, ordered=True, unique=["source", "year", "currency"]),
        "provenance.csv": pa.DataFrameSchema({
            "output": col(str, text),
            "input": col(str, text),
            "file": col(str, text),
            "sha256": col(str, pa.Check.str_matches(_SHA256)),
            "output_sha256": col(str, pa.Check.str_matches(_SHA256)),
        }, strict=True, ordered=True),
        "world_population.csv": pa.DataFrameSchema({
            "source": col(str, pa.Check.isin(["world_bank", "un_wpp2019", "un_wpp2022"])),
            "vintage": col(str, text),
            "year": col(int, pa.Check.in_range(1950, 2100)),
            "population": col(int, pa.Check.in_range(5e9, 1e10)),
            "basis": col(str, text),
            "file": col(str, text),
            "line": col(int, pa.Check.ge(2)),
        }, strict=True, ordered=True, unique=["source", "vintage", "year", "basis"]),
        "cmvp_certificates.csv": pa.DataFrameSchema({
            "certificate_number": col(int, pa.Check.ge(1)),
            "vendor": col(str, text),
            "vendor_name": col(str, text),
            "status": col(str, text),
            "standard": col(str, pa.Check.str_startswith("FIPS 140")),
            "module_name": col(str, text),
            "module_type": col(str, nullable=True),
            "overall_level": col(int, pa.Check.in_range(1, 4)),
            "first_validation_date": col(str, pa.Check.str_matches(_DATE)),
            "initial_lab": col(str, nullable=True),
            "line": col(int, pa.Check.ge(2)),
        }, strict=True, ordered=True, unique=["certificate_number"]),
        "cc_active_peers.csv": pa.DataFrameSchema({
            "vendor": col(str, text),
            "manufacturer": col(str, text),
            "product": col(str, text),
            "category": col(str, nullable=True),
            "scheme": col(str, text),
            "assurance_level": col(str, nullable=True),
            "eal": col(float, pa.Check.in_range(1, 7), nullable=True),
            "certification_date": col(str, pa.Check.str_matches(_DATE)),
            "line": col(int, pa.Check.ge(2)),
        }, strict=True, ordered=True),
        "registry_levels_by_year.csv": pa.DataFrameSchema({
            "registry": col(str, pa.Check.isin(["cmvp", "cc_active"])),
            "year": col(int, pa.Check.in_range(1990, 2100)),
            "level": col(int, pa.Check.in_range(1, 7)),
            "certificates": col(int, pa.Check.ge(1)),
            "first_date": col(str, pa.Check.str_matches(_DATE)),
        }, strict=True, ordered=True),
        "ebola_sierra_leone.csv": pa.DataFrameSchema({
            "series": col(str, pa.Check.isin(["cdc", "who"])),
            "date": col(str, pa.Check.str_matches(_DATE)),
            "cases": col(float, pa.Check.ge(0), nullable=True),
            "deaths": col(float, pa.Check.ge(0), nullable=True),
            "cases_raw": col(float, pa.Check.ge(0), nullable=True),
            "deaths_raw": col(float, pa.Check.ge(0), nullable=True),
            "fix_cases": col(str, nullable=True),
            "fix_deaths": col(str, nullable=True),
            "line": col(int, pa.Check.ge(2)),
        }, strict=True, ordered=True),
        "ebola_sierra_leone_who_gho.csv": pa.DataFrameSchema({
            "key": col(str, pa.Check.str_startswith("ebola_who_gho_")),
            "as_of": col(str, pa.Check.str_matches(_DATE)),
            "episode": col(str, text),
            "case_definition": col(str, text),
            "cases": col(float, pa.Check.ge(0), nullable=True),
            "deaths": col(float, pa.Check.ge(0), nullable=True),
            "line": col(int, pa.Check.ge(2)),
        }, strict=True, ordered=True),
        "earthquake_deaths_japan.csv": pa.DataFrameSchema({
            "entity": col(str, pa.Check.eq("Japan")),
            "year": col(int),
            "deaths": col(int, pa.Check.ge(1)),
            "line": col(int, pa.Check.ge(2)),
        }, strict=True, ordered=True),
        "cve_counts.csv": pa.DataFrameSchema({
            "vendor": col(str, text),
            "year": col(int, pa.Check.in_range(1988, 2100)),
            "severity": col(str, pa.Check.isin(["CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE", "UNSCORED"])),
            "cves": col(int, pa.Check.ge(1)),
        }, strict=True, ordered=True, unique=["vendor", "year", "severity"]),
        "cve_coverage.csv": pa.DataFrameSchema({
            "feed_year": col(int, pa.Check.in_range(2002, 2100)),
            "file": col(str, pa.Check.str_startswith("incidents/nvd_feeds/")),
            "feed_timestamp": col(str, text),
            "cves_total": col(int, pa.Check.ge(1)),
            "rejected": col(int, pa.Check.ge(0)),
            "published_first": col(str, pa.Check.str_matches(_DATE)),
            "published_last": col(str, pa.Check.str_matches(_DATE)),
            "published_same_year": col(int, pa.Check.ge(0)),
        }, strict=True, ordered=True, unique=["feed_year"]),
        "multiverse.csv": pa.DataFrameSchema({
            "claim_id": col(str, pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$")),
            "spec_id": col(str, pa.Check.str_matches(r"^[0-9a-f]{12}$")),
            "headline": col(bool),
            "defensible": col(bool),
            "choices": col(str, pa.Check.str_startswith("{")),
            "measured_value": col(str, nullable=True),
            "measured_number": col(float, nullable=True),
            "unit": col(str, nullable=True),
            "verdict": col(str, pa.Check.isin(["supported", "supported with caveats", "company figures only",
                                               "conflicting", "not supported", "not checkable"])),
            "rule": col(str, text),
            "datasets": col(str, nullable=True),
        }, strict=True, ordered=True, unique=["claim_id", "spec_id"]),
        # raw inputs, as read (all text) before parsing
        "raw:facts": pa.DataFrameSchema({
            **{name: col(str, text) for name in ("claim_id", "entity", "metric")},
            "period": col(str),
            "value": col(str, text),
            "unit": col(str),
            "source_title": col(str),
            "source_url": col(str, pa.Check.str_matches(WEB_URL, error="empty or an http(s) address")),
            "quote": col(str),
            "notes": col(str),
        }, strict=True, ordered=True),
        "raw:source_ties": pa.DataFrameSchema({
            "claimant": col(str, text),
            "author": col(str, text),
            "tie": col(str, pa.Check.isin(["wrote", "commissioned", "retained"])),
            "basis": col(str, text),
            "evidence": col(str, pa.Check.str_startswith("facts_")),
        }, strict=True, ordered=True, unique=["claimant", "author"]),
        "raw:source_entities": pa.DataFrameSchema({
            **{name: col(str, text) for name in ("entity", "member", "relation")},
            "since": col(str, pa.Check.str_matches(r"^(\d{4}-\d{2}-\d{2})?$", error="empty or YYYY-MM-DD")),
            "grouped": col(str, pa.Check.isin(["yes", "no"])),
            "cve_vendor_strings": col(str),
            "registry_names": col(str),
            "basis": col(str, text),
        }, strict=True, ordered=True, unique=["entity", "member"]),
        "raw:fx_annual_fred": pa.DataFrameSchema({
            "Date": col(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
            "Country": col(str, text),
            "Exchange rate": col(str, nullable=True),
        }),
    }


@lru_cache(maxsize=None)
def schema(name):
    """The schema of table ``name`` (a processed file name, ``raw:<dataset key>``, or ``raw:facts`` for
    every fact table).

    >>> list(schema("provenance.csv").columns)
    ['output', 'input', 'file', 'sha256', 'output_sha256']
    """
    schemas = _schemas()
    try:
        return schemas[name]
    except KeyError:
        raise KeyError(f"no schema for table {name!r}; known: {', '.join(schemas)}") from None


def known() -> list:
    """Names of every table with a schema."""
    return list(_schemas())


def _describe(failures, frame, line_offset) -> list:
    lines = []
    for case in failures.itertuples(index=False):
        column, check, value = case.column, str(case.check), case.failure_case
        if check == "column_in_dataframe":
            lines.append(f"column {value!r} is missing (columns found: {', '.join(map(str, frame.columns))})")
        elif check == "column_in_schema":
            lines.append(f"column {value!r} is not expected (a column added or renamed upstream?)")
        elif check == "column_ordered":
            lines.append(f"column {value!r} is out of order")
        elif column is None or (isinstance(column, float) and pd.isna(column)):
            lines.append(f"{check}: {value!r}")
        else:
            where = "" if pd.isna(case.index) else f" at line {int(case.index) + line_offset}"
            lines.append(f"column {column!r}{where}: value {value!r} fails {check}")
    unique = list(dict.fromkeys(lines))
    return unique[:10] + ([f"... and {len(unique) - 10} more"] if len(unique) > 10 else [])


def validate(frame, name, source, line_offset=2, fix=FIX_PROCESSED) -> pd.DataFrame:
    """``frame`` checked (and coerced) against schema ``name``; a DataSchemaError names ``source``
    (the file), each bad column and, for bad values, the file line (row index + ``line_offset``),
    then ``fix``."""
    import pandera.errors

    try:
        return schema(name).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        problems = _describe(exc.failure_cases, frame, line_offset)
        raise DataSchemaError(f"{source} does not have the expected columns or values:\n  "
                              + "\n  ".join(problems) + f"\n{fix}") from None


def read_processed(name, folder=None, **read_csv) -> pd.DataFrame:
    """A file of ``data/processed`` (or ``folder``), validated against its schema and returned as
    ``pandas.read_csv(path, **read_csv)`` reads it (validation checks, it does not convert).

    >>> read_processed("fx_annual.csv")["currency"].unique().tolist()
    ['CNY', 'EUR']
    """
    path = (folder or paths.PROCESSED) / name
    if not path.is_file():
        raise DataSchemaError(f"{path} is missing: run `make data` (or `python -m analysis build-data`)")
    return read_table(path, name, **read_csv)


def read_table(path, schema_name, fix=FIX_PROCESSED, **read_csv) -> pd.DataFrame:
    """The CSV file ``path`` as ``pandas.read_csv(path, **read_csv)`` reads it, validated against schema
    ``schema_name`` unless these bytes were already validated under these schemas (the record
    ``.validated.json`` beside the file); a failure names the file, the line and the column, then ``fix``.
    """
    path = Path(path)
    data = path.read_bytes()
    frame = pd.read_csv(io.BytesIO(data), **read_csv)
    stamp = f"{hashlib.sha256(data).hexdigest()} {_schema_version()}"
    if _validated(path.parent).get(path.name) != stamp:  # these bytes, under these schemas, not yet checked
        try:
            shown = path.relative_to(paths.ROOT)
        except ValueError:
            shown = path
        validate(frame.copy(), schema_name, shown, fix=fix)
        _record_validated(path.parent, path.name, stamp)
    return frame


#: Where read_processed records the files it has validated (bytes and schema version), so that the
#: same bytes are not checked again: a local, git-ignored record; a change of either re-validates.
VALIDATED_FILE = ".validated.json"


@lru_cache(maxsize=None)
def _schema_version() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _validated(folder) -> dict:
    try:
        return json.loads((folder / VALIDATED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _record_validated(folder, name, stamp) -> None:
    record = {**_validated(folder), name: stamp}
    try:
        atomic.write_text(folder / VALIDATED_FILE, json.dumps(record, indent=1, sort_keys=True) + "\n")
    except OSError:  # a read-only checkout: validate every time instead
        pass
