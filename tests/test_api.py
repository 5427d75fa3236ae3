"""The public surface: every exported name resolves, and a type checker sees it typed."""

from __future__ import annotations

import importlib
from pathlib import Path

import xlcompare


def test_every_exported_name_resolves() -> None:
    for name in xlcompare.__all__:
        assert getattr(xlcompare, name) is not None, name


def test_exported_names_are_the_documented_ones() -> None:
    assert set(xlcompare.__all__) >= {"read_station", "read_reports", "summarise", "compare",
                                      "judge_station", "StationReport", "Problem",
                                      "write_diff", "write_summary", "Taxonomy"}


def test_the_lazy_names_are_the_type_checkers_names() -> None:
    """The TYPE_CHECKING imports of xlcompare/__init__.py and the lazy table name the same
    objects, so what mypy sees is what a notebook gets."""
    source = Path(xlcompare.__file__).read_text(encoding="utf-8")
    for name, module in xlcompare._LAZY.items():
        assert f" {name}" in source.split("if TYPE_CHECKING:")[1].split("_LAZY")[0], name
        assert getattr(importlib.import_module(module), name) is getattr(xlcompare, name)


def test_the_package_ships_its_types() -> None:
    assert (Path(xlcompare.__file__).parent / "py.typed").is_file()


def test_all_lists_every_lazy_name_once() -> None:
    lazy = set(xlcompare._LAZY)
    assert len(xlcompare.__all__) == len(set(xlcompare.__all__))
    assert lazy <= set(xlcompare.__all__)
