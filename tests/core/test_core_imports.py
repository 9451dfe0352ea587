"""The core's own work pulls in no shell: rendering diagnostics needs no click, and a session
played in the core reads no settings (the shell passes the learner's name in)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def test_diagnostics_and_a_played_session_import_no_click_rich_textual_or_settings() -> None:
    script = (
        "import sys\n"
        "from coach.scenario.loader import load_scenario\n"
        "from coach.scenario.diagnostics import render\n"
        "from coach.sessions.playthrough import Playthrough\n"
        "from coach.engine.text import briefing\n"
        f"bad = load_scenario({str(DATA / 'bad' / 'chance-out-of-range.toml')!r})\n"
        "assert bad.errors and all(render(d) for d in bad.diagnostics)\n"
        f"good = load_scenario({str(DATA / 'good' / 'minimal.toml')!r})\n"
        "play = Playthrough.new(good, seed=1, learner='Ana')\n"
        "play.choose(0)\n"
        "play.close()\n"
        "briefing(good.require(), 'Ana')\n"
        "shells = sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'rich', 'textual'))\n"
        "assert not shells, shells[:3]\n"
        "assert 'coach.config.learner' not in sys.modules and 'coach.config.settings' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ.copy())
    assert result.returncode == 0, result.stderr
