"""The house keeps its rooms: imports point down the layers, no cycle, no law written in code.

Layers, bottom to top (style.md §8): domain → law → inputs → engine → present → documents → app →
front ends (cli, wizard, monitoring, web), which never import each other. Every import counts,
including those under ``if TYPE_CHECKING`` and inside functions.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "drafter"
LAYERS = {
    "version": 0,
    "errors": 0,
    "domain": 1,
    "law": 2,
    "inputs": 3,
    "engine": 4,
    "present": 5,
    "documents": 6,
    "app": 7,
    "cli": 8,
    "wizard": 8,
    "monitoring": 8,
    "web": 8,
    "__main__": 9,
}
FRONT_ENDS = {"cli", "wizard", "monitoring", "web"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The drafter modules ``name`` imports (``from drafter.x import y`` counts ``drafter.x.y`` when it is one)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("drafter")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            if not base.startswith("drafter"):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def room(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


@pytest.mark.parametrize("name", sorted(n for n in MODULES if room(n) is not None))
def test_imports_point_down_the_layers(name: str) -> None:
    mine = room(name)
    assert mine in LAYERS, f"{name}: module hors des couches connues ({', '.join(LAYERS)})"
    wrong = []
    for target in sorted(GRAPH[name]):
        theirs = room(target)
        if theirs is None:
            wrong.append(f"{target} (le paquet drafter lui-même : importez le module voulu)")
        elif LAYERS[theirs] > LAYERS[mine]:
            wrong.append(f"{target} (couche {theirs}, au-dessus de {mine})")
        elif mine in FRONT_ENDS and theirs in FRONT_ENDS and theirs != mine:
            wrong.append(f"{target} (un point d'entrée n'en importe pas un autre)")
    assert not wrong, f"{name} importe : " + " ; ".join(wrong)


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the cycles of the import graph (components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return cycles


def test_no_import_cycle() -> None:
    assert strongly_connected(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# --- law is data ---------------------------------------------------------------------------------

ARTICLE = re.compile(r"\b[LRD]\.?\s?\d{4}-\d+")
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
DATE = re.compile(rf"\b\d{{1,2}}(er)? ({MONTHS}) \d{{4}}\b|\b(19|20)\d\d-\d\d-\d\d\b")
LITERALS = ("151,67", "20 € ÷ 80 %", "50 %")


def string_constants(path: Path) -> list[tuple[int, str]]:
    """String literals of a module, docstrings excepted (they may illustrate with an article)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


REASONING = sorted(n for n in MODULES if room(n) in {"engine", "present"})


@pytest.mark.parametrize("name", REASONING)
def test_no_article_number_nor_date_in_the_reasoning(name: str) -> None:
    found = [
        f"ligne {line} : « {text[:80]} »"
        for line, text in string_constants(MODULES[name])
        if ARTICLE.search(text) or DATE.search(text) or any(lit in text for lit in LITERALS)
    ]
    assert not found, (
        f"{name} écrit du droit dans le code (mettez-le dans une table de drafter/law/tables/) : " + " ; ".join(found)
    )


def test_the_law_scanner_sees_an_article_and_a_date() -> None:
    assert ARTICLE.search("art. L2112-2-1") and ARTICLE.search("article R. 2123-1")
    assert DATE.search("à partir du 21 août 2026") and DATE.search("2026-08-22")
    assert not ARTICLE.search("obligation.l2112-2-1")  # rule ids are names, not citations
