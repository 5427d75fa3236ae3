"""A corpus of hostile and broken workbooks, built by the tests themselves.

Every file is the canonical 素社街 workbook (builders.py: 13 indicators of 附件1, 7 months of
附件2) in some disguise, or a file that must be refused. `CASES` lists them with what reading
each must give: the figures it must read (`Read`), or the kind and words of its refusal
(`Refused`). `build_corpus(directory)` writes them all and returns the cases it could build
(those needing LibreOffice are left out, with the reason, when it is missing).

Positions in the canonical 附件1 (see builders.canonical_annex1): title lines in rows 1–4,
header rows 5–6, indicators in rows 7–19 (电话访问 row 7, 入户探访 8, 个案接案 9, 个案服务节数
10, 个案结案 11, 小组个数 12 …, 志愿者队伍 19); columns A 服务类别, B 指标名称, C 单位, D 协议指标量,
E 完成量, F 完成率, G 备注.
"""

from __future__ import annotations

import html
import io
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import builders as b
from builders import INDICATORS, Formula, Grid, Pct

__all__ = ["CANONICAL", "CASES", "HTML_INJECTED", "HTML_OPERATOR", "PWNED", "Case", "NoTable", "Read",
           "Refused", "build_corpus", "injected_workbook"]

# (target, completed) per indicator, as the canonical workbook states them
CANONICAL: dict[str, tuple[float | None, float | None]] = {
    i.name: (float(i.target), float(i.completed)) for i in INDICATORS
}
ROW = {i.name: 7 + n for n, i in enumerate(INDICATORS)}  # Excel row of each indicator


# ------------------------------------------------------------------------------ verdicts


@dataclass(frozen=True)
class Read:
    """Read: these figures (changes to the canonical ones), these problems (cell or sheet,
    code, and a regex its message must match where the wording matters, else "")."""

    format: str
    figures: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    problems: tuple[tuple[str | None, str, str], ...] = ()
    attendance: bool = True  # 附件2 is in the file and its totals are canonical
    isolated: bool = False  # read in the child process

    def expected_figures(self) -> dict[str, tuple[float | None, float | None]]:
        return {**CANONICAL, **self.figures}


@dataclass(frozen=True)
class Refused:
    kind: str
    code: str  # the refusal's code (codes.REFUSAL_CODES)
    words: str = ""  # a regex the message must match, where the wording matters


@dataclass(frozen=True)
class NoTable:
    """Opens, but holds no annex table (LayoutError)."""


Verdict = Read | Refused | NoTable


@dataclass(frozen=True)
class Case:
    key: str
    filename: str
    build: Callable[[Path], None]
    verdict: Verdict
    needs: str | None = None  # "soffice" or "uno": skipped, with the reason, without it
    # LibreOffice does the last step: `build` writes an .xlsx, then it is converted to .ods
    # ("ods") or saved with the password 1234 through a LibreOffice filter ("password:FILTER").
    # All conversions run in one LibreOffice start (each start costs ~2 s).
    convert: str | None = None


# ------------------------------------------------------------------------------ canonical grids


def annex1(**kw) -> Grid:
    return b.canonical_annex1(**kw)


def annex2() -> Grid:
    return b.canonical_annex2()


def canonical_grids() -> list[Grid]:
    return [annex1(), annex2()]


def with_cell(cell: Callable[[str, b.Indicator, int], object | None]) -> Grid:
    """附件1 where `cell(key, indicator, row)` overrides a value (None: keep the canonical)."""
    plain = b.plain_cell()

    def wrapped(key: str, ind: b.Indicator, row: int) -> object:
        value = cell(key, ind, row)
        return plain(key, ind, row) if value is None else value

    return annex1(cell=wrapped)


# ------------------------------------------------------------------------------ writers


@dataclass(frozen=True)
class RawCell:
    """A cell written verbatim: <c r=.. {attrs}>{inner}</c>."""

    attrs: str
    inner: str


# column letters as the builders write them (kept apart from the reader's own helper, so a
# bug there cannot hide in both the corpus and the code under test)
_col = b._letter


def _cell_xml(ref: str, value: object) -> str:
    if isinstance(value, RawCell):
        return f'<c r="{ref}" {value.attrs}>{value.inner}</c>'
    if isinstance(value, Pct):
        value = value.value
    if isinstance(value, Formula):
        cached = "" if value.cached is None else f"<v>{value.cached!r}</v>"
        return f'<c r="{ref}"><f>{html.escape(value.text.lstrip("="))}</f>{cached}</c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, datetime | date):
        serial = (datetime(value.year, value.month, value.day) - datetime(1899, 12, 30)).days
        return f'<c r="{ref}"><v>{serial}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{html.escape(str(value))}</t></is></c>'


def sheet_xml(grid: Grid, *, dimension: str | None = None, prolog: str = "",
              extra: dict[str, object] | None = None) -> str:
    covered = b._covered(grid)
    rows: dict[int, list[str]] = {}
    for r, row in enumerate(grid.rows):
        for c, value in enumerate(row):
            if value is None or (r, c) in covered:
                continue
            rows.setdefault(r, []).append(_cell_xml(f"{_col(c)}{r + 1}", value))
    for ref, value in (extra or {}).items():
        r = int(re.sub(r"[A-Z]", "", ref)) - 1
        rows.setdefault(r, []).append(_cell_xml(ref, value))
    body = "".join(f'<row r="{r + 1}">{"".join(cells)}</row>' for r, cells in sorted(rows.items()))
    merges = "".join(f'<mergeCell ref="{_col(c1)}{r1 + 1}:{_col(c2)}{r2 + 1}"/>'
                     for r1, c1, r2, c2 in grid.merges)
    merge_xml = f'<mergeCells count="{len(grid.merges)}">{merges}</mergeCells>' if merges else ""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + prolog +
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{dim}<sheetData>{body}</sheetData>{merge_xml}</worksheet>")


