"""Reading a 1,000-event session log, against msgspec decoding the same bytes in one call.

Run: python bench/bench_sessions.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import msgspec  # noqa: E402
from timing import measure, report  # noqa: E402

from coach.sessions import log  # noqa: E402


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    with log.SessionWriter.create(folder, "bench") as writer:
        writer.append(log.start_event("bench", "precision-cliff", "The Precision Cliff", "0" * 64, 7, "coach"))
        for index in range(998):
            writer.append(log.Choice(scene=f"scene-{index}", choice=index % 3, choice_id=f"c{index % 3}",
                                     text="Roll back to last week's model while you investigate", seconds=4.2,
                                     time="2026-11-23T09:00:00+00:00"))
        writer.append(log.End(ending="contained", scores={"monitoring": 80, "failure": 70}, overall=76,
                              time="2026-11-23T09:30:00+00:00"))
    path = writer.path
    data = path.read_bytes()
    as_array = b"[" + b",".join(data.splitlines()) + b"]"
    decoder = msgspec.json.Decoder(list[log.Event])
    print(f"1,000 events, {len(data) / 1024:.0f} KiB")
    report(measure({
        "msgspec: decode the same events in one call": lambda: decoder.decode(as_array),
        "read_session (read the file, decode line by line, check)": lambda: log.read_session(path),
    }, rounds=20), "msgspec: decode the same events in one call")
    os.remove(path)


if __name__ == "__main__":
    main()
