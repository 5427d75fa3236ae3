"""What a file is, from its first bytes — never from its name.

Stations' files lie about their type: an .xlsx renamed .xls, an HTML table or SpreadsheetML
2003 XML saved as .xls by a government web system, a CSV named .xlsx, a PDF named .xls.
`sniff` looks at the content and says which reader applies.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from xlcompare.messages import Message

__all__ = ["HEAD_BYTES", "Sniffed", "decode_text", "sniff"]

HEAD_BYTES = 64 * 1024  # enough to see an HTML <table> after a long <head>

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip, or an empty one
CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

# Files people send instead of the workbook: say what they are (magic, the message's key,
# which words the refusal code, and what kind of image or archive it is).
_FOREIGN = (
    (b"%PDF", "pdf-document.ask", ""),
    (b"\x89PNG", "image-file.ask", "PNG"),
    (b"\xff\xd8\xff", "image-file.ask", "JPEG"),
    (b"GIF8", "image-file.ask", "GIF"),
    (b"Rar!", "archive.unpack", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "archive.unpack", "7-Zip"),
    (b"\x1f\x8b", "archive.unpack", "gzip"),
    (b"{\\rtf", "text-document.rtf", ""),
)
# BIFF2–4 workbooks (Excel 2.x–4.x) are bare BOF records, not in a CFB container
_OLD_BIFF = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")

_SPREADSHEETML = re.compile(rb"urn:schemas-microsoft-com:office:spreadsheet|progid=\"Excel\.Sheet\"",
                            re.IGNORECASE)
_HTML = re.compile(r"<(html|table|!doctype\s+html)\b", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_\-]+)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Sniffed:
    """kind: zip, cfb, html, mhtml, spreadsheetml, csv, empty, zeros, foreign, old_biff,
    unknown. `encoding` for the text kinds; `message` says what a foreign file is (its key
    words its refusal code, codes.REFUSAL_CODES)."""

    kind: str
    encoding: str | None = None
    message: Message | None = None


def sniff(head: bytes) -> Sniffed:
    """Classify a file from its first HEAD_BYTES bytes."""
    if not head:
        return Sniffed("empty")
    if not head.strip(b"\x00"):
        # some copy tools reserve the whole file as zeros before writing it
        return Sniffed("zeros")
    if head.startswith(ZIP_MAGIC):
        return Sniffed("zip")
    if head.startswith(CFB_MAGIC):
        return Sniffed("cfb")
    for magic, key, what in _FOREIGN:
        if head.startswith(magic):
            return Sniffed("foreign", message=Message(key, kind=what) if what else Message(key))
    if head[:2] in _OLD_BIFF and len(head) > 4 and head[3] == 0:
        return Sniffed("old_biff")
    text, encoding = decode_text(head, declared=_declared_charset(head), partial=True)
    if text is None:
        return Sniffed("unknown")
    start = text.lstrip("\ufeff \t\r\n")
    lowered = start[:4096].lower()
    if lowered.startswith("mime-version:") or "content-type: multipart/related" in lowered:
        return Sniffed("mhtml", encoding)
    if start.startswith("<"):
        if _SPREADSHEETML.search(head[:8192]):
            return Sniffed("spreadsheetml", encoding)
        if _HTML.search(text):
            return Sniffed("html", encoding)
        return Sniffed("foreign", message=Message("no-table.markup"))
    if _CONTROL.search(text[:8192]):
        return Sniffed("unknown")
    return Sniffed("csv", encoding)


def _declared_charset(head: bytes) -> str | None:
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(head[:4096])
        if match:
            name = match.group(1).decode("ascii").lower()
            try:
                codecs.lookup(name)
            except LookupError:
                continue
            # gb2312 / gbk pages regularly hold characters outside those sets
            return "gb18030" if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk") else name
    return None


def decode_text(data: bytes, declared: str | None = None,
                partial: bool = False) -> tuple[str | None, str | None]:
    """Text and the encoding it was in: a BOM first, then a declared charset, then utf-8,
    then gb18030 (Chinese Windows' ANSI). (None, None) when no encoding fits: binary.
    `partial`: `data` is the head of a file and may end inside a character."""
    candidates: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        if declared:
            candidates.append(declared)
        candidates += [c for c in ("utf-8", "gb18030") if c != declared]
    for encoding in candidates:
        try:
            decoder = codecs.getincrementaldecoder(encoding)()
            text = decoder.decode(data, final=not partial)
        except (UnicodeDecodeError, LookupError):
            continue
        if "\x00" in text:
            continue
        return text, encoding
    return None, None
