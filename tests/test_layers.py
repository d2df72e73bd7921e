"""The package layout is the layer picture: imports go only downwards, no cycles, no private names across modules."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "lufa_cli"
ORDER = ["errors", "reading", "model", "domain", "workspace", "records", "render", "cli"]


def _modules() -> dict[str, ast.Module]:
    out = {}
    for p in sorted(SRC.rglob("*.py")):
        name = ".".join(("lufa_cli", *p.relative_to(SRC).with_suffix("").parts)).removesuffix(".__init__")
        out[name] = ast.parse(p.read_text(encoding="utf-8"))
    return out


def _imports(tree: ast.Module) -> list[tuple[str, list[str], int]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lufa_cli"):
            found.append((node.module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((a.name, [], node.lineno) for a in node.names if a.name.startswith("lufa_cli"))
    return found


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ORDER else None


def test_every_module_sits_in_a_layer() -> None:
    stray = [m for m in _modules() if _layer(m) is None and m not in ("lufa_cli", "lufa_cli.__main__")]
    assert stray == []


def test_no_import_goes_up_a_layer() -> None:
    bad = []
    for mod, tree in _modules().items():
        me = _layer(mod)
        if me is None:
            continue
        for target, _, line in _imports(tree):
            other = _layer(target)
            if other is not None and ORDER.index(other) > ORDER.index(me):
                bad.append(f"{mod}:{line} imports {target}")
    assert bad == []


def test_no_private_name_imported_from_another_module() -> None:
    bad = [f"{mod}:{line} {n}" for mod, tree in _modules().items() for target, names, line in _imports(tree)
           for n in names if n.startswith("_") and not n.startswith("__")]
    assert bad == []


def test_no_import_cycles() -> None:
    mods = _modules()
    graph: dict[str, set[str]] = {}
    for mod, tree in mods.items():
        deps = set()
        for target, names, _ in _imports(tree):
            deps.update(f"{target}.{n}" for n in names if f"{target}.{n}" in mods)
            if target in mods and not any(f"{target}.{n}" in mods for n in names):
                deps.add(target)
        graph[mod] = deps - {mod}
    cycles, state, stack = [], {}, []

    def visit(u: str) -> None:
        state[u] = 1
        stack.append(u)
        for v in sorted(graph.get(u, ())):
            if state.get(v) == 1:
                cycles.append(" → ".join([*stack[stack.index(v):], v]))
            elif v not in state:
                visit(v)
        stack.pop()
        state[u] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert cycles == []


def test_only_the_cli_imports_typer_or_rich_prompts() -> None:
    bad = []
    for mod, tree in _modules().items():
        if _layer(mod) == "cli":
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                if any(n == "typer" or n.startswith("typer.") for n in names):
                    bad.append(f"{mod}:{node.lineno}")
    assert bad == []
