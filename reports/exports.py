"""Program exports as streamed CSV and as one streamed XLSX workbook, in constant memory.

Each dataset (reports/datasets.py) is a list of column headings and a generator of rows read
with `.iterator(chunk_size=...)`, so neither format ever holds the whole export. Text that a
spreadsheet would run as a formula (first character =, +, -, @, tab or carriage return) gets a
leading apostrophe in both formats, and XLSX text cells are always written as strings.
"""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from itertools import islice

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.relationship import RelationshipList
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import SHEET_MAIN_NS

from assessment.exports import DANGEROUS_FIRST
from cohorts.models import Cohort, Program

from .datasets import BASE_DATASETS, Dataset
from .participation import PARTICIPATION_DATASETS
from .surveys import SURVEY_DATASETS

CSV_ROWS_PER_CHUNK = 500
XLSX_BYTES_PER_CHUNK = 64 * 1024
XLSX_ROWS_PER_WRITE = 200
# Fast deflate: the XML shrinks about as well, in a fraction of the time of the default 6.
XLSX_COMPRESSION = 1
EXCEL_MAX_TEXT = 32767


DATASETS: dict[str, Dataset] = {
    dataset.slug: dataset for dataset in [*BASE_DATASETS, *PARTICIPATION_DATASETS, *SURVEY_DATASETS]
}


# --- CSV ---------------------------------------------------------------------------------------


def csv_stream(
    dataset: Dataset, *, program: Program, cohort: Cohort | None = None
) -> Iterator[str]:
    """The dataset as CSV text, a few hundred rows per chunk; the heading row comes first,
    before any query runs (its headings are looked up when the stream is made), so the download
    starts at once. Starts with a byte-order mark so spreadsheet programs read the accents
    right."""
    return _csv_chunks(
        dataset, dataset.headers_for(program=program, cohort=cohort), program, cohort
    )


def _csv_chunks(
    dataset: Dataset, headers: list[str], program: Program, cohort: Cohort | None
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # Headings can be a committee's own words (a program question): neutralized like text.
    writer.writerow(["'" + h if h.startswith(DANGEROUS_FIRST) else h for h in headers])
    yield "\ufeff" + buffer.getvalue()
    rows = dataset.rows(program=program, cohort=cohort)
    while True:
        buffer.seek(0)
        buffer.truncate()
        # The csv module writes None as an empty field and numbers as they are; only text
        # can start like a formula. (Inlined: this runs for every cell of 50,000 rows.)
        writer.writerows(
            [
                "'" + value
                if isinstance(value, str) and value.startswith(DANGEROUS_FIRST)
                else value
                for value in row
            ]
            for row in islice(rows, CSV_ROWS_PER_CHUNK)
        )
        if not buffer.tell():
            return
        yield buffer.getvalue()


# --- XLSX --------------------------------------------------------------------------------------


class _Drain(io.RawIOBase):
    """A write-only, unseekable byte sink the zip archive writes into and the response drains."""

    def __init__(self):
        self._chunks: list[bytes] = []
        self.pending = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        self.pending += len(data)
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        self.pending = 0
        return data


class _StreamedSheetsWriter(ExcelWriter):
    """openpyxl's package writer for a write-only workbook whose sheets are already in the zip.

    The worksheets' XML went into the archive entry by entry while the rows were produced (see
    xlsx_stream); this writes the rest of the package as openpyxl always does: workbook,
    styles (with the date formats the sheets use), relationships and content types.
    """

    def write_worksheet(self, ws):
        ws._drawing = SpreadsheetDrawing()
        ws._rels = RelationshipList()
        self.manifest.append(ws)


def _xml_text(text: str) -> str:
    # A bare carriage return would come back as a line feed; &#13; keeps it.
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


_SHEET_TOP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{SHEET_MAIN_NS}"><sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    "</sheetView></sheetViews><sheetData>"
)
_SHEET_TAIL = "</sheetData></worksheet>"


class _SheetRows:
    """Serializes rows to SpreadsheetML <row> elements as text.

    openpyxl's `append` builds a Cell object per value and writes it through several layers:
    about 15,000 cells a second on these machines, minutes for a 50,000-row workbook. This
    writes the same elements directly: text always as an inline string (never a formula, and
    neutralized like the CSV), numbers as numbers, and dates with the date styles openpyxl
    registers in the workbook's stylesheet.
    """

    def __init__(self, sheet, width: int):
        self.letters = [get_column_letter(i) for i in range(1, width + 1)]
        self.datetime_style = WriteOnlyCell(sheet, dt.datetime(2000, 1, 1)).style_id
        self.date_style = WriteOnlyCell(sheet, dt.date(2000, 1, 1)).style_id
        self.count = 0

    def row(self, values) -> str:
        self.count += 1
        number = self.count
        cells = []
        for letter, value in zip(self.letters, values, strict=False):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                text = ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_MAX_TEXT]
                if text.startswith(DANGEROUS_FIRST):
                    text = "'" + text
                cells.append(
                    f'<c r="{letter}{number}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{_xml_text(text)}</t></is></c>"
                )
            elif isinstance(value, bool):
                cells.append(f'<c r="{letter}{number}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float):
                cells.append(f'<c r="{letter}{number}" t="n"><v>{value!r}</v></c>')
            elif isinstance(value, dt.datetime | dt.date):
                style = self.datetime_style if isinstance(value, dt.datetime) else self.date_style
                cells.append(
                    f'<c r="{letter}{number}" s="{style}" t="n"><v>{to_excel(value)!r}</v></c>'
                )
            else:
                text = _xml_text(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
                cells.append(f'<c r="{letter}{number}" t="inlineStr"><is><t>{text}</t></is></c>')
        return f'<row r="{number}">{"".join(cells)}</row>'


def xlsx_stream(
    datasets: Iterable[Dataset], *, program: Program, cohort: Cohort | None = None
) -> Iterator[bytes]:
    """See _xlsx_chunks; the sheets' headings are looked up when the stream is made, so the
    first bytes leave before any query runs."""
    sheets = [
        (dataset, dataset.headers_for(program=program, cohort=cohort)) for dataset in datasets
    ]
    return _xlsx_chunks(sheets, program=program, cohort=cohort)


def _xlsx_chunks(
    sheets: list[tuple[Dataset, list[str]]], *, program: Program, cohort: Cohort | None
) -> Iterator[bytes]:
    """One workbook, a sheet per dataset, streamed: an openpyxl write-only workbook whose
    sheets are written row by row straight into their compressed zip entries, the compressed
    bytes leaving as soon as a chunk is ready. Memory stays flat however many rows there are;
    nothing is written to disk.
    """
    sink = _Drain()
    archive = zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=XLSX_COMPRESSION)
    workbook = Workbook(write_only=True)
    for index, (dataset, headers) in enumerate(sheets, 1):
        sheet = workbook.create_sheet(dataset.title)
        sheet._id = index
        rows = _SheetRows(sheet, len(headers))
        with archive.open(sheet.path[1:], "w") as entry:
            entry.write((_SHEET_TOP + rows.row(headers)).encode())
            if index == 1:
                # The zip's first local header is out: send it so the download starts now.
                yield sink.take()
            values = dataset.rows(program=program, cohort=cohort)
            while batch := [rows.row(row) for row in islice(values, XLSX_ROWS_PER_WRITE)]:
                entry.write("".join(batch).encode())
                if sink.pending >= XLSX_BYTES_PER_CHUNK:
                    yield sink.take()
            entry.write(_SHEET_TAIL.encode())
        if sink.pending:
            yield sink.take()
    _StreamedSheetsWriter(workbook, archive).save()
    yield sink.take()
