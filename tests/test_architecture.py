"""The layout's rules (ARCHITECTURE.md), read from the code's own imports: data flow one way, and no module
imports itself round a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SOURCE / "scalegap"

#: the stages from upstream to downstream; a module may import its own stage and those before it
STAGES = (
    "foundations",
    "ingest",
    "prepare",
    "package",
    "stats",
    "models",
    "present",
    "run",
    "entry points",
)
#: where each module or package sits (the longest matching name wins); anything unnamed is a defect
PLACES = {
    "scalegap": "foundations",
    "scalegap.errors": "foundations",
    "scalegap.settings": "foundations",
    # the exports section: files, or a warehouse table for usage
    "scalegap.settings_exports": "foundations",
    # pydantic's errors in scalegap's words, and where each value came from (scalegap config)
    "scalegap.settings_words": "foundations",
    "scalegap.vocabulary": "foundations",
    "scalegap.privacy": "foundations",
    "scalegap.names": "foundations",
    "scalegap.client": "foundations",
    "scalegap.resources": "foundations",
    "scalegap.canonical": "foundations",
    "scalegap.markdown": "foundations",
    "scalegap.persist": "foundations",
    "scalegap.counting": "foundations",
    "scalegap.fingerprint": "foundations",
    "scalegap.reads": "foundations",
    "scalegap.number_format": "foundations",
    # the worlds the demo and the calibration draw their clients from import no stage of the pipeline
    "scalegap.simulate": "foundations",
    "scalegap.ingest": "ingest",
    # exports.usage as a warehouse table: raw events summed to person-days in the warehouse through Ibis
    "scalegap.ingest.usage_warehouse": "ingest",
    "scalegap.detect": "ingest",
    "scalegap.formats": "ingest",
    "scalegap.prepare": "prepare",
    "scalegap.package": "package",
    "scalegap.stats": "stats",
    "scalegap.models": "models",
    # the activity queries as Ibis expressions, for any backend (scalegap.models.activity runs them on DuckDB)
    "scalegap.models.activity_queries": "models",
    # a usage table in a warehouse, and the activity queries run there through Ibis
    "scalegap.models.activity_warehouse": "models",
    "scalegap.present": "present",
    "scalegap.present.summary": "present",
    "scalegap.lean_imports": "foundations",
    "scalegap.runner": "run",
    "scalegap.warm_kernels": "run",
    "scalegap.warm_kernel_launcher": "run",
    "scalegap.book": "run",
    "scalegap.downloads": "run",
    "scalegap.static_copies": "run",
    "scalegap.pipeline": "run",
    # work a run does in a thread beside its main one (the summarise step), and whether any is still going
    "scalegap.background": "run",
    "scalegap.run_record": "run",
    "scalegap.builds": "run",
    "scalegap.cache": "run",
    "scalegap.serve": "run",
    # scalegap pdf: the built book printed by Chromium, page by page in the book's order, joined
    "scalegap.pdf": "run",
    # scalegap lab: JupyterLab started on the executed notebooks (an optional extra)
    "scalegap.lab": "run",
    "scalegap.cli": "entry points",
    "scalegap.console": "entry points",
    # several clients at once: each a `scalegap run` of its own
    "scalegap.batch": "entry points",
    # the same clients as tasks on a Dask cluster (scalegap run --scheduler; an optional extra)
    "scalegap.batch_dask": "entry points",
    "scalegap.demo": "entry points",
    "scalegap.__main__": "entry points",
    # the studies of the estimators: the calibration harness runs the whole pipeline; nothing imports them
    "scalegap.studies": "entry points",
    # the generator written apart from simulate imports no stage of the pipeline
    "scalegap.studies.independent_generator": "foundations",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def resolved(name: str) -> str:
    """The module an import names: the module itself, else the package that holds the name imported from it."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imports_of(module: str) -> set[str]:
    """Every scalegap module ``module`` imports, anywhere in it (type-checking and in-function imports too)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            # ``from package import module`` names the module; ``from module import name``, the module
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        found |= {resolved(name) for name in names if name == "scalegap" or name.startswith("scalegap.")}
    return found - {module}


GRAPH = {module: imports_of(module) for module in MODULES}


def place(module: str) -> str:
    name = module
    while name not in PLACES:
        if "." not in name:
            raise KeyError(module)
        name = name.rsplit(".", 1)[0]
    return PLACES[name]


def test_every_module_has_a_place_in_the_stages() -> None:
    unplaced = [module for module in MODULES if not _placed(module)]
    assert not unplaced, f"add these modules to PLACES (and ARCHITECTURE.md): {unplaced}"


def _placed(module: str) -> bool:
    try:
        place(module)
    except KeyError:
        return False
    return True


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_runs_upstream(module: str) -> None:
    rank = STAGES.index(place(module))
    upstream = sorted(f"{target} ({place(target)})" for target in GRAPH[module] if STAGES.index(place(target)) > rank)
    assert not upstream, f"{module} ({place(module)}) imports from downstream: {upstream}"


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_there_is_no_import_cycle() -> None:
    assert cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_planted_cycle() -> None:
    """The check above can fail: two modules importing each other, through a third, form one cycle."""
    planted = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(planted) == [["a", "b", "c"]]


def test_a_planted_upstream_import_is_seen() -> None:
    """The reader of the import graph sees what the stage rule checks: the prepared package does not import
    the models, and a model does import the package."""
    assert "scalegap.package" in GRAPH["scalegap.models.adoption"]
    assert not any(target.startswith("scalegap.models") for target in GRAPH["scalegap.package"])
    assert STAGES.index(place("scalegap.models.adoption")) > STAGES.index(place("scalegap.package"))


# --- module size ----------------------------------------------------------------------------------------------------

MAX_LINES = 600
MAX_PUBLIC_DEFINITIONS = 30


def public_definitions(source: str) -> list[str]:
    """The names a module defines at its top level without a leading underscore (imports are not definitions)."""
    names: list[str] = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [e.id for target in node.targets for e in ast.walk(target) if isinstance(e, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return [name for name in names if not name.startswith("_")]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_doing_several_things(module: str) -> None:
    source = MODULES[module].read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_LINES, f"{module}: over {MAX_LINES} lines; split it along its sections"
    public = public_definitions(source)
    assert len(public) <= MAX_PUBLIC_DEFINITIONS, f"{module}: {len(public)} public definitions"


def test_the_size_rule_counts_definitions_not_imports() -> None:
    source = "from x import a, b\nimport y\nC = 1\n_D = 2\ndef e(): ...\nclass F: ...\nG: int = 3\n__all__ = ['a']\n"
    assert public_definitions(source) == ["C", "e", "F", "G"]


def test_the_general_estimators_know_nothing_of_the_pipeline() -> None:
    """stats/ takes arrays and numbers: it imports no other scalegap module (no package, settings or chapter)."""
    stats = [module for module in MODULES if module == "scalegap.stats" or module.startswith("scalegap.stats.")]
    assert stats, "scalegap.stats is where the general estimators live"
    reaching = {
        module: sorted(target for target in GRAPH[module] if not target.startswith("scalegap.stats"))
        for module in stats
    }
    assert {module: targets for module, targets in reaching.items() if targets} == {}
