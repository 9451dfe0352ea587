"""A session played without a screen: which option a typed token names, and the summary printed
at the end. Shared by `coach simulate` and the bot protocol, which both take choices as text."""

from __future__ import annotations

from ..engine import engine


def summary(play, result) -> dict:
    """The object `--json` prints at the end: the debrief, the seed and the path taken.

    A step's `choice` is its number as shown in this session (feed it back with the same seed to
    make the same decision); `authored` is its place in the file.
    """
    from ..engine import order
    from ..reporting.reports import debrief_json

    path = []
    for s in play.state.history:
        number = None
        if s.choice >= 0:
            scene = play.scenario.nodes[s.scene]
            shown = order.shown_order(play.scenario, scene, play.seed, version=play.order_version)
            number = shown.index(s.choice) + 1
        path.append({"scene": s.scene, "choice": number, "authored": s.choice + 1 if s.choice >= 0 else None,
                     "choice_id": s.choice_id, "outcome": s.outcome, "arrived": s.arrived})
    payload = debrief_json(result)
    payload.update(session=play.session_id, seed=play.seed, path=path,
                   current=None if play.finished else play.state.scene)
    return payload


def find_option(play, token: str):
    """The option a token names (a number as shown, or a choice id), `"timeout"`, or an error message."""
    scene = engine.current_scene(play.scenario, play.state)
    assert scene is not None
    options = play.options()
    offer = "; ".join(
        f"{o.number} {o.choice.id or ''}".strip() + ("" if o.available else f" (locked: {o.reason})") for o in options
    )
    if token.lower() == "timeout":
        if scene.on_timeout is None:
            return f"scene '{scene.id}' has no time limit, so it cannot time out (choices: {offer})"
        return "timeout", None
    if token.isdigit() and len(token) <= 6:
        option = next((o for o in options if o.number == int(token)), None)
    else:
        option = next((o for o in options if o.choice.id is not None and o.choice.id == token), None)
    if option is None:
        return f"scene '{scene.id}' has no choice '{_shown(token)}' (choices: {offer})"
    if not option.available:
        return f"choice {option.number} of scene '{scene.id}' is locked: {option.reason} (choices: {offer})"
    return "choice", option


def _shown(token: str) -> str:
    """An answer echoed back: bounded, control characters replaced."""
    cleaned = "".join(c if c.isprintable() else "?" for c in token[:60])
    return cleaned + ("…" if len(token) > 60 else "")
