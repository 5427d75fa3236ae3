"""The smallest text each printed page of a workbook shows, as LibreOffice prints it on A4.

    python bench/print_sizes.py summary.xlsx diff.xlsx

Converts each workbook to PDF with LibreOffice (`soffice --headless --convert-to pdf`, a
private profile) and reads every character's printed size from the PDF with pdfplumber
(`pip install -e '.[bench]'`): the font size times the scale it is drawn at, in points of
the A4 page. Prints one line per page (its smallest text and an example of it) and the
smallest of all; exits 1 when any text prints under --min points (8).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path


def to_pdf(workbook: Path, folder: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
                   check=True, capture_output=True, timeout=300)
    return folder / (workbook.stem + ".pdf")


def page_sizes(pdf: Path) -> list[tuple[float, str]]:
    """(smallest size, text at that size) of each page."""
    import pdfplumber

    pages = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            if not chars:
                pages.append((float("inf"), ""))
                continue
            smallest = min(round(c["size"], 2) for c in chars)
            sample = "".join(c["text"] for c in chars if round(c["size"], 2) == smallest)
            pages.append((smallest, sample[:40]))
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbooks", nargs="+", type=Path)
    parser.add_argument("--min", type=float, default=8.0, help="smallest size allowed (pt)")
    args = parser.parse_args()
    overall = float("inf")
    with tempfile.TemporaryDirectory(prefix="print-sizes-") as scratch:
        for workbook in args.workbooks:
            pdf = to_pdf(workbook.resolve(), Path(scratch))
            for n, (size, sample) in enumerate(page_sizes(pdf), start=1):
                print(f"{workbook.name} page {n}: smallest {size:.2f} pt  {sample!r}")
                overall = min(overall, size)
    print(f"smallest text of all: {overall:.2f} pt")
    return 0 if overall >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
