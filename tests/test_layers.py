"""The layers hold: the import contracts in pyproject.toml pass, and no module imports in a cycle.

The contracts (import-linter) say which package may import which; a cycle between two modules
inside one package is invisible to them, so the cycle check walks every import itself
(tests/import_graph.py: imports inside functions count, those under `if TYPE_CHECKING:` do not).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from import_graph import cycles, import_graph

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold() -> None:
    run = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
                               "sys.exit(lint_imports(config_filenames=('pyproject.toml',), no_cache=True))"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_no_module_imports_in_a_cycle() -> None:
    found = [cycle for cycle in cycles(import_graph())
             # a package's __init__ naming its own modules is how Python packages work, not a cycle
             if not (len(cycle) == 2 and cycle[1].startswith(cycle[0] + "."))]
    assert found == [], "\n".join(" <-> ".join(cycle) for cycle in found)


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check above can fail: two modules that import each other are reported."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