_MAIN_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MACRO_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def write_raw_xlsx(path: Path, sheets: list[tuple[str, str]], *, macro: bool = False,
                   shared_strings: str | None = None, extra_parts: dict[str, bytes] | None = None,
                   compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """An .xlsx from sheet XML strings, with only the parts a reader needs."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1))
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1))
    if shared_strings is not None:
        overrides += ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
        rels += (f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.'
                 'org/officeDocument/2006/relationships/sharedStrings" '
                 'Target="sharedStrings.xml"/>')
    if macro:
        overrides += ('<Override PartName="/xl/vbaProject.bin" '
                      'ContentType="application/vnd.ms-office.vbaProject"/>')
        rels += (f'<Relationship Id="rId{len(sheets) + 2}" Type="http://schemas.microsoft.com/'
                 'office/2006/relationships/vbaProject" Target="vbaProject.bin"/>')
    book = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://'
            'schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
            "".join(f'<sheet name="{html.escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                    for i, (name, _) in enumerate(sheets, start=1)) +
            '</sheets><calcPr calcId="191029"/></workbook>')
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.'
        'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType='
        '"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        f'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        f'"{_MACRO_CT if macro else _MAIN_CT}"/>{overrides}</Types>')
    root_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                 '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
                 'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    book_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                 f'"http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
                 '</Relationships>')
    with zipfile.ZipFile(path, "w", compression) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", root_rels)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", book_rels)
        for i, (_, xml) in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", xml)
        if shared_strings is not None:
            z.writestr("xl/sharedStrings.xml", shared_strings)
        if macro:
            z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(508))
        for part, data in (extra_parts or {}).items():
            z.writestr(part, data)
    return path


def raw_canonical(path: Path, annex1_grid: Grid | None = None, **kw) -> Path:
    g1 = annex1_grid or annex1()
    g2 = annex2()
    return write_raw_xlsx(path, [(g1.name, sheet_xml(g1)), (g2.name, sheet_xml(g2))], **kw)


def write_html(path: Path, grids: list[Grid], encoding: str = "utf-8",
               charset: str | None = None) -> Path:
    """Grids as the HTML page a web system exports: one <table> each, merges as spans."""
    head = (f'<html><head><meta http-equiv="Content-Type" content="text/html; '
            f'charset={charset or encoding}"><title>报表导出</title>'
            "<style>td {mso-number-format:General}</style></head><body>")
    parts = [head]
    for grid in grids:
        covered = b._covered(grid)
        anchors = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in grid.merges}
        parts.append('<table border="1">')
        for r, row in enumerate(grid.rows):
            parts.append("<tr>")
            for c, value in enumerate(row):
                if (r, c) in covered:
                    continue
                span = ""
                if (r, c) in anchors:
                    r2, c2 = anchors[(r, c)]
                    span = (f' rowspan="{r2 - r + 1}"' if r2 > r else "") + (
                        f' colspan="{c2 - c + 1}"' if c2 > c else "")
                if isinstance(value, Pct):
                    text = f"{value.value * 100:.2f}%"
                    parts.append(f'<td{span} x:num="{value.value}">{text}</td>')
                elif isinstance(value, int | float):
                    parts.append(f'<td{span} x:num>{value:g}</td>')
                else:
                    parts.append(f"<td{span}>{html.escape('' if value is None else str(value))}</td>")
            parts.append("</tr>")
        parts.append("</table><p>&nbsp;</p>")
    parts.append("</body></html>")
    path.write_bytes("\n".join(parts).encode(encoding))
    return path


def write_spreadsheetml(path: Path, grids: list[Grid]) -> Path:
    """Grids as Excel 2003 XML: covered cells left out (the next cell gets ss:Index),
    merges as ss:MergeAcross / ss:MergeDown, blank rows skipped with ss:Index."""
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
            'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel">')
    out = [head]
    for grid in grids:
        covered = b._covered(grid)
        anchors = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in grid.merges}
        out.append(f'<Worksheet ss:Name="{html.escape(grid.name)}"><Table>')
        last_row = -1
        for r, row in enumerate(grid.rows):
            cells = []
            last_col = -1
            for c, value in enumerate(row):
                if value is None or (r, c) in covered:
                    continue
                attrs = f' ss:Index="{c + 1}"' if c != last_col + 1 else ""
                if (r, c) in anchors:
                    r2, c2 = anchors[(r, c)]
                    attrs += (f' ss:MergeAcross="{c2 - c}"' if c2 > c else "") + (
                        f' ss:MergeDown="{r2 - r}"' if r2 > r else "")
                    last_col = c2
                else:
                    last_col = c
                if isinstance(value, Pct):
                    value = value.value
                if isinstance(value, int | float):
                    data = f'<Data ss:Type="Number">{value!r}</Data>'
                else:
                    data = f'<Data ss:Type="String">{html.escape(str(value))}</Data>'
                cells.append(f"<Cell{attrs}>{data}</Cell>")
            if not cells:
                continue
            index = f' ss:Index="{r + 1}"' if r != last_row + 1 else ""
            out.append(f"<Row{index}>{''.join(cells)}</Row>")
            last_row = r
        out.append("</Table></Worksheet>")
    out.append("</Workbook>")
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def write_csv(path: Path, grid: Grid, encoding: str, delimiter: str = ",") -> Path:
    import csv

    covered = b._covered(grid)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for r, row in enumerate(grid.rows):
        values = []
        for c, value in enumerate(row):
            if value is None or (r, c) in covered:
                values.append("")
            elif isinstance(value, Pct):
                values.append(f"{value.value * 100:.2f}%")
            else:
                values.append(str(value))
        writer.writerow(values)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def rezip(path: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    """Rewrite a zip in place, passing each part through `change` (None: drop the part)."""
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            new = change(name, data)
            if new is not None:
                z.writestr(name, new)


# ------------------------------------------------------------------------------ LibreOffice


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def uno_python() -> str | None:
    """A Python that can `import uno` (LibreOffice's own bindings): for password saving."""
    for candidate in ("/usr/bin/python3", sys.executable):
        if candidate and Path(candidate).exists():
            ok = subprocess.run([candidate, "-c", "import uno"], capture_output=True,
                                check=False)
            if ok.returncode == 0:
                return candidate
    return None


_UNO_SAVE = r"""
import json, os, subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue
jobs, profile = json.loads(sys.argv[1]), sys.argv[2]
def pv(n, v):
    p = PropertyValue(); p.Name = n; p.Value = v; return p
pipe = "xlcompare%d" % os.getpid()
proc = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore",
                         "-env:UserInstallation=" + profile,
                         "--accept=pipe,name=%s;urp;" % pipe],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    ctx = uno.getComponentContext()
    resolver = ctx.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", ctx)
    for _ in range(300):
        try:
            rctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.1)
    desktop = rctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", rctx)
    for src, dst, filt in jobs:
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (pv("Hidden", True),))
        doc.storeToURL(uno.systemPathToFileUrl(dst), (pv("FilterName", filt), pv("Password", "1234")))
        doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
finally:
    try:
        proc.wait(timeout=30)
    except Exception:
        proc.kill()
"""


def convert_all(jobs: list[tuple[Path, Path]], fmt: str) -> None:
    """soffice --headless --convert-to `fmt` for every (source, target), in one start and
    with its own profile (no clash with another LibreOffice running)."""
    if not jobs:
        return
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()
        out = Path(tmp, "out")
        subprocess.run([soffice(), "--headless", "--norestore", f"-env:UserInstallation={profile}",
                        "--convert-to", fmt, "--outdir", str(out), *(str(s) for s, _ in jobs)],
                       check=True, capture_output=True, timeout=300)
        for source, target in jobs:
            shutil.move(str(out / (source.stem + "." + fmt)), target)


def save_all_with_password(jobs: list[tuple[Path, Path, str]]) -> None:
    """(source, target, LibreOffice filter) saved with the password 1234, in one start."""
    if not jobs:
        return
    import json

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp, "save.py")
        script.write_text(_UNO_SAVE)
        spec = json.dumps([(str(s.resolve()), str(t.resolve()), f) for s, t, f in jobs])
        subprocess.run([uno_python(), str(script), spec, Path(tmp, "profile").as_uri()],
                       check=True, capture_output=True, timeout=300)


# ------------------------------------------------------------------------------ builders


def _openpyxl(path: Path, grids: list[Grid] | None = None) -> Path:
    return b.write_openpyxl(path, grids or canonical_grids())


def xlsx_named_xls(path: Path) -> None:
    _openpyxl(path)


def xlsx_named_txt(path: Path) -> None:
    _openpyxl(path)


def html_as_xls(path: Path) -> None:
    """GB2312 page (encoded gb18030) with both tables; the last note spans 65534 rows."""
    g1 = annex1()
    g1.merges.append((len(g1.rows) - 1, 0, len(g1.rows) + 65532, 6))
    write_html(path, [g1, annex2()], encoding="gb18030", charset="gb2312")


def mhtml_as_xls(path: Path) -> None:
    """Excel's "single file web page": a MIME message, the page quoted-printable."""
    from email.charset import QP, Charset
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    page = path.with_name("page-" + path.stem + ".htm")
    write_html(page, canonical_grids())
    charset = Charset("utf-8")
    charset.body_encoding = QP
    message = MIMEMultipart("related")
    part = MIMEText(page.read_text("utf-8"), "html", charset)
    part["Content-Location"] = "file:///C:/sheet001.htm"
    message.attach(part)
    page.unlink()
    path.write_bytes(message.as_bytes())


def spreadsheetml_as_xls(path: Path) -> None:
    write_spreadsheetml(path, canonical_grids())


def csv_gb18030_as_xlsx(path: Path) -> None:
    write_csv(path, annex1(), "gb18030")


def csv_utf8_as_xlsx(path: Path) -> None:
    write_csv(path, annex1(), "utf-8")


def unicode_text_as_xls(path: Path) -> None:
    """Excel's "Unicode text": UTF-16 with a BOM, tab-separated."""
    write_csv(path, annex1(), "utf-16", delimiter="\t")


def encrypted_xlsx(path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    b.write_openpyxl(path, canonical_grids())
    with path.open("rb") as f:
        OOXMLFile(f).encrypt("1234", plain)
    path.write_bytes(plain.getvalue())


def plain_xlsx(path: Path) -> None:
    """The canonical workbook, for LibreOffice to convert or to save with a password."""
    _openpyxl(path)


def zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


def preallocated_zeros(path: Path) -> None:
    """What some copy tools leave while copying: the final size, all zero bytes."""
    path.write_bytes(bytes(9000))


def random_bytes(path: Path) -> None:
    data = random.Random(7).randbytes(5000)
    path.write_bytes(b"\x13\x37" + data)


def pdf_named_xls(path: Path) -> None:
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")


def docx_named_xlsx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")


def truncated_xlsx(path: Path) -> None:
    _openpyxl(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])


def truncated_xls(path: Path) -> None:
    b.write_xlwt(path, canonical_grids())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])


