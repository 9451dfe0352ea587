"""Hypothesis strategies for valid scenarios, built directly as Structs."""

from __future__ import annotations

from hypothesis import strategies as st

from coach.scenario.model import Choice, Ending, Metric, Outcome, Route, Scenario, Scene

CRITERIA = ["evaluation", "monitoring", "failure", "impact"]
FLAGS = ["alpha", "beta", "gamma"]


@st.composite
def scenarios(draw, max_scenes: int = 7) -> Scenario:
    scene_count = draw(st.integers(2, max_scenes))
    ending_count = draw(st.integers(1, 3))
    scene_ids = [f"s{i}" for i in range(scene_count)]
    ending_ids = [f"e{i}" for i in range(ending_count)]
    metrics = {"quality": Metric(label="Quality", start=0.5, min=0.0, max=1.0, display="percent")}
    criteria = {c: draw(st.integers(1, 3)) for c in draw(st.lists(st.sampled_from(CRITERIA), min_size=1, max_size=3, unique=True))}
    flags_used = draw(st.lists(st.sampled_from(FLAGS), min_size=1, max_size=3, unique=True))

    def target(index: int) -> str:
        # Mostly forward (so most paths end), sometimes back (loops), sometimes to an ending.
        kind = draw(st.sampled_from(["forward", "forward", "ending", "back"]))
        if kind == "forward" and index + 1 < scene_count:
            return scene_ids[draw(st.integers(index + 1, scene_count - 1))]
        if kind == "back" and index > 0:
            return scene_ids[draw(st.integers(0, index - 1))]
        return draw(st.sampled_from(ending_ids))

    def condition() -> str | None:
        kind = draw(st.sampled_from(["none", "none", "flag", "metric", "not"]))
        if kind == "flag":
            return draw(st.sampled_from(flags_used))
        if kind == "not":
            return f"not {draw(st.sampled_from(flags_used))}"
        if kind == "metric":
            return f"quality {draw(st.sampled_from(['<', '>=']))} {draw(st.sampled_from([0.3, 0.5, 0.7]))}"
        return None

    scenes = []
    for index, scene_id in enumerate(scene_ids):
        if index > 0 and draw(st.integers(0, 5)) == 0:
            # Routes only lead forward: a cycle of routes is an error (C031), not a scenario.
            forward = scene_ids[index + 1 :] + ending_ids
            routes = [Route(goto=draw(st.sampled_from(forward)), when=condition() or "quality < 0.5"),
                      Route(goto=draw(st.sampled_from(forward)))]
            scenes.append(Scene(id=scene_id, routes=routes))
            continue
        choices = []
        for number in range(draw(st.integers(1, 3))):
            score = {c: draw(st.integers(-3, 3)) for c in criteria if draw(st.booleans())}
            effects = {"quality": draw(st.sampled_from([-0.2, -0.1, 0.1, 0.2]))} if draw(st.booleans()) else {}
            sets = [draw(st.sampled_from(flags_used))] if draw(st.booleans()) else []
            requires = condition() if number > 0 else None  # the first choice is always open
            if draw(st.integers(0, 3)) == 0:
                outcomes = [Outcome(chance=0.25, goto=target(index)), Outcome(chance=0.75, goto=target(index), effects={"quality": -0.1})]
                choices.append(Choice(text=f"{scene_id} c{number}", id=f"c{number}", outcomes=outcomes, score=score,
                                      effects=effects, set=sets, requires=requires, feedback="why"))
            else:
                choices.append(Choice(text=f"{scene_id} c{number}", id=f"c{number}", goto=target(index), score=score,
                                      effects=effects, set=sets, requires=requires, feedback="why"))
        timed = draw(st.integers(0, 4)) == 0
        scenes.append(Scene(id=scene_id, title=scene_id.upper(), text="text", choices=choices,
                            time_limit=30 if timed else None, on_timeout=target(index) if timed else None))
    endings = [Ending(id=e, title=e.upper(), rating=draw(st.sampled_from(["strong", "mixed", "poor"]))) for e in ending_ids]
    # Every flag named in a condition must be set somewhere: let the start scene's first choice set them all.
    first = scenes[0]
    if first.choices:
        head = first.choices[0]
        first.choices[0] = Choice(text=head.text, id=head.id, goto=head.goto, outcomes=head.outcomes, score=head.score,
                                  effects=head.effects, set=sorted(set(head.set) | set(flags_used)), requires=None,
                                  feedback=head.feedback)
    return Scenario(format=1, id="generated", title="Generated", summary="s", role="r", difficulty="intro", minutes=5,
                    start="s0", criteria=criteria, metrics=metrics, scenes=scenes, endings=endings)
