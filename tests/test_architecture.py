"""The package's shape: layers that only import downwards, no import cycles, every module says its job."""

import ast
import subprocess
import sys
from pathlib import Path

import grimp

PACKAGE = Path(__file__).resolve().parents[1] / "harrowperf"
LAYERS = ["pipeline", "present", "analyse", "read", "foundation"]  # top to bottom


def _graph():
    return grimp.build_graph("harrowperf", include_external_packages=False)


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_import_linter_contract_holds():
    """`make lint` runs the same contract; here it is part of the test suite too."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=PACKAGE.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_no_module_imports_a_higher_layer():
    graph = _graph()
    backwards = []
    for module in graph.modules:
        own = _layer(module)
        for imported in graph.find_modules_directly_imported_by(module):
            other = _layer(imported)
            if own is not None and other is not None and other < own:
                backwards.append(f"{module} -> {imported}")
    assert backwards == []


def test_there_are_no_import_cycles():
    """Tarjan's strongly connected components over every import, including those inside functions."""
    graph = _graph()
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges[node]:
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

    sys.setrecursionlimit(10_000)
    for module in modules:
        if module not in index:
            visit(module)
    assert cycles == []


def test_every_module_says_what_it_holds():
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        docstring = ast.get_docstring(ast.parse(path.read_text("utf-8")))
        if not docstring or len(docstring.split()) < 4:
            missing.append(str(path.relative_to(PACKAGE.parent)))
    assert missing == []


def test_every_library_module_sits_in_a_layer():
    """Only the package's front door (``__init__``, ``__main__``) lives outside the five layers."""
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert loose == []


_DISPLAY_NAMES = ("_text", "_table", "headline", "readable", "money", "ordinal")
# The ranked frame's rank_basis column ("closest to 100 is best") is part of its contract (RANK_COLUMNS),
# and writes the ideal value exactly as given (:g), not rounded for display.
_LABEL_COLUMNS = {("benchmark.py", "_rank_basis")}


def _functions(path: Path) -> list[ast.FunctionDef]:
    return [node for node in ast.parse(path.read_text("utf-8")).body if isinstance(node, ast.FunctionDef)]


def test_analyses_hold_numbers_only():
    """analyse/ returns numbers: its modules define no function that writes display text (``*_text``,
    ``*_table``, ``headline``, ``readable``), formats numbers (``format_*``, ``money``, ``ordinal``) or
    puts a number into text with a format (``f"{x:.1%}"``). present/ does that, through one formatter."""
    found = []
    for path in sorted((PACKAGE / "analyse").glob("*.py")):
        for function in _functions(path):
            name = function.name.lstrip("_")
            if name.endswith(_DISPLAY_NAMES) or name.startswith("format"):
                found.append(f"{path.name}: def {function.name}")
            for node in ast.walk(function):
                if isinstance(node, ast.FormattedValue) and node.format_spec is not None \
                        and (path.name, function.name) not in _LABEL_COLUMNS:
                    found.append(f"{path.name}:{node.lineno} formats a number in {function.name}")
    assert found == []


def test_one_formatter():
    """Numbers become text in harrowperf/present/format.py only: no other module defines a formatter
    or an ordinal function."""
    found = [f"{path.relative_to(PACKAGE)}: def {function.name}"
             for path in sorted(PACKAGE.rglob("*.py")) if path.name != "format.py"
             for function in _functions(path)
             if function.name in ("format_value", "money", "ordinal", "_ordinal_text", "_short_money", "_percent",
                                  "_signed", "format_change", "_m")]
    assert found == []

