"""The package's import graph, read from the source (ast): no cycle, and the contract a leaf."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "summarizer"
# The checking code: the contract (models) must carry none of it, so `validate` can read a
# summary back without the checks, and the checks can change without touching the schema.
CHECKING = {"checks", "grounding", "validate", "reask", "numbers", "kinds", "units", "periods"}


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in PACKAGE.rglob("*.py")}


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


@cache
def imports(module: str, at_import_time: bool) -> frozenset[str]:
    """The package modules `module` imports: at import time only (not in functions, not under
    TYPE_CHECKING), or anywhere in its source."""
    path = MODULES[module]
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if at_import_time and (
                isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
                or _is_type_checking(child)
            ):
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = package[: len(package) - child.level + 1] if child.level else []
                target = ".".join([*base, child.module] if child.module else base)
                found.add(target)
                found.update(f"{target}.{a.name}" for a in child.names)  # `from . import x`
            walk(child)

    walk(ast.parse(path.read_text(encoding="utf-8")))
    return frozenset(m for m in found if m in MODULES and m != module)


def _cycles(at_import_time: bool) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in imports(v, at_import_time):
            # A package and its own submodules import each other by design (the package's
            # __init__ re-exports); that is not a cycle between concepts.
            if w.startswith(v + ".") or v.startswith(w + "."):
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while (w := stack.pop()) != v:
                component.append(w)
            if component:
                out.append(sorted([v, *component]))

    for module in sorted(MODULES):
        if module not in index:
            visit(module)
    return out


def _closure(module: str) -> set[str]:
    seen, todo = set(), [module]
    while todo:
        for m in imports(todo.pop(), at_import_time=False):
            if m not in seen:
                seen.add(m)
                todo.append(m)
    return seen


def test_the_graph_is_read():
    # The walk must see the real edges, or the tests below prove nothing.
    assert "summarizer.checks" in imports("summarizer.validate", at_import_time=True)
    assert "summarizer.reask" in imports("summarizer.engines.llm", at_import_time=True)
    assert "summarizer.engines.llm" in imports("summarizer.engines", at_import_time=False)
    assert "summarizer.engines.llm" not in imports("summarizer.engines", at_import_time=True)


def test_no_import_cycle_at_import_time():
    assert _cycles(at_import_time=True) == []


def test_the_contract_is_a_leaf():
    # Not even lazily or for type checking: models is plain pydantic data over the pipeline's
    # plain records, and the records are the package's one module that imports none of it.
    for contract in ("summarizer.models", "summarizer.records"):
        assert not {m.split(".")[-1] for m in _closure(contract)} & CHECKING
    assert imports("summarizer.records", at_import_time=False) == frozenset()
    assert imports("summarizer.models", at_import_time=False) == {
        "summarizer",
        "summarizer.records",
    }


def test_only_the_live_engine_uses_the_reask_validators():
    users = {m for m in MODULES if "summarizer.reask" in imports(m, at_import_time=False)}
    assert users == {"summarizer.engines.llm"}


def test_lazy_imports_close_no_cycle_either():
    # Imports inside functions (kept lazy for start-up time) may not knot the package either:
    # the renderers' dispatch sits in `formats`, above both, and the pipeline calls
    # `headline_search` after `indicators`, so neither helper imports its own user.
    assert _cycles(at_import_time=False) == []
