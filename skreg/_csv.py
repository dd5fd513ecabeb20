"""CSV files of the command line: reading a table of numeric columns, writing predictions.

Two back ends read the same way: pandas' tokenizer when pandas is installed, Python's csv module
otherwise. Both hand the cells over as text, and one conversion turns text into numbers, so
that a file means the same with either back end:

- a cell is a number when Python's ``float`` reads it (surrounding spaces ignored; ``inf``
  reads as infinity and is reported as such), ``true`` / ``false`` (any case) are 1 / 0;
- the missing-value markers are `MISSING` (any letter case, surrounding spaces ignored);
- anything else makes the column non-numeric.

Blank lines are skipped; a row with fewer fields than the header has empty (missing) cells at
its end, a row with more fields is an error.

The header row is read first, by the csv module: names are stripped of surrounding spaces, a
nameless column is called ``unnamed_K`` (K its position from 1), and duplicate names are an
error. The separator is sniffed from the start of the file (``,``, ``;``, tab or ``|``) unless
given.
"""

import csv
import io
import os
import warnings

import numpy as np

# Missing-value markers, compared after stripping spaces and lower-casing.
MISSING = ("", "na", "n/a", "nan", "null", "none")
SEPARATORS = ",;\t|"
_SNIFF_BYTES = 64 * 1024


class CSVError(ValueError):
    """A CSV file that cannot be used (reported on one line)."""


class Table:
    """The columns of a CSV file as text, converted to float on demand."""

    def __init__(self, path, names, cells, line_numbers, sep):
        self.path = path
        self.names = names
        self.cells = cells  # (n_rows, n_columns) array of str
        self.line_numbers = line_numbers  # file line of each data row
        self.sep = sep

    @property
    def n_rows(self):
        return self.cells.shape[0]

    def check_columns(self, wanted, what="column"):
        """CSVError naming the columns of `wanted` that the file does not have."""
        missing = [c for c in wanted if c not in self.names]
        if not missing:
            return
        listed = ", ".join(repr(c) for c in missing)
        hint = ""
        other = [s for s in SEPARATORS if s != self.sep and any(s in n for n in self.names)]
        if other:
            hint = (f" (the header contains {other[0]!r}: if it separates the columns, "
                    f"pass --sep {other[0]!r})")
        raise CSVError(
            f"{what}{'s' if len(missing) > 1 else ''} {listed} not found in {self.path}; "
            f"available columns: {_listing(self.names)}{hint}")

    def numeric(self, columns, hint="encode it as numbers first"):
        """float64 array (n_rows, len(columns)); CSVError for non-numeric columns (with
        `hint`) or missing / infinite values."""
        self.check_columns(columns)
        values = [to_float(self.cells[:, self.names.index(c)]) for c in columns]
        bad = [c for c, v in zip(columns, values) if v is None]
        if bad:
            cells = np.char.strip(self.cells[:, self.names.index(bad[0])])
            if np.char.count(cells, ",").any() and to_float(np.char.replace(cells, ",", ".")) \
                    is not None:
                hint = "decimal commas are not read: use decimal points"
            raise CSVError(
                f"non-numeric column{'s' if len(bad) > 1 else ''} in {self.path}: "
                f"{', '.join(repr(c) for c in bad)} ({hint})")
        X = np.column_stack(values) if values else np.empty((self.n_rows, 0))
        self._check_finite(X, columns)
        return X

    def _check_finite(self, X, columns):
        finite = np.isfinite(X)
        if finite.all():
            return
        bad_columns = np.flatnonzero(~finite.all(axis=0))
        j = int(bad_columns[0])
        i = int(np.flatnonzero(~finite[:, j])[0])
        kind = "missing value" if np.isnan(X[i, j]) else "infinite value"
        others = [columns[k] for k in bad_columns[1:]]
        also = f"; also in {', '.join(repr(c) for c in others)}" if others else ""
        raise CSVError(
            f"{kind} in column {columns[j]!r} of {self.path}: first at row {i + 1} "
            f"(line {self.line_numbers[i]}), {int((~finite[:, j]).sum())} in that column{also}"
            f"; fill or drop those rows first (missing markers: empty, {', '.join(MISSING[1:])})")


def _listing(names):
    """Column names for a message: as they are, quoted when one holds a comma (so that
    "id, code" reads as one name)."""
    if any("," in name for name in names):
        return ", ".join(repr(name) for name in names)
    return ", ".join(names)


def to_float(cells):
    """float64 array of the text cells, or None when a cell is neither a number, a missing
    marker nor true/false."""
    text = np.char.lower(np.char.strip(np.asarray(cells, dtype=str)))
    out = np.full(text.shape, np.nan)
    missing = np.isin(text, MISSING)
    true, false = text == "true", text == "false"
    out[true], out[false] = 1.0, 0.0
    rest = ~(missing | true | false)
    try:
        out[rest] = text[rest].astype(np.float64)
    except (ValueError, OverflowError):
        return None
    nan_text = rest & np.isnan(out)  # e.g. "-nan", "+nan": missing as well
    out[nan_text] = np.nan
    return out


