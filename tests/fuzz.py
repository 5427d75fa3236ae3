"""Mutants of the sample workbooks, for the fuzz test: seeded, so a failure is reproduced by
its name alone.

Three kinds, each meeting a different layer: bytes flipped anywhere (the zip and CFB
checks), the file cut short (a copy still arriving), and for zip workbooks one XML part
edited and the zip rebuilt with valid checksums (the sheet scanners and calamine themselves:
a deleted or doubled slice, a number made huge, a cell reference moved far away, stray
markup).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["mutants"]

_NUMBER = re.compile(rb"\d+")
_REF = re.compile(rb'r="([A-Z]{1,3})(\d+)"')
_JUNK = [b"<", b">", b"&", b"&amp;", b'"', b"<c r=\"A1\">", b"</row>", b"<v>", b"\x00", b"\xff",
         b"<!DOCTYPE x>", b"]]>", "中".encode(), b"9" * 40, b"-1", b"NaN", b"1e309"]


def _flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _cut(data: bytes, rng: random.Random) -> bytes:
    return data[:rng.randrange(1, len(data))]


def _edit_xml(text: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(6)
    a = rng.randrange(len(text) or 1)
    b = min(len(text), a + rng.randint(1, 200))
    if choice == 0:  # a slice deleted
        return text[:a] + text[b:]
    if choice == 1:  # a slice doubled
        return text[:b] + text[a:b] + text[b:]
    if choice == 2:  # a number made huge or negative
        numbers = list(_NUMBER.finditer(text))
        if numbers:
            m = rng.choice(numbers)
            new = rng.choice([b"4294967296", b"2147483648", b"99999999999999999999", b"0",
                              b"-5", b"1048577"])
            return text[:m.start()] + new + text[m.end():]
    if choice == 3:  # a cell reference moved far away
        refs = list(_REF.finditer(text))
        if refs:
            m = rng.choice(refs)
            far = rng.choice([b'r="A2147483648"', b'r="ZZZZZZ1"', b'r="XFE1"',
                              b'r="A1048577"', b'r="A0"', b'r=""', b'r="1A"'])
            return text[:m.start()] + far + text[m.end():]
    # stray markup or bytes put in
    return text[:a] + rng.choice(_JUNK) + text[a:]


def _edit_zip(data: bytes, rng: random.Random) -> bytes | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            entries = [(i, source.read(i)) for i in source.infolist()]
    except zipfile.BadZipFile:
        return None
    xml = [n for n, (info, _) in enumerate(entries) if info.filename.endswith((".xml", ".rels"))]
    if not xml:
        return None
    target = rng.choice(xml)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rebuilt:
        for n, (info, body) in enumerate(entries):
            rebuilt.writestr(info.filename, _edit_xml(body, rng) if n == target else body)
    return out.getvalue()


def mutants(samples: list[Path], count: int, seed: int = 20261202) -> Iterator[tuple[str, bytes]]:
    """`count` (name, bytes) mutants of `samples`, the same for the same seed."""
    rng = random.Random(seed)
    originals = [(p, p.read_bytes()) for p in samples]
    for n in range(count):
        path, data = originals[n % len(originals)]
        kind = rng.randrange(4)
        mutated: bytes | None = None
        if kind >= 2 and data[:2] == b"PK":
            mutated, label = _edit_zip(data, rng), "xml"
        if mutated is None:
            mutated, label = (_cut(data, rng), "cut") if kind == 1 else (_flip(data, rng), "flip")
        yield f"{n:04d}-{label}{path.suffix}", mutated