def zip_bomb_ratio(path: Path) -> None:
    """A sheet part of 60 MB that packs to ~60 KB (ratio ~1000)."""
    g1, g2 = annex1(), annex2()
    padded = sheet_xml(g1).replace("<sheetData>", "<sheetData>" + " " * (60 * 2**20))
    write_raw_xlsx(path, [(g1.name, padded), (g2.name, sheet_xml(g2))])


def zip_bomb_many_parts(path: Path) -> None:
    """320 parts of just under 1 MiB of zeros each: each below the ratio check, together
    320 MB once unpacked."""
    filler = {f"xl/media/blank{i}.bin": bytes(2**20 - 1) for i in range(320)}
    raw_canonical(path, extra_parts=filler)


def zip_lying_size(path: Path) -> None:
    """The sheet part declares 200 bytes (and the CRC of its first 200) but inflates to its
    whole XML: a reader trusting the directory reads what it did not allow for."""
    raw_canonical(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
        full = z.read(info)
    fake_size, fake_crc = 200, zlib.crc32(full[:200])
    struct.pack_into("<III", data, info.header_offset + 14, fake_crc, info.compress_size,
                     fake_size)
    central = data.rfind(b"PK\x01\x02", 0, len(data))
    name = info.filename.encode()
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46:central + 46 + name_len] == name:
            struct.pack_into("<III", data, central + 16, fake_crc, info.compress_size, fake_size)
            break
        central = data.rfind(b"PK\x01\x02", 0, central)
    path.write_bytes(bytes(data))


