"""Every command is documented: help text with an Example, and a row in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from xlcompare.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_command_has_help_with_example_and_is_in_the_readme(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"`xlcompare {name}" in README


def test_public_api_is_exported() -> None:
    import xlcompare

    for name in ("read_station", "read_reports", "StationReport", "IndicatorRow", "Problem",
                 "XlcompareError", "ReadError", "LayoutError", "compare", "judge_station",
                 "summarise", "station_paragraph", "write_diff", "write_summary", "Taxonomy"):
        assert name in xlcompare.__all__ and hasattr(xlcompare, name)
