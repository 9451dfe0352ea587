"""`coach explore`: every path through a scenario, for authors."""

from __future__ import annotations

import json

import click

from .printing import echo


@click.command()
@click.argument("scenario")
@click.option("--random", "runs", type=click.IntRange(0, 100_000), default=0, help="Also run N random playthroughs.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the random playthroughs.")
@click.option("--seeds", type=click.IntRange(1, 1000), default=50, show_default=True,
              help="Seeds each naive strategy is played on (seeds 0..N-1, each with its own choice order).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--setup", "setup", metavar="ID", default=None,
              help="For a scenario with [[setups]]: explore only this setup (default: each one in turn).")
def explore(scenario: str, runs: int, seed: int, seeds: int, as_json: bool, setup: str | None = None) -> None:
    """Explore every path through SCENARIO: endings reached, score ranges, the expert path, and
    what naive strategies (always the first option shown, the last, the longest text, random,
    the most cautious-sounding words) earn: their median overall and grade across seeds.

    A scenario with [[setups]] is explored once per setup (each has its own expert path and
    ceilings), and each is reported in turn; --setup ID reports one.

    The expert path's choice numbers are the authored order (the file's); a session shows them
    shuffled by its seed unless the scenario or scene sets `shuffle = false`.

    \b
    Examples:
      coach explore precision-cliff
      coach explore my-draft.toml --random 1000 --seed 3
      coach explore my-draft.toml --setup unit-change
    """
    import sys

    from ..engine import setups as setup_module
    from .loading import scenario_or_exit

    model = scenario_or_exit(scenario, "explore").require()
    if setup is not None:
        try:
            setup_module.by_id(model, setup)
        except setup_module.UnknownSetup as error:
            echo(f"coach explore: {error}", err=True)
            sys.exit(2)
    chosen: list[str | None] = [setup] if setup is not None else [s.id for s in model.setups] or [None]
    reports = [_report(model, one, runs, seed, seeds) for one in chosen]
    if as_json:
        if model.setups and setup is None:
            total = sum(s.weight for s in model.setups)
            payload = {"scenario": model.id, "setups": [
                {"id": s.id, "title": s.title, "weight": s.weight, "chance": round(s.weight / total, 4), **report[0]}
                for s, report in zip(model.setups, reports)]}
        else:
            payload = {"scenario": model.id, **reports[0][0]}
            if setup is not None:
                payload["setup"] = setup
        echo(json.dumps(payload, indent=2))
        return
    for number, (one, (_, lines)) in enumerate(zip(chosen, reports)):
        found = setup_module.by_id(model, one)
        if found is not None:
            total = sum(s.weight for s in model.setups)
            echo(("\n" if number else "") + f"=== Setup {one}: {found.title} (weight {found.weight}, "
                 f"drawn {100 * found.weight / total:.0f}% of the time) ===")
        echo("\n".join(lines))