def _canonical_plus_x(path: Path, cell: str) -> None:
    """openpyxl canonical with an `x` written at `cell` of 附件1."""
    from openpyxl import load_workbook

    _openpyxl(path)
    wb = load_workbook(path)
    wb["附件1"][cell] = "x"
    wb.save(path)


def far_cell_xlsx(path: Path) -> None:
    """openpyxl canonical plus `x` at XFD1048576 (17 billion cells from A1)."""
    _canonical_plus_x(path, "XFD1048576")


def far_cell_xls(path: Path) -> None:
    """xlwt canonical plus 99 at IV65536, the last cell of a legacy sheet."""
    g1 = annex1()
    while len(g1.rows) < 65535:
        g1.rows.append([])
    g1.rows.append([None] * 255 + [99])
    b.write_xlwt(path, [g1, annex2()])


def many_cells(path: Path) -> None:
    """Canonical plus a 明细 sheet of 20 000 rows × 6 numbers (120 000 cells)."""
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{_col(c)}{r}"><v>{r * 7 + c}</v></c>' for c in range(6))
        + "</row>" for r in range(1, 20001))
    detail = ('<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.'
              f'openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>')
    g1, g2 = annex1(), annex2()
    write_raw_xlsx(path, [(g1.name, sheet_xml(g1)), (g2.name, sheet_xml(g2)), ("明细", detail)])


def too_many_cells(path: Path) -> None:
    """1 050 000 cells: over [limits] max_cells."""
    row = "".join(f"<c r=\"{_col(c)}{{r}}\"><v>1</v></c>" for c in range(10))
    rows = "".join(f'<row r="{r}">' + row.format(r=r) + "</row>" for r in range(1, 105001))
    detail = ('<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.'
              f'openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>')
    g1 = annex1()
    write_raw_xlsx(path, [(g1.name, sheet_xml(g1)), ("明细", detail)])


def long_text(path: Path) -> None:
    """电话访问's 备注 (G7) holds 1 MB of text (a pasted log: varied, so it packs ~3×)."""
    rng = random.Random(11)
    text = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(1_000_000))
    grid = with_cell(lambda key, ind, row: text
                     if key == "remarks" and ind.name == "电话访问" else None)
    raw_canonical(path, grid)


_LOL = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>")


def billion_laughs(path: Path) -> None:
    g1, g2 = annex1(), annex2()
    bomb = sheet_xml(g1, prolog=_LOL).replace("<sheetData>", '<sheetData><row r="30"><c r="A30" '
                                              't="inlineStr"><is><t>&lol9;</t></is></c></row>', 1)
    write_raw_xlsx(path, [(g1.name, bomb), (g2.name, sheet_xml(g2))])


def xxe_passwd(path: Path) -> None:
    """Shared strings whose first string is an external entity pointing at /etc/passwd."""
    prolog = '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    sst = ('<?xml version="1.0" encoding="UTF-8"?>\n' + prolog + '<sst xmlns="http://schemas.'
           'openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&xxe;'
           "</t></si></sst>")
    g1, g2 = annex1(), annex2()
    sheet = sheet_xml(g1, extra={"A25": RawCell('t="s"', "<v>0</v>")})
    write_raw_xlsx(path, [(g1.name, sheet), (g2.name, sheet_xml(g2))], shared_strings=sst)


