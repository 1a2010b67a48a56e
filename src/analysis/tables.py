"""Table schemas: what every raw input the library parses and every processed file must look like.

Schemas are `pandera <https://pandera.readthedocs.io>`_ ``DataFrameSchema`` objects,
one per table (:func:`schema`).  :func:`validate` checks a table and turns every
problem into one :class:`~analysis.errors.DataSchemaError` that names the file, the
column and, for a bad value, the file line, e.g. a column renamed upstream::

    data/raw/rd_spending/fx_annual_datahub_fred.csv does not have the expected columns:
      column 'Exchange rate' is missing (columns found: Date, Country, Rate)

:func:`read_processed` reads a file of ``data/processed`` and validates it; every
``load_*`` function of the library goes through it.

>>> import pandas as pd
>>> validate(pd.DataFrame({"output": ["a.csv"], "input": ["k"], "file": ["f"], "sha256": ["0" * 64]}),
...          "provenance.csv", "provenance.csv").shape
(1, 4)
"""
from functools import lru_cache

import pandas as pd

from analysis import paths
from analysis.errors import DataSchemaError

_REF = r"^data/raw/[^#]+(#L\d+)?$"


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
            "sha256": col(str, pa.Check.str_matches(r"^[0-9a-f]{64}$")),
        }, strict=True, ordered=True),
        # raw inputs, as read (all text) before parsing
        "raw:fx_annual_fred": pa.DataFrameSchema({
            "Date": col(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
            "Country": col(str, text),
            "Exchange rate": col(str, nullable=True),
        }),
    }


@lru_cache(maxsize=None)
def schema(name):
    """The schema of table ``name`` (a processed file name, or ``raw:<dataset key>``).

    >>> list(schema("provenance.csv").columns)
    ['output', 'input', 'file', 'sha256']
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


def validate(frame, name, source, line_offset=2) -> pd.DataFrame:
    """``frame`` checked (and coerced) against schema ``name``; a DataSchemaError names ``source``
    (the file), each bad column and, for bad values, the file line (row index + ``line_offset``)."""
    import pandera.errors

    try:
        return schema(name).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        problems = _describe(exc.failure_cases, frame, line_offset)
        raise DataSchemaError(f"{source} does not have the expected columns or values:\n  "
                              + "\n  ".join(problems)
                              + "\nIf the file changed upstream, update its reader and the schema in "
                                "analysis.tables; if it is a processed file, run `make data`.") from None


def read_processed(name, folder=None) -> pd.DataFrame:
    """A file of ``data/processed`` (or ``folder``), read and validated against its schema.

    >>> read_processed("fx_annual.csv")["currency"].unique().tolist()
    ['CNY', 'EUR']
    """
    path = (folder or paths.PROCESSED) / name
    if not path.is_file():
        raise DataSchemaError(f"{path} is missing: run `make data` (or `python -m analysis build-data`)")
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    try:
        shown = path.relative_to(paths.ROOT)
    except ValueError:
        shown = path
    return validate(frame, name, shown)
