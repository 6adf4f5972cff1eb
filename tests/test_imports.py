"""No module of the package imports another in a circle (issue 15): figures, files and widgets
depend one way. Imports inside functions and under TYPE_CHECKING are not counted: they are the
deliberate exceptions (a heavy dependency loaded when needed, a type named for a reader)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ioc"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps: set[str] = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ioc"):
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    deps.add(sub if sub in modules else node.module)
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name in modules}
        graph[name] = deps - {name}
    return graph


def test_no_module_imports_in_a_circle():
    graph = top_level_imports()
    assert len(graph) > 30
    circles = []
    for start in graph:
        stack = [(start, (start,))]
        while stack:
            node, path = stack.pop()
            for dep in graph.get(node, ()):
                if dep == start:
                    circles.append(path)
                elif dep not in path:
                    stack.append((dep, (*path, dep)))
    assert circles == []


# Pages whose figures live in a module of another name: the sign-in and first-start forms are
# both ioc.auth's, the wall screens ioc.sessions'.
PAGE_MODULES = {"sign_in": "auth", "setup": "auth", "wall_screens": "sessions"}


def test_every_page_is_named_after_its_module():
    """pages/X.py is laid out from ioc/X.py (or ioc/<package>/X.py): a newcomer finds one from the
    other by name (issue 15)."""
    pages = sorted((PACKAGE.parent / "pages").glob("*.py"))
    assert len(pages) >= 10
    modules = {module_name(p).rsplit(".", 1)[-1] for p in PACKAGE.rglob("*.py")}
    unmatched = [p.stem for p in pages if PAGE_MODULES.get(p.stem, p.stem) not in modules]
    assert unmatched == []
