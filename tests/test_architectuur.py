"""The package layout is the architecture: each capability imports only the layers below it.

Lazy imports inside functions count too: a circle through a function body is still a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

PAKKET = Path(__file__).resolve().parents[1] / "ijwcli"

# Lower number = lower layer. A module may import its own group and any group with a lower number.
LAGEN = {
    "errors": 0, "pakketdata": 1, "bestanden": 1, "config": 1,
    "model": 2,
    "bericht": 3,
    "verlenging": 4,
    "validatie": 5,
    "register": 6,
    "generatie": 7, "excel": 7, "toon": 7,
    "verwerk": 8,
    "cli": 9, "__main__": 10,
}


def _groep(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ijwcli"):
            if node.module == "ijwcli":
                found.update(f"ijwcli.{a.name}" for a in node.names)
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("ijwcli."))
    return found


def test_every_import_goes_down_the_layers():
    wrong = []
    for f in sorted(PAKKET.rglob("*.py")):
        module = ".".join(f.relative_to(PAKKET.parent).with_suffix("").parts)
        eigen = _groep(module.removesuffix(".__init__"))
        assert eigen in LAGEN or eigen == "__init__", f"{f}: groep {eigen} heeft geen laag"
        for target in _imports(f):
            doel = _groep(target)
            if doel in ("__init__", "__version__", eigen):
                continue
            if LAGEN[doel] >= LAGEN.get(eigen, 0):
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports tegen de lagen in:\n" + "\n".join(wrong)


def test_sqlalchemy_stays_inside_the_register():
    for f in sorted(PAKKET.rglob("*.py")):
        rel = f.relative_to(PAKKET).parts
        if rel[0] == "register":
            continue
        mods = {m for m in _imports_all(f)}
        assert not {m for m in mods if m.split(".")[0] in ("sqlalchemy", "alembic", "psycopg")}, f


def _imports_all(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found
