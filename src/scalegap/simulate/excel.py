"""Render the HR roster as an Excel workbook, byte-for-byte reproducible.

Workbook conventions (what an HR system's "Export to Excel" gives):

* One sheet, ``Employees``; row 1 is the header in bold, one employee per row
  after it, no blank rows, no formulas; column widths fitted to the text.
  (openpyxl stores text as inline strings, where Excel would use a shared-strings
  table; readers handle both.)
* Text cells for everything except ``Hire Date``, which holds real Excel date
  cells (serial numbers with the number format ``dd/mm/yyyy``); the one
  deliberately bad hire date (``31/02/2019``) stays a text cell, as it does when
  somebody types it into Excel.
* E-mails keep their stray surrounding spaces (text cells).

openpyxl stamps the current time into ``docProps/core.xml`` (created and
modified) and into every zip entry. :func:`save_reproducibly` pins both: the
document properties to ``timestamp`` (derived from the simulation calendar) and
the zip entries, rewritten one by one in their original order and compression,
to the same moment (MS-DOS file time, two-second resolution), with fixed
attributes, so identical rows give identical bytes on every run and machine.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

ROSTER_SHEET = "Employees"
HIRE_DATE_FORMAT = "dd/mm/yyyy"
ZIP_FILE_MODE = 0o600 << 16  # what ZipFile.writestr gives an entry named by a string
ZIP_CREATE_SYSTEM = 3  # Unix, whatever the platform the simulation runs on


def roster_workbook(header: Sequence[str], rows: Iterable[Sequence[Any]], timestamp: datetime) -> Workbook:
    """A workbook with the ``Employees`` sheet: bold header, date cells formatted ``dd/mm/yyyy``."""
    workbook = Workbook()
    workbook.properties.created = timestamp
    workbook.properties.modified = timestamp
    sheet = workbook.active
    sheet.title = ROSTER_SHEET
    sheet.append(list(header))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    widths = [len(name) for name in header]
    for number, row in enumerate(rows, start=2):
        sheet.append(list(row))
        for column, value in enumerate(row, start=1):
            if isinstance(value, date):  # datetime is a date too
                sheet.cell(number, column).number_format = HIRE_DATE_FORMAT
        widths = [max(width, len(value) if isinstance(value, str) else 10) for width, value in zip(widths, row)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    return workbook


def save_reproducibly(workbook: Workbook, path: Path, timestamp: datetime) -> Path:
    """Save ``workbook`` to ``path`` with fixed document-property times and zip entry times."""
    workbook.properties.created = timestamp
    workbook.properties.modified = timestamp
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()  # unlike Workbook.save, leaves `modified` alone
    date_time = (
        timestamp.year,
        timestamp.month,
        timestamp.day,
        timestamp.hour,
        timestamp.minute,
        timestamp.second - timestamp.second % 2,
    )
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            pinned = zipfile.ZipInfo(entry.filename, date_time=date_time)
            pinned.compress_type = entry.compress_type
            pinned.external_attr = ZIP_FILE_MODE
            pinned.create_system = ZIP_CREATE_SYSTEM
            target.writestr(pinned, source.read(entry.filename))
    return path


def write_roster_workbook(
    header: Sequence[str], rows: Iterable[Sequence[Any]], path: Path, timestamp: datetime
) -> Path:
    """``hr_roster.xlsx``: see the module docstring."""
    return save_reproducibly(roster_workbook(header, rows, timestamp), path, timestamp)