def doctype_in_sheet(path: Path) -> None:
    """A bare DOCTYPE, no entities: workbooks never have one."""
    g1, g2 = annex1(), annex2()
    write_raw_xlsx(path, [(g1.name, sheet_xml(g1, prolog="<!DOCTYPE worksheet>")),
                          (g2.name, sheet_xml(g2))])


def wrong_dimension(path: Path) -> None:
    """openpyxl canonical with every <dimension> rewritten to A1:A1."""
    _openpyxl(path)
    rezip(path, lambda name, data: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"',
                                          data) if name.startswith("xl/worksheets/") else data)


def forged_shared_string_count(path: Path) -> None:
    """xlsxwriter canonical (it writes shared strings); sharedStrings declares
    uniqueCount="2000000000" (calamine would reserve 48 GB for it and abort)."""
    b.write_xlsxwriter(path, canonical_grids())
    rezip(path, lambda name, data: re.sub(rb'uniqueCount="\d+"', b'uniqueCount="2000000000"', data)
          if name == "xl/sharedStrings.xml" else data)
    with zipfile.ZipFile(path) as z:
        if b'uniqueCount="2000000000"' not in z.read("xl/sharedStrings.xml"):
            raise RuntimeError("no shared strings to forge")


def forged_sst_xls(path: Path) -> None:
    """xlwt canonical with the SST record's unique-string count set to 0x7FFFFFF0."""
    import olefile

    from xlcompare.files.biff import _locator

    b.write_xlwt(path, canonical_grids())
    data = bytearray(path.read_bytes())
    ole = olefile.OleFileIO(bytes(data))
    stream = ole.openstream("Workbook").read()
    at = _locator(ole, "Workbook", len(data))
    pos = 0
    while pos + 4 <= len(stream):
        typ, length = struct.unpack_from("<HH", stream, pos)
        if typ == 0x00FC:
            for i, byte in enumerate(struct.pack("<I", 0x7FFFFFF0)):
                data[at(pos + 4 + 4 + i)] = byte
            break
        pos += 4 + length
    ole.close()
    path.write_bytes(bytes(data))


def xlsxwriter_saved_zeros(path: Path) -> None:
    """xlsxwriter, which saves 0 for every formula: 电话访问's 完成量 (E7) is =1000+842 and
    every 完成率 (F7:F19) is =E/D; all saved as 0."""
    def cell(key: str, ind: b.Indicator, row: int) -> object | None:
        # cached=0 is what xlsxwriter writes when the script gives no value
        if key == "completed" and ind.name == "电话访问":
            return Formula("=1000+842", cached=0)
        if key == "rate":
            return Formula(f"=E{row + 1}/D{row + 1}", cached=0, pct=True)
        return None

    b.write_xlsxwriter(path, [with_cell(cell), annex2()])


def openpyxl_uncached(path: Path) -> None:
    """openpyxl, which saves no value for formulas: 电话访问 E7 =1000+842 (recomputed),
    入户探访 E8 =SUM(明细!B2:B3) (another sheet: reported, not guessed)."""
    def cell(key: str, ind: b.Indicator, row: int) -> object | None:
        if key == "completed" and ind.name == "电话访问":
            return Formula("=1000+842")
        if key == "completed" and ind.name == "入户探访":
            return Formula("=SUM(明细!B2:B3)")
        return None

    detail = Grid("明细")
    detail.add("时段", "入户探访")
    detail.add("上半年", 300)
    detail.add("下半年", 351)
    b.write_openpyxl(path, [with_cell(cell), annex2(), detail])


def error_cells(path: Path) -> None:
    """入户探访 E8 is the error #REF!, 个案接案's rate F9 is #DIV/0! (error cells, t="e")."""
    def cell(key: str, ind: b.Indicator, row: int) -> object | None:
        if key == "completed" and ind.name == "入户探访":
            return "#REF!"
        if key == "rate" and ind.name == "个案接案":
            return "#DIV/0!"
        return None

    b.write_openpyxl(path, [with_cell(cell), annex2()])


def nan_inf(path: Path) -> None:
    """入户探访 E8 holds NaN and 个案接案 E9 holds inf (numbers no spreadsheet shows)."""
    def cell(key: str, ind: b.Indicator, row: int) -> object | None:
        if key == "completed" and ind.name == "入户探访":
            return RawCell("", "<v>NaN</v>")
        if key == "completed" and ind.name == "个案接案":
            return RawCell("", "<v>inf</v>")
        return None

    raw_canonical(path, with_cell(cell))


def text_dates(path: Path) -> None:
    """附件2's months as text in five spellings (2024.06, 2024/7, 2024-08, 2024年9月, …);
    个案接案's 完成量 E9 is the text 2024-12-31 and 小组个数's E12 a real date."""
    def cell(key: str, ind: b.Indicator, row: int) -> object | None:
        if key == "completed" and ind.name == "个案接案":
            return "2024-12-31"
        if key == "completed" and ind.name == "小组个数":
            return datetime(2024, 12, 31)
        return None

    g2 = annex2()
    spellings = ("2024.06", "2024/7", "2024-08", "2024年9月", "2024.10", "2024/11", "2024年12月")
    for row in g2.rows:
        if row and isinstance(row[0], str) and row[0].startswith("2024年") and row[0] != "合计":
            month = int(row[0][5:-1])
            row[0] = spellings[month - 6]
    b.write_openpyxl(path, [with_cell(cell), g2])