def _report(model, setup: str | None, runs: int, seed: int, seeds: int) -> tuple[dict, list[str]]:
    """One exploration (of `setup`, for a scenario with setups): its JSON section and its text."""
    from ..engine.explore import explore as run_explore
    from ..engine.explore import MAX_PATHS, random_runs
    from ..engine.strategies import evaluate
    from ..scenario.loader import builtin_rubric

    analysis = run_explore(model, random_runs=max(runs, 200), seed=seed, setup=setup)
    endings, reflexes = analysis.ending_counts, analysis.reflex_counts
    total_runs = analysis.random_runs
    if runs and analysis.exhaustive:
        endings, reflexes, _ = random_runs(model, runs, seed, setup=setup)
        total_runs = runs
    never = analysis.never_available(model)
    naive = evaluate(model, analysis, builtin_rubric(), seeds=seeds, setup=setup)
    expert: list[dict[str, object]] = []
    for step in analysis.expert_path:
        scene = model.nodes[step.scene]
        expert.append({"scene": step.scene, "choice": step.choice + 1 if step.choice >= 0 else None,
                       "id": scene.choices[step.choice].id if step.choice >= 0 else "timeout",
                       "text": scene.choices[step.choice].text if step.choice >= 0 else "(time runs out)"})
    section = {
        "exhaustive": analysis.exhaustive,
        "states": analysis.states,
        "paths": analysis.paths,
        "longest_path": analysis.longest_path,
        "shortest_to_strong": analysis.shortest_to_strong,
        "endings": {e.id: {"reached": analysis.endings_reached[e.id], "rating": e.rating} for e in model.endings},
        "criteria": {c: {"min": analysis.min_points.get(c, 0), "max": analysis.max_points.get(c, 0),
                         "expert": analysis.ceilings.get(c, 0)} for c in model.criteria},
        "expert_path": expert,
        "expert_ending": analysis.expert_ending,
        "never_available": [{"scene": s, "choice": i + 1} for s, i in never],
        "stuck": sorted(analysis.stuck),
        "random": {"runs": total_runs, "endings": dict(endings), "reflexes": dict(reflexes)} if total_runs else None,
        "strategies": {"seeds": seeds, "results": [r.as_json() for r in naive]},
    }
    lines: list[str] = []
    out = lines.append
    how = "every path" if analysis.exhaustive else f"too many states to enumerate; {analysis.random_runs} random playthroughs instead"
    out(f"{model.title} ({model.id}): {how}")
    if analysis.exhaustive:
        paths = f"{analysis.paths}" if analysis.paths < MAX_PATHS else f"more than {MAX_PATHS - 1}"
        out(f"  {analysis.states} distinct states, {paths} distinct paths")
        strong = analysis.shortest_to_strong
        out(f"  {analysis.longest_path} decisions on the longest path; "
            + (f"{strong} on the shortest path to a strong ending" if strong is not None else "no path reaches a strong ending"))
    out("\nEndings")
    for ending in model.endings:
        mark = "reached" if analysis.endings_reached[ending.id] else "NEVER REACHED"
        out(f"  {ending.id:<28} {ending.rating:<7} {mark}")
    out("\nCriteria (points on any path; 100% is the expert path's)")
    for criterion, weight in model.criteria.items():
        out(f"  {criterion:<16} weight {weight}   min {analysis.min_points.get(criterion, 0):+d}   max {analysis.max_points.get(criterion, 0):+d}"
            f"   expert {analysis.ceilings.get(criterion, 0):+d}")
    dice = any(step.outcome is not None for step in analysis.expert_path)
    out(f"\nExpert path (ends at {analysis.expert_ending}" + ("; where dice roll, its least lucky roll)" if dice else ")"))
    for number, shown in enumerate(expert, start=1):
        out(f"  {number:>2}. [{shown['scene']}] {shown['text']}")
    if never:
        out("\nChoices no path makes available")
        for scene, index in never:
            out(f"  {scene} choice {index + 1}: requires {model.nodes[scene].choices[index].requires}")
    if analysis.stuck:
        out("\nScenes where the learner can get stuck: " + ", ".join(sorted(analysis.stuck)))
    out(f"\nNaive strategies ({seeds} seeds each; median overall and its grade)")
    out(f"  {'strategy':<36} {'median':>6}  grade  {'best':>4} {'worst':>5}  strong endings")
    for result in naive:
        out(f"  {result.title:<36} {result.median:>5g}%  {result.grade:^5}  {result.best:>3}% {result.worst:>4}%"
            f"  {result.strong_endings:>3} of {result.runs}")
    if total_runs:
        out(f"\nRandom playthroughs ({total_runs}, seed {seed})")
        for ending, count in endings.most_common():
            out(f"  {ending:<28} {count:>6}  {100 * count / total_runs:5.1f}%")
        if reflexes:
            out("  reflexes shown:")
            for reflex, count in reflexes.most_common():
                out(f"    {reflex:<24} {count:>6}")
    return section, lines
