"""The limits every imported file meets, row by row, and the child process that reads workbooks.

`bounded_rows` walks the rows of any file (CSV, JSON or a workbook's first sheet) and keeps the
non-empty ones with their line numbers, refusing with a `Limit` a cell longer than stated, a value
beyond the last column read, more rows than an import takes, or values after a long run of empty
rows (a stray cell far below the data, which would otherwise be lost without a word).

A workbook is read by python-calamine, which expands the whole sheet in memory before giving the first
row: a file of a few kilobytes may ask for gigabytes (a cell at XFD1048576, a value repeated over a
million rows). So workbooks are read in a child process (`read_in_child`) under a memory and CPU
limit; when it dies, only the child does. This module is run as that child's script: it imports
nothing but the standard library and python-calamine, so that the child starts in a few milliseconds.
"""

import datetime
import io
import json
import pickle
import resource
import subprocess
import sys

import python_calamine


class Limit(Exception):  # noqa: N818 - a refusal, reported to people, not a programming error
    """A file beyond a limit: `code` names which, `params` say where (line, column, sizes)."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


def bounded_rows(rows, *, max_rows, max_columns, max_cell_length, max_empty_run):
    """(line, values) of the non-empty rows of `rows` (lists of cells), trailing empty cells removed.

    Lines count from 1, empty rows included, so that "line 14" is line 14 in the spreadsheet. At most
    one header and `max_rows` data rows are read: one more raises Limit("rows").
    """
    kept = 0
    empty_run = 0
    for line, values in enumerate(rows, 1):
        last = len(values)
        while last and _is_empty(values[last - 1]):
            last -= 1
        if not last:
            empty_run += 1
            continue
        if last > max_columns:
            raise Limit("columns", line=line, column=last, limit=max_columns)
        values = [_clean(value) for value in values[:last]]
        for column, value in enumerate(values, 1):
            if isinstance(value, str) and len(value) > max_cell_length:
                raise Limit("cell", line=line, column=column, length=len(value), limit=max_cell_length)
        if kept and empty_run >= max_empty_run:
            raise Limit("gap", line=line, empty=empty_run)
        empty_run = 0
        kept += 1
        if kept > max_rows + 1:
            raise Limit("rows", limit=max_rows)
        yield line, values


def _is_empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _clean(value):
    if _is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time.min:
        return value.date()
    return value


# --- The workbook reader, in a child process ---------------------------------------------------------
class ReaderFailed(Exception):  # noqa: N818 - the child's outcome, turned into a French message
    """The child could not read the workbook: `code` is "damaged", "memory" or "time"."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def read_in_child(data, *, memory, seconds, **limits):
    """The bounded rows of the first sheet of workbook `data`, read by this module in a child process
    allowed `memory` bytes of address space and `seconds` of time. Raise Limit or ReaderFailed."""
    command = [sys.executable, "-I", __file__, json.dumps({"memory": memory, "seconds": seconds, **limits})]
    try:
        child = subprocess.run(command, input=data, capture_output=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired as error:
        raise ReaderFailed("time") from error
    try:
        outcome = pickle.loads(child.stdout)  # noqa: S301 - written by this very module, below
    except Exception as error:
        # No outcome at all: the child was killed, by the memory limit (an allocation failure aborts a
        # Rust library) or by the CPU one.
        raise ReaderFailed("time" if child.returncode == -24 else "memory") from error  # -SIGXCPU
    if "limit" in outcome:
        raise Limit(outcome["limit"], **outcome["params"])
    if "failed" in outcome:
        raise ReaderFailed(outcome["failed"])
    return outcome["rows"]


def _child_main():
    settings = json.loads(sys.argv[1])
    memory, seconds = settings.pop("memory"), settings.pop("seconds")
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    data = sys.stdin.buffer.read()
    try:
        outcome = {"rows": list(bounded_rows(_sheet_rows(data), **settings))}
    except Limit as limit:
        outcome = {"limit": limit.code, "params": limit.params}
    except MemoryError:
        outcome = {"failed": "memory"}
    except Exception:  # calamine's errors, whatever their type: the file is not a readable workbook
        outcome = {"failed": "damaged"}
    sys.stdout.buffer.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


def _sheet_rows(data):
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    # Rows come from the first line of the sheet, but from the first column that holds data: the
    # columns before it are given back, so that column letters in messages are the sheet's own.
    skipped = [""] * (sheet.start[1] if sheet.start else 0)
    for values in sheet.iter_rows():
        yield skipped + values if skipped else values


if __name__ == "__main__":
    _child_main()