def unclosed_tags(path: Path) -> None:
    """A third sheet 明细 of 60 000 `<c r="A1" ` openings never closed (not XML): a regex
    tokenizer would rescan the rest of the part at each one. The annexes are whole."""
    g1, g2 = annex1(), annex2()
    broken = sheet_xml(g1).replace("</sheetData>", '<row r="40">' + '<c r="A40" ' * 60_000)
    write_raw_xlsx(path, [(g1.name, sheet_xml(g1)), (g2.name, sheet_xml(g2)), ("明细", broken)])


def large_html(path: Path) -> None:
    """A 2.2 MB export (over isolate_html_from_mb): the two annex tables and a 明细 table of
    20 000 service records."""
    detail = Grid("明细")
    detail.add("序号", "日期", "服务对象", "服务内容", "时长")
    rng = random.Random(5)
    for i in range(1, 20_001):
        detail.add(i, f"2024-{rng.randint(6, 12):02d}-{rng.randint(1, 28):02d}",
                   f"对象{rng.randint(1, 900):03d}", "电话访问" if i % 2 else "入户探访",
                   rng.randint(5, 90))
    write_html(path, [annex1(), annex2(), detail])


def xlsm(path: Path) -> None:
    raw_canonical(path, macro=True)


def far_row_xlsx(path: Path) -> None:
    """Canonical with `x` at A1048576 (LibreOffice then makes it an .ods)."""
    _canonical_plus_x(path, "A1048576")


def chart_and_hidden(path: Path) -> None:
    """附件1, 附件2, a chart sheet 图表, a hidden sheet 草稿 and a very hidden sheet 配置."""
    from openpyxl import load_workbook
    from openpyxl.chart import BarChart, Reference

    _openpyxl(path)
    wb = load_workbook(path)
    draft = wb.create_sheet("草稿")
    draft["A1"] = "旧的草稿，不用"
    draft.sheet_state = "hidden"
    config = wb.create_sheet("配置")
    config["A1"] = "下拉选项"
    config.sheet_state = "veryHidden"
    chart = BarChart()
    chart.add_data(Reference(wb["附件1"], min_col=5, min_row=7, max_row=19))
    wb.create_chartsheet("图表").add_chart(chart)
    wb.save(path)


def legacy_xls(path: Path) -> None:
    b.write_xlwt(path, canonical_grids())


# ------------------------------------------------------------------------------ the cases

_P7 = "电话访问"
_FORMULA_RECOMPUTED = r"saved as 0 .* compute to another number"

