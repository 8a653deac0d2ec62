"""Reading an uploaded file into rows of cells: xlsx, or csv as Danish Excel writes it.

Refused with a Danish message (``FileRefused``), before anything is read into the database: a
file over the size or row limit, a macro-enabled workbook, a zip bomb, a formula, an old .xls,
anything that is not a readable xlsx or csv.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls and other pre-2007 Office files
MAX_UNPACKED = 200 * 1024 * 1024  # what a workbook may unpack to
MAX_RATIO = 100  # compressed to unpacked, per part


class FileRefused(ValueError):
    """The file cannot be imported; the message says why, in Danish."""


@dataclass
class Table:
    header: list[str]
    rows: list[list[object]]  # cells as read: str (csv), or str/int/float/datetime (xlsx)
    kind: str  # "xlsx" | "csv"
    delimiter: str = ""
    encoding: str = ""


def read_table(content: bytes, filename: str, max_bytes: int, max_rows: int) -> Table:
    if len(content) > max_bytes:
        raise FileRefused(_l("Filen er for stor: højst %(mb)s MB.", mb=max_bytes // (1024 * 1024)))
    if not content.strip():
        raise FileRefused(_l("Filen er tom."))
    name = filename.lower()
    if name.endswith((".xlsm", ".xltm", ".xlsb")):
        raise FileRefused(_l("Filen er en projektmappe med makroer. Gem den som almindelig .xlsx eller .csv."))
    if content.startswith(OLE_MAGIC):
        raise FileRefused(_l("Filen er i det gamle Excel-format (.xls). Gem den som .xlsx eller .csv."))
    if content.startswith(XLSX_MAGIC):
        table = _read_xlsx(content, max_rows)
    else:
        table = _read_csv(content, max_rows)
    if not table.header or not any(str(h).strip() for h in table.header):
        raise FileRefused(_l("Filen har ingen overskrifter i første række."))
    return table


def _read_xlsx(content: bytes, max_rows: int) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(_l("Filen kan ikke læses som et Excel-ark (.xlsx). Er den beskadiget?")) from None
    names = {p.filename for p in parts}
    content_types = ""
    if "[Content_Types].xml" in names:
        try:
            content_types = archive.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace")
        except (zipfile.BadZipFile, OSError, RuntimeError):
            content_types = ""
    if "xl/vbaProject.bin" in names or "macroEnabled" in content_types:
        raise FileRefused(_l("Filen er en projektmappe med makroer. Gem den som almindelig .xlsx eller .csv."))
    total = sum(p.file_size for p in parts)
    if total > MAX_UNPACKED or any(p.compress_size and p.file_size / p.compress_size > MAX_RATIO and p.file_size > 1_000_000
                                   for p in parts):
        raise FileRefused(_l("Filen pakker sig ud til langt mere end den fylder (en zip-bombe?). Den er ikke læst."))
    if "xl/workbook.xml" not in names:
        raise FileRefused(_l("Filen kan ikke læses som et Excel-ark (.xlsx). Er den beskadiget?"))
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        rows: list[list[object]] = []
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                if getattr(cell, "data_type", None) == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                    raise FileRefused(_l("Filen indeholder formler (fx i celle %(cell)s). Kopiér og indsæt som værdier, og prøv igen.",
                                         cell=getattr(cell, "coordinate", "?")))
                cells.append(cell.value)
            if any(c not in (None, "") for c in cells):
                rows.append(cells)
            if len(rows) > max_rows + 1:
                raise FileRefused(_l("Filen har mere end %(n)s rækker.", n=f"{max_rows:,}".replace(",", ".")))
        book.close()
    except FileRefused:
        raise
    except Exception:  # openpyxl raises many kinds on a broken workbook
        raise FileRefused(_l("Filen kan ikke læses som et Excel-ark (.xlsx). Er den beskadiget?")) from None
    if not rows:
        raise FileRefused(_l("Filen er tom."))
    return Table([("" if h is None else str(h)).strip() for h in rows[0]], rows[1:], "xlsx")


def _decode(content: bytes) -> tuple[str, str]:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", "replace"), "utf-8-sig"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return content.decode("cp1252", "replace"), "cp1252"


def _read_csv(content: bytes, max_rows: int) -> Table:
    if b"\x00" in content[:4096]:
        raise FileRefused(_l("Filen er hverken et Excel-ark (.xlsx) eller en tekstfil (.csv)."))
    text, encoding = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[object]] = []
    try:
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            for i, cell in enumerate(row):
                if cell.strip().startswith("="):
                    raise FileRefused(_l("Filen indeholder formler (fx i række %(row)s). Kopiér og indsæt som værdier, og prøv igen.",
                                         row=len(rows) + 1))
            rows.append(row)
            if len(rows) > max_rows + 1:
                raise FileRefused(_l("Filen har mere end %(n)s rækker.", n=f"{max_rows:,}".replace(",", ".")))
    except csv.Error:
        raise FileRefused(_l("Filen kan ikke læses som CSV.")) from None
    if not rows:
        raise FileRefused(_l("Filen er tom."))
    return Table([str(h).strip() for h in rows[0]], rows[1:], "csv", delimiter, encoding)
