"""The house keeps its shape: imports point one way, from the top of the pipeline down.

    errors · model · codes · display · paths  ←  files  ←  readers  ←  taxonomy
        ←  judge · comparison · prose · summary  ←  writers  ←  batch  ←  cli · web

Every `import` in the package (at module level, inside functions, under TYPE_CHECKING) is an
arrow; one that points to a higher layer fails the test with the file and line. The package
root (`xlcompare/__init__.py`) is the public API over all of them and is not a layer.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import xlcompare

PACKAGE = Path(xlcompare.__file__).resolve().parent

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors", "model", "codes", "display", "paths", "lazy"}),
    frozenset({"files"}),
    frozenset({"readers"}),
    frozenset({"taxonomy"}),
    frozenset({"judge", "comparison", "prose", "summary", "quality"}),
    frozenset({"writers"}),
    frozenset({"batch"}),
    frozenset({"cli", "web", "__main__"}),
)


def layer_of(parts: tuple[str, ...]) -> int | None:
    """The layer of xlcompare.<parts...>; None for the package root."""
    if not parts:
        return None
    for n, names in enumerate(LAYERS):
        if parts[0] in names:
            return n
    raise AssertionError(f"xlcompare.{'.'.join(parts)} belongs to no layer: add it to LAYERS "
                         "and to the README's 'Layout of the code'")


def imports_of(tree: ast.AST) -> list[tuple[int, tuple[str, ...], list[str]]]:
    """(line, module parts under xlcompare, names imported) for each import of xlcompare."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "xlcompare":
                    found.append((node.lineno, tuple(alias.name.split(".")[1:]), []))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] == "xlcompare":
                found.append((node.lineno, tuple(parts[1:]), [a.name for a in node.names]))
    return found


def upward_imports(package: Path) -> list[str]:
    """Every import in `package` that points to a higher layer, as 'file:line: a → b'."""
    wrong = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        own = rel.with_suffix("").parts
        if own == ("__init__",):
            continue  # the public API
        mine = layer_of(own)
        assert mine is not None
        for line, target, names in imports_of(ast.parse(path.read_text(encoding="utf-8"))):
            if not target:
                # `from xlcompare import __version__` is a plain value; anything else from the
                # root is the public API, which sits above every layer
                if names == ["__version__"]:
                    continue
                wrong.append(f"{rel}:{line}: {'.'.join(own)} → xlcompare ({', '.join(names)})")
                continue
            theirs = layer_of(target)
            assert theirs is not None
            if theirs > mine:
                wrong.append(f"{rel}:{line}: {'.'.join(own)} → {'.'.join(target)}")
    return wrong


def test_every_import_points_down_the_pipeline() -> None:
    assert upward_imports(PACKAGE) == []


def test_an_upward_import_is_caught(tmp_path: Path) -> None:
    """The test can fail: a reader that imports the batch, and a writer that imports the
    batch's result type only for type checking, are both named with file and line."""
    copy = tmp_path / "xlcompare"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    sniff = copy / "files" / "sniff.py"
    sniff.write_text(sniff.read_text(encoding="utf-8") +
                     "\n\ndef _late():\n    from xlcompare.batch import summarise\n",
                     encoding="utf-8")
    terminal = copy / "writers" / "terminal.py"
    terminal.write_text(terminal.read_text(encoding="utf-8") +
                        "\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                        "    from xlcompare.batch.pipeline import BatchResult\n",
                        encoding="utf-8")
    wrong = upward_imports(copy)
    assert len(wrong) == 2
    assert wrong[0].startswith("files/sniff.py:") and wrong[0].endswith("files.sniff → batch")
    assert wrong[1].startswith("writers/terminal.py:")
    assert wrong[1].endswith("writers.terminal → batch.pipeline")


def test_every_module_belongs_to_a_layer() -> None:
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts != ("__init__",):
            layer_of(parts)