CASES: tuple[Case, ...] = (
    # -- content that lies about its extension
    Case("xlsx_named_xls", "素社街-其实是xlsx.xls", xlsx_named_xls, Read("xlsx")),
    Case("xlsx_named_txt", "素社街报表.txt", xlsx_named_txt, Read("xlsx")),
    Case("html_as_xls", "素社街-网页导出.xls", html_as_xls, Read("html")),
    Case("mhtml_as_xls", "素社街-单个网页.xls", mhtml_as_xls, Read("mhtml")),
    Case("spreadsheetml_as_xls", "素社街-2003XML.xls", spreadsheetml_as_xls, Read("spreadsheetml")),
    Case("csv_gb18030_as_xlsx", "素社街-gb18030.xlsx", csv_gb18030_as_xlsx,
         Read("csv", attendance=False)),
    Case("csv_utf8_as_xlsx", "素社街-utf8.xlsx", csv_utf8_as_xlsx, Read("csv", attendance=False)),
    Case("unicode_text_as_xls", "素社街-Unicode文本.xls", unicode_text_as_xls,
         Read("csv", attendance=False)),
    Case("legacy_xls", "素社街.xls", legacy_xls, Read("xls")),
    Case("xlsm", "素社街-宏.xlsm", xlsm, Read("xlsm")),
    Case("ods", "素社街.ods", plain_xlsx, Read("ods"), needs="soffice", convert="ods"),
    Case("chart_and_hidden", "素社街-图表.xlsx", chart_and_hidden,
         Read("xlsx", problems=(("草稿", "hidden-sheet", ""), ("配置", "hidden-sheet", "")))),
    # -- refused, with what to do
    Case("encrypted_xlsx", "素社街-加密.xlsx", encrypted_xlsx,
         Refused("encrypted", "password-protected")),
    Case("encrypted_xls", "素社街-加密.xls", plain_xlsx, Refused("encrypted", "password-protected"),
         needs="uno", convert="password:MS Excel 97"),
    Case("encrypted_ods", "素社街-加密.ods", plain_xlsx, Refused("encrypted", "password-protected"),
         needs="uno", convert="password:calc8"),
    Case("zero_bytes", "素社街-空.xlsx", zero_bytes, Refused("empty", "empty-file")),
    Case("preallocated_zeros", "素社街-复制中.xlsx", preallocated_zeros,
         Refused("empty", "zero-filled")),
    Case("random_bytes", "素社街-乱码.xls", random_bytes, Refused("unsupported", "unknown-format")),
    Case("pdf_named_xls", "素社街-扫描件.xls", pdf_named_xls,
         Refused("unsupported", "pdf-document")),
    Case("docx_named_xlsx", "素社街-说明.xlsx", docx_named_xlsx,
         Refused("unsupported", "word-document")),
    Case("truncated_xlsx", "素社街-下载中断.xlsx", truncated_xlsx,
         Refused("truncated", "truncated", r"not copied completely")),
    Case("truncated_xls", "素社街-下载中断.xls", truncated_xls,
         Refused("truncated", "truncated")),
    # -- resource attacks
    Case("zip_bomb_ratio", "素社街-压缩炸弹.xlsx", zip_bomb_ratio, Refused("unsafe", "zip-bomb")),
    Case("zip_bomb_many_parts", "素社街-分卷炸弹.xlsx", zip_bomb_many_parts,
         Refused("too_large", "unpacked-too-large")),
    Case("zip_lying_size", "素社街-谎报大小.xlsx", zip_lying_size,
         Refused("unsafe", "zip-bomb", r"more than the 200 bytes it declares")),
    Case("far_cell_xlsx", "素社街-远处单元格.xlsx", far_cell_xlsx,
         Read("xlsx", problems=(("XFD1048576", "stray-cells", r"far outside the table .*'x'"),))),
    Case("far_cell_xls", "素社街-远处单元格.xls", far_cell_xls,
         Read("xls", problems=(("IV65536", "stray-cells", r"far outside the table .*'99'"),))),
    # .ods tables are cut to their table in a copy read in-process (ods.py), the corner too
    Case("ods_far_row", "素社街-远处行.ods", far_row_xlsx,
         Read("ods", problems=(("A1048576", "stray-cells", r"far outside the table .*'x'"),)),
         needs="soffice", convert="ods"),
    Case("ods_far_corner", "素社街-远角.ods", far_cell_xlsx,
         Read("ods", problems=(("XFD1048576", "stray-cells", r"far outside the table .*'x'"),)),
         needs="soffice", convert="ods"),
    # the 明细 sheets are tables the reader does not know: read past, and named as unread
    Case("many_cells", "素社街-含明细12万格.xlsx", many_cells,
         Read("xlsx", problems=(("A1:F20000", "unread-cells", r"looks like a table"),))),
    Case("large_html", "素社街-网页导出大.xls", large_html,
         Read("html", problems=(("A38:E20038", "unread-cells", r"looks like a table"),),
              isolated=True)),
    Case("unclosed_tags", "素社街-标签未闭合.xlsx", unclosed_tags,
         Read("xlsx", problems=(("明细", "sheet-unreadable", r"damaged: .*not well-formed"),))),
    Case("too_many_cells", "素社街-百万格.xlsx", too_many_cells,
         Refused("too_large", "too-many-cells", r"more than 1000000 cells")),
    Case("long_text", "素社街-超长备注.xlsx", long_text,
         Read("xlsx", problems=((f"G{ROW[_P7]}", "text-cut", ""),))),
    Case("forged_shared_string_count", "素社街-字符串表.xlsx", forged_shared_string_count,
         Read("xlsx")),
    Case("forged_sst_xls", "素社街-字符串表.xls", forged_sst_xls,
         Refused("corrupt", "corrupt", r"shared-string table")),
    # -- XML attacks
    Case("billion_laughs", "素社街-实体炸弹.xlsx", billion_laughs,
         Refused("unsafe", "entity-declaration")),
    Case("xxe_passwd", "素社街-外部实体.xlsx", xxe_passwd,
         Refused("unsafe", "entity-declaration")),
    Case("doctype_in_sheet", "素社街-DOCTYPE.xlsx", doctype_in_sheet,
         Refused("unsafe", "entity-declaration")),
    # -- values that lie
    Case("wrong_dimension", "素社街-维度A1.xlsx", wrong_dimension, Read("xlsx")),
    Case("xlsxwriter_saved_zeros", "素社街-xlsxwriter公式.xlsx", xlsxwriter_saved_zeros,
         Read("xlsx", problems=((f"E{ROW[_P7]}", "saved-zero-formula", _FORMULA_RECOMPUTED +
                                 r".*E7 =1000\+842 → 1842, F7 =E7/D7 → 0\.7675"),))),
    Case("openpyxl_uncached", "素社街-公式无缓存.xlsx", openpyxl_uncached,
         Read("xlsx", figures={"入户探访": (1200.0, None)},
              problems=((f"E{ROW['入户探访']}", "uncomputed-formula", ""),
                        ("A1:B3", "unread-cells", r"looks like a table")))),
    Case("error_cells", "素社街-错误值.xlsx", error_cells,
         Read("xlsx", figures={"入户探访": (1200.0, None)},
              problems=((f"E{ROW['入户探访']}", "error-value", r"#REF!"),
                        (f"F{ROW['个案接案']}", "error-value", r"#DIV/0!")))),
    Case("nan_inf", "素社街-NaN.xlsx", nan_inf,
         Read("xlsx", figures={"入户探访": (1200.0, None), "个案接案": (60.0, None)},
              problems=((f"E{ROW['入户探访']}", "not-finite", ""),
                        (f"E{ROW['个案接案']}", "not-finite", "")))),
    Case("text_dates", "素社街-文本日期.xlsx", text_dates,
         Read("xlsx", figures={"个案接案": (60.0, None), "小组个数": (24.0, None)},
              problems=((f"E{ROW['个案接案']}", "not-a-number", ""),
                        (f"E{ROW['小组个数']}", "date-not-number", "")))),
)


