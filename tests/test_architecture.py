"""The house rules of docs/architecture.md that a machine can check."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import tuanxue

ROOT = Path(tuanxue.__file__).parent
TOP_LEVEL_LIMIT = 16  # "about fifteen" modules at a package's top level


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _import_graph() -> dict[str, set[str]]:
    """Module -> project modules it imports, at the top or inside functions."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges = set()
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                    base = f"{base}.{node.module}" if node.module else base
                if not base.startswith("tuanxue"):
                    continue
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    edges.add(target if target in modules else base)
            elif isinstance(node, ast.Import):
                edges |= {a.name for a in node.names if a.name.startswith("tuanxue.")}
        graph[name] = {e for e in edges if e in modules and e != name}
    return graph


def test_no_import_cycle_among_the_projects_modules():
    graph = _import_graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(cycles)


def test_no_package_has_more_than_about_fifteen_top_level_modules():
    crowded = {}
    for package in [p for p in ROOT.rglob("__init__.py") if "migrations" not in p.parts]:
        folder = package.parent
        count = len([p for p in folder.glob("*.py")])
        if count > TOP_LEVEL_LIMIT:
            crowded[str(folder.relative_to(ROOT.parent))] = count
    assert not crowded, crowded


def _definitions(pattern: str) -> list[str]:
    regex = re.compile(pattern, re.M)
    return [
        f"{path.relative_to(ROOT.parent)}"
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts and regex.search(path.read_text(encoding="utf-8"))
    ]


def test_each_rule_has_one_home():
    # the League committee check
    assert _definitions(r"^\s*def (is_league|is_league_committee|is_school_league)\(") == [
        "tuanxue/org/access.py"
    ]
    # the student of a user
    assert _definitions(r"^\s*def (own_student|student_of)\(") == ["tuanxue/org/access.py"]
    # an over-marked ballot (the independent recount counts with code of its own, on purpose)
    assert _definitions(r"^def over_marked\(") == ["tuanxue/congress/polls/ballots.py"]
    # the one error path of views: nowhere else is a refusal's code turned into 403 by hand
    assert _definitions(r'exc\.code == "forbidden"') == ["tuanxue/core/forms.py"]


def test_no_test_module_imports_another():
    tests_root = Path(__file__).parent
    pattern = re.compile(r"^\s*(from|import) tests\.[\w.]*\btest_\w+", re.M)
    offenders = [
        str(path.relative_to(tests_root.parent))
        for folder in (tests_root, tests_root.parent / "e2e")
        for path in folder.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders
