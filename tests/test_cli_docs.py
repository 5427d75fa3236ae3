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
    assert "示例：" in result.output
    english = CliRunner().invoke(main, [name, "--help", "--lang", "en"])
    assert english.exit_code == 0
    assert "Example:" in english.output
    assert f"`xlcompare {name}" in README


def test_public_api_is_exported() -> None:
    import xlcompare

    for name in ("read_station", "read_reports", "StationReport", "IndicatorRow", "Problem",
                 "XlcompareError", "ReadError", "LayoutError", "compare", "judge_station",
                 "summarise", "station_paragraph", "write_diff", "write_summary", "Taxonomy"):
        assert name in xlcompare.__all__ and hasattr(xlcompare, name)


def _layout_block() -> list[str]:
    section = README.split("## Layout of the code", 1)[1]
    return section.split("```", 2)[1].splitlines()


def documented_modules(lines: list[str]) -> set[str]:
    """'files/sniff.py'-style paths from the README's tree: a line ending in '/' opens a folder
    at its indentation, a line naming 'x.py' is a module of the innermost open folder."""
    found: set[str] = set()
    folders: list[tuple[int, str]] = []
    for line in lines:
        name = line.split()[0] if line.strip() else ""
        if not name or name == "xlcompare/":
            continue
        depth = len(line) - len(line.lstrip())
        folders = [(d, f) for d, f in folders if d < depth]
        prefix = "".join(f for _, f in folders)
        if name.endswith("/"):
            folders.append((depth, name))
        elif name.endswith(".py"):
            found.add(prefix + name)
    return found


def test_every_module_is_named_in_the_readme_layout() -> None:
    package = Path(__file__).resolve().parents[1] / "xlcompare"
    modules = {p.relative_to(package).as_posix() for p in package.rglob("*.py")
               if p.name != "__init__.py"}
    documented = documented_modules(_layout_block())
    assert sorted(modules - documented) == [], "modules missing from the README's layout"
    assert sorted(documented - modules) == [], "the README's layout names modules that are gone"
