"""The authoring core and `coach graph` never import Textual (checked in a fresh interpreter)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HANDWRITTEN = Path(__file__).resolve().parent / "data" / "handwritten.toml"


def test_authoring_core_and_graph_command_never_import_textual() -> None:
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "import coach.authoring.writer, coach.authoring.saving, coach.authoring.graph, coach.authoring.scaffold\n"
        "import coach.authoring.edits, coach.authoring.watch\n"
        "from coach.cli import main\n"
        f"for args in (['graph', {str(HANDWRITTEN)!r}], ['graph', {str(HANDWRITTEN)!r}, '--format', 'dot'],\n"
        "             ):\n"
        "    result = CliRunner().invoke(main, args)\n"
        "    assert result.exit_code == 0, (args, result.output)\n"
        "assert 'textual' not in sys.modules, [m for m in sys.modules if m.startswith('textual')][:3]\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ.copy())
    assert result.returncode == 0, result.stderr