# ------------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------------


def _import_pandas():
    """pandas, or None when it is not installed (pandas is optional)."""
    try:
        import pandas
    except ImportError:
        return None
    return pandas


def _sample(path):
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            return f.read(_SNIFF_BYTES)
    except UnicodeDecodeError:
        raise CSVError(f"cannot read {path}: not UTF-8 text (save it as UTF-8)") from None
    except OSError as exc:
        raise CSVError(f"cannot read {path}: {exc.strerror}") from None


def sniff_separator(sample):
    """The column separator of a CSV text sample: one of `SEPARATORS`, ',' when unsure."""
    lines = [line for line in sample.splitlines() if line.strip()][:20]
    if not lines:
        return ","
    if len(lines) > 1 and len(sample) >= _SNIFF_BYTES:
        lines = lines[:-1]  # possibly cut
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=SEPARATORS).delimiter
    except csv.Error:
        counts = {s: lines[0].count(s) for s in SEPARATORS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _header(path, sample, sep):
    """Column names of the header row (stripped, nameless ones named, no duplicates)."""
    try:
        row = next(csv.reader(io.StringIO(sample), delimiter=sep), None)
    except csv.Error as exc:
        raise CSVError(f"cannot parse the header of {path}: {exc}") from None
    if row is None or not any(v.strip() for v in row):
        raise CSVError(f"{path} is empty (a header row and data rows are needed)")
    names = [v.strip() or f"unnamed_{k}" for k, v in enumerate(row, 1)]
    seen = {}
    for k, name in enumerate(names, 1):
        if name in seen:
            raise CSVError(
                f"duplicate column name {name!r} in {path} (columns {seen[name]} and {k}; "
                "names are compared without surrounding spaces): rename one of them")
        seen[name] = k
    return names


def _rows_pandas(pd, path, sep, names):
    """(cells, file line of each row) read by pandas' tokenizer."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)  # longer rows
            df = pd.read_csv(path, sep=sep, header=0, names=names, index_col=False, dtype=str,
                             na_filter=False, keep_default_na=False, encoding="utf-8-sig",
                             skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError) as exc:
        raise CSVError(f"cannot parse {path} as CSV: {_last_line(exc)}") from None
    cells = df.to_numpy(dtype=str).reshape(len(df), len(names))
    return _drop_blank(cells, np.arange(2, len(cells) + 2))


def _last_line(exc):
    lines = [line for line in str(exc).strip().splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__


def _rows_csv(path, sep, names):
    """(cells, file line of each row) read by the csv module."""
    rows, lines = [], []
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f, delimiter=sep)
            next(reader, None)
            for row in reader:
                if len(row) > len(names):
                    raise CSVError(
                        f"cannot parse {path} as CSV: line {reader.line_num} has {len(row)} "
                        f"fields, the header has {len(names)}")
                rows.append(row + [""] * (len(names) - len(row)))
                lines.append(reader.line_num)
    except csv.Error as exc:
        raise CSVError(f"cannot parse {path} as CSV: {exc}") from None
    cells = np.array(rows, dtype=str).reshape(len(rows), len(names))
    return _drop_blank(cells, np.array(lines, dtype=np.int64))


def _drop_blank(cells, lines):
    """Rows with at least one non-blank cell (blank lines are skipped), and their lines.
    A row with fewer fields than the header has empty (missing) cells at its end."""
    keep = (np.char.str_len(np.char.strip(cells)) > 0).any(axis=1) if cells.size else \
        np.zeros(cells.shape[0], dtype=bool)
    return cells[keep], lines[keep]


def read_csv(path, sep=None):
    """Read a CSV file with a header row into a `Table` (pandas' tokenizer if installed,
    else the csv module); `sep` None sniffs the separator."""
    if not os.path.exists(path):
        raise CSVError(f"file not found: {path}")
    if os.path.isdir(path):
        raise CSVError(f"{path} is a directory, not a CSV file")
    sample = _sample(path)
    if sep is None:
        sep = sniff_separator(sample)
    names = _header(path, sample, sep)
    pd = _import_pandas()
    try:
        if pd is not None:
            cells, lines = _rows_pandas(pd, path, sep, names)
        else:
            cells, lines = _rows_csv(path, sep, names)
    except UnicodeDecodeError:
        raise CSVError(f"cannot read {path}: not UTF-8 text (save it as UTF-8)") from None
    if not len(cells):
        raise CSVError(f"{path} has a header but no data rows")
    return Table(path, names, cells, lines, sep)


# ------------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------------


def write_csv(f, header, columns, fmt="{:.10g}"):
    """Write named columns to the text file `f`, quoting names and values as needed: numbers
    formatted with `fmt`, text (cells carried over from an input file) as it is."""
    writer = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in zip(*columns):
        writer.writerow([v if isinstance(v, str) else fmt.format(float(v)) for v in row])