def mutants(directory: Path, count: int, seed: int = 2024) -> list[Path]:
    """`count` damaged copies of the canonical workbook, seeded: half .xlsx with a sheet's
    XML mutated (bytes changed, far cells, stray close tags, entities inserted, runs
    deleted) inside a valid zip; half .xls with bytes of the BIFF stream changed inside a
    valid container. Most are refused, some still read; none may stop the process."""
    import olefile

    from xlcompare.files.biff import _locator

    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    base = raw_canonical(directory / "base.xlsx")
    parts = {n: zipfile.ZipFile(base).read(n) for n in zipfile.ZipFile(base).namelist()}
    base.unlink()
    legacy = directory / "base.xls"
    legacy_xls(legacy)
    xls = legacy.read_bytes()
    legacy.unlink()
    ole = olefile.OleFileIO(xls)
    stream_length = len(ole.openstream("Workbook").read())
    at = _locator(ole, "Workbook", len(xls))
    ole.close()
    inserts = (b'<c r="XFD1048576"><v>1</v></c>', b'<row r="99999">', b"</c>", b"<c ",
               b'r="A1"', b"&#65;", b"<![CDATA[x]]>", b"<f>SUM(A1:XFD1048576)</f>", b't="e"')
    made = []
    for i in range(count):
        if i % 2 == 0:
            name = rng.choice([n for n in parts if n.startswith("xl/worksheets/")])
            data = bytearray(parts[name])
            for _ in range(rng.randint(1, 6)):
                pos = rng.randrange(len(data))
                op = rng.random()
                if op < 0.4:
                    data[pos] = rng.choice(b'<>/"=rcvft0123456789ABXFD ')
                elif op < 0.7:
                    data[pos:pos] = rng.choice(inserts)
                else:
                    del data[pos:pos + rng.randint(1, 20)]
            path = directory / f"变异{i:03d}.xlsx"
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
                for n, d in parts.items():
                    z.writestr(n, bytes(data) if n == name else d)
        else:
            data = bytearray(xls)
            for _ in range(rng.randint(1, 8)):
                data[at(rng.randrange(stream_length))] = rng.choice(
                    [rng.randrange(256), 0xFF, 0x00, 0x7F, 0x80])
            path = directory / f"变异{i:03d}.xls"
            path.write_bytes(bytes(data))
        made.append(path)
    return made


def available(case: Case) -> str | None:
    """Why a case cannot be built here, or None."""
    if case.needs == "soffice" and soffice() is None:
        return "LibreOffice (soffice) is not installed"
    if case.needs == "uno" and (soffice() is None or uno_python() is None):
        return "LibreOffice with its Python bindings (import uno) is not installed"
    return None


def build_corpus(directory: Path) -> list[Case]:
    """Write every buildable case into `directory`; return those written."""
    directory.mkdir(parents=True, exist_ok=True)
    built = []
    conversions: list[tuple[Path, Path]] = []
    passwords: list[tuple[Path, Path, str]] = []
    sources = Path(tempfile.mkdtemp(prefix="xlcompare-corpus-"))
    try:
        for case in CASES:
            if available(case) is not None:
                continue
            if case.convert is None:
                case.build(directory / case.filename)
            else:
                source = sources / f"{case.key}.xlsx"
                case.build(source)
                if case.convert == "ods":
                    conversions.append((source, directory / case.filename))
                else:
                    passwords.append((source, directory / case.filename,
                                      case.convert.split(":", 1)[1]))
            built.append(case)
        convert_all(conversions, "ods")
        save_all_with_password(passwords)
    finally:
        shutil.rmtree(sources, ignore_errors=True)
    return built


# ------------------------------------------------------------------------------ text that acts

# Text that would run on a web page if it were not shown as text: markup that executes,
# event handlers that break out of an attribute, template syntax. Each marks the window
# (window.__xl_pwned) if it runs, so a browser can tell. The terminal's own list (markup,
# escape sequences, a bidi override) is test_injection.INJECTED.
PWNED = "__xl_pwned"
HTML_INJECTED = {
    "个案服务节数": f"个案服务节数<script>window.{PWNED}='script'</script>",
    "个案结案": f"个案结案<img src=x onerror=\"window.{PWNED}='img'\">",
    "小组节数": f"小组节数\"><svg onload=\"window.{PWNED}='svg'\">",
    "小组服务人次": "小组服务人次{{7*7}}${7*7}",
    "志愿者骨干": f"志愿者骨干<a href=\"javascript:window.{PWNED}='link'\">点我</a>",
}
HTML_OPERATOR = f"<iframe src=\"javascript:window.{PWNED}='iframe'\"></iframe>&amp;"


def injected_workbook(path: Path, names: dict[str, str], operator: str = "") -> Path:
    """The canonical 素社街 workbook with the texts of `names` replaced (indicator names, or a
    title to name another station) and `operator` after the 承办机构 line."""
    annex1, annex2 = b.canonical_annex1(), b.canonical_annex2()
    for row in [*annex1.rows, *annex2.rows]:
        for c, value in enumerate(row):
            if isinstance(value, str) and value in names:
                row[c] = names[value]
            elif isinstance(value, str) and value.startswith("承办机构"):
                row[c] = f"{value}{operator}"
    return b.write_xlsxwriter(path, [annex1, annex2])


if __name__ == "__main__":  # python tests/hostile_corpus.py DIR: look at the files by hand
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for case in build_corpus(out):
        print(f"{case.key:28s} {os.path.getsize(out / case.filename):>10,d}  {case.filename}")
