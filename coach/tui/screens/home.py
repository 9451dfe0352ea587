"""Home: the scenario library, the learner's progress per criterion, and an unfinished session to
resume. Broken scenarios are listed too, marked, with their diagnostics one key away."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import OptionList, Static

from ...config.library import LibraryEntry, library, quick_library
from ...learning.profile import skills
from ...learning.recommend import Advice, recommend
from ...learning.progress import best_scores, resumable
from ...scenario.rubric import builtin_rubric
from ...sessions.store import SessionSummary, list_sessions
from ..widgets.rowlist import RowList, cells_line
from ..widgets.scores import ProgressRow
from .base import CoachScreen

if TYPE_CHECKING:
    from textual.events import Click
    from textual.geometry import Size

    from ...learning.recommend import Advice
    from ...sessions.store import SessionSummary
    from ..widgets.scores import ProgressRow

COLUMNS = ("", "Scenario", "Level", "Min", "Best", "Trains")
DIFFICULTY_ORDER = {"intro": 0, "intermediate": 1, "advanced": 2}
DIFFICULTY_DOTS = {"intro": "●○○", "intermediate": "●●○", "advanced": "●●●"}


def sort_key(entry: LibraryEntry) -> tuple:
    scenario = entry.result.scenario
    if scenario is not None:
        return (0, not entry.builtin, DIFFICULTY_ORDER.get(scenario.difficulty, 9), scenario.title.lower())
    head = entry.preview
    if head:  # still loading: where its top-level keys say it goes, so the row stays put when it loads
        difficulty = head.get("difficulty")
        return (0, not entry.builtin, DIFFICULTY_ORDER.get(difficulty if isinstance(difficulty, str) else "", 9),
                str(head["title"]).lower())
    return (1, 0, 0, entry.path.name)


def criterion_titles(ids: Iterable[str]) -> list[str]:
    """The rubric's titles ("Mitigate, then diagnose"), as the rest of the app says them; an id
    the rubric does not know stays as it is."""
    criteria = builtin_rubric().criteria
    return [criteria[c].title if c in criteria else c for c in ids]


class LibraryList(RowList):
    """The library's rows, one line per scenario, under a header of the same columns (a RowList:
    a DataTable, which it replaced, rendered every cell through its own padding before the first
    frame, 40-90 ms of home's start, more than every other widget on the screen together)."""

    BINDINGS = [
        Binding("enter", "select", "Open", id="home.open"),
        Binding("home", "first", "First scenario", show=False, id="home.first"),
        Binding("end", "last", "Last scenario", show=False, id="home.last"),
    ]


class ResumeBanner(Static):
    async def on_click(self, event: Click) -> None:
        event.stop()
        await self.screen.run_action("resume")  # a coroutine: not awaited, the click did nothing


class HomeScreen(CoachScreen):
    CRUMBS = ("Library",)
    STYLES = ("widgets/rowlist.tcss", "screens/home.tcss", "widgets/scores.tcss")
    BINDINGS = [
        Binding("d", "diagnostics", "Diagnostics", id="home.diagnostics"),
        Binding("r", "resume", "Resume", id="home.resume"),
        Binding("h", "history", "History", id="home.history"),
        Binding("p", "profile", "Profile", show=False, id="home.profile"),  # named in the progress pane's border
        Binding("t", "tour", "Tour", show=False, id="home.tour"),  # offered once by itself, then in ? and the palette
        Binding("n", "new_scenario", "New", id="home.new"),
        Binding("e", "edit_scenario", "Edit", id="home.edit"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="home.reload"),  # in ? and the palette; the footer must fit 80 columns
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._stale = False
        """Set when an authoring screen opened on top may have changed the library."""
        self._resumed = False
        """Whether the screen has been shown once: later resumes re-read the sessions played meanwhile."""
        self._fitted = 0
        """The terminal width the table's columns were fitted to."""
        # The first frame is drawn from what needs no parsing: scenarios the cache answers, and
        # the top-level keys of the others. Those load, and the sessions are read, in a worker
        # started once the frame is on screen (`_load_in_background`).
        self.entries: list[LibraryEntry] = sorted(quick_library(), key=sort_key)
        self.sessions: list[SessionSummary] = []
        self.best: dict[str, int] = {}
        self.resume_summary: SessionSummary | None = None
        self.ready = False
        """Whether every scenario is loaded and the sessions read; until then the progress pane is
        empty and pending rows say they are loading (tests wait on this)."""

    def _load(self) -> None:

        self.entries = sorted(library(), key=sort_key)
        self.sessions = list_sessions()
        self.best = best_scores(self.sessions)
        self.resume_summary = resumable(self.sessions)
        self.ready = True

    def _load_in_background(self) -> None:
        self.run_worker(self._read_the_rest, thread=True, exclusive=True, group="home-load")

    def _read_the_rest(self) -> None:
        """In a thread: load the pending scenarios and read the sessions, then hand both to the
        screen in one go (one refill of the table, not one per file)."""
        from ...config.library import load_pending
        from ..widgets import scores  # noqa: F401 - imported here, off the first frame

        entries = load_pending(self.entries)
        sessions = list_sessions()
        try:
            self.app.call_from_thread(self._show_the_rest, entries, sessions, best_scores(sessions), resumable(sessions))
        except RuntimeError:  # the app closed meanwhile: nobody to show it to
            pass

    def _show_the_rest(self, entries: list[LibraryEntry], sessions: list[SessionSummary], best: dict[str, int],
                       resume: SessionSummary | None) -> None:
        if self.ready or not self.is_attached:  # a reload read everything more recently, or the screen is gone
            return
        self.entries = sorted(entries, key=sort_key)
        self.sessions, self.best, self.resume_summary = sessions, best, resume
        self.ready = True
        self.title_bar.set_info(self.title_info())
        self._fill_table()  # the cursor stays on its scenario (`library_choice`) should the order change
        self._show_resume()
        self._show_progress()
        self.refresh_bindings()

    # --- layout -------------------------------------------------------------------------------
    def title_info(self) -> Content:
        playable = sum(1 for e in self.entries if e.result.scenario is not None or e.preview)
        done = sum(1 for s in self.sessions if s.finished)
        return Content.styled(
            f"{playable} {'scenario' if playable == 1 else 'scenarios'} · {done} finished {'session' if done == 1 else 'sessions'}",
            "$text-muted",
        )

    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(id="home-body"):
            with Vertical(id="library-pane") as pane:
                pane.border_title = "Scenarios"
                yield Static(id="library-header", classes="row-header")
                yield LibraryList(id="library")
                with VerticalScroll(id="detail-box"):
                    yield Static(id="detail")
            with VerticalScroll(id="progress-pane") as side:
                side.border_title = "Your progress"
                side.border_subtitle = "p profile"
                yield Static(self._next_content(), id="next")
                if self.ready:
                    yield from self._progress_rows()
        yield ResumeBanner(id="resume")

    def _progress_rows(self) -> list[ProgressRow]:
        from ..widgets.scores import ProgressRow

        return [ProgressRow(skill.title, tuple(e.score for e in skill.evidence), skill.estimate)
                for skill in skills(self.sessions, builtin_rubric())]

    def _advice(self) -> list[Advice]:
        from ...sessions.history import local_now

        return recommend(self.entries, self.sessions, builtin_rubric(), local_now())

    def _next_content(self) -> Content:
        """What to play next and why (coach.learning.recommend), above the skills; nothing until
        the sessions are read, since advice from no sessions would be wrong for a returning learner."""
        if not self.ready:
            return Content("")
        advice = self._advice()
        if not advice:
            return Content("")
        parts: list[Content] = [Content.styled("Play next", "bold $text-accent")]
        for item in advice:
            parts.append(Content.assemble(("▸ ", "$accent"), (item.title, "bold")))
            parts.append(Content.styled(f"  {item.reason}", "$text-muted"))
        return Content("\n").join(parts)

    def _refresh_progress(self) -> None:
        """Sessions may have been played since the pane was drawn: re-read them (the index makes
        that cheap) and redraw the advice and the skills, not the library."""

        self.sessions = list_sessions()
        self.best = best_scores(self.sessions)
        self.resume_summary = resumable(self.sessions)
        self._show_progress()

    def _show_progress(self) -> None:
        from ..widgets.scores import ProgressRow

        pane = self.query_one("#progress-pane")
        self.query_one("#next", Static).update(self._next_content())
        pane.query(ProgressRow).remove()
        pane.mount_all(self._progress_rows())

    def on_mount(self) -> None:
        self._fill_table()
        self._show_resume()
        self.navigator.after_first_frame(self._load_in_background)  # the first frame first: the worker competes for the GIL
        from ...learning.firstrun import welcomed

        if not welcomed():
            self.action_tour()

    def action_tour(self) -> None:
        self.navigator.open_tour()

    def _fill_table(self) -> None:
        self._fitted = self.app.size.width
        rows = [self._row(entry) for entry in self.entries]
        widths = [max([cell.cell_length for cell in column] + [len(label)]) for column, label in
                  zip(zip(*rows), COLUMNS)] if rows else [len(label) for label in COLUMNS]
        title_limit = 24 if self.has_class("-narrow") else 36
        limits = (1, title_limit, 5, 3, 4, 80)
        widths = [min(width, limit) for width, limit in zip(widths, limits)]
        # The Trains column ends in an ellipsis where the pane ends, instead of a word cut in half.
        room = self._trains_room(widths[:-1])
        if rows and room is not None and widths[-1] > room:
            widths[-1] = room
            rows = [(*row[:-1], row[-1].truncate(room, ellipsis=True)) for row in rows]
        widths[0] = 1  # the `›` beside the highlighted row (the room above has a column to spare for it)
        self.query_one("#library-header", Static).update(cells_line(map(Content, COLUMNS), widths))
        # Back from a scenario (a new home screen) or a reload: the cursor stays on the scenario.
        chosen = getattr(self.app, "library_choice", None)
        paths = [str(entry.path) for entry in self.entries]
        table = self.query_one(LibraryList)
        table.show_rows(rows, widths, highlighted=paths.index(chosen) if chosen in paths else 0)
        self._show_detail(self.entries[table.highlighted or 0] if self.entries else None)
        table.focus()

    def _trains_room(self, others: list[int]) -> int | None:
        """Columns left for Trains: the screen less the progress pane, the library's border and
        scrollbar, and the other columns with their cell padding (None when too little to use)."""
        side = 28 if self.has_class("-narrow") else 40
        room = self.app.size.width - side - 2 - 1 - sum(width + 2 for width in others) - 2
        return room if room >= 8 else None

    def _row(self, entry: LibraryEntry) -> tuple[Content, ...]:
        scenario = entry.result.scenario
        if entry.pending:
            return self._pending_row(entry)
        if scenario is None:
            errors = len(entry.result.errors) or 1
            return (
                Content(""),
                Content.assemble(("✕ ", "bold $text-error"), Content(entry.path.name)),
                Content.styled("  ✕", "$text-error"),
                Content(""),
                Content(""),
                Content.assemble(("broken", "bold $text-error"),
                                 (f" · {errors} {'error' if errors == 1 else 'errors'} · d to see", "$text-muted")),
            )
        best = self.best.get(scenario.id)
        title = Content(scenario.title)
        if entry.source:  # a shared folder or an installed pack
            title = Content.assemble(title, (f" · {entry.source}", "$text-muted"))
        elif not entry.builtin:
            title = Content.assemble(title, (" · yours", "$text-muted"))
        return (
            Content(""),
            title,
            Content.styled(DIFFICULTY_DOTS.get(scenario.difficulty, ""), "$accent"),
            Content(f"{scenario.minutes:>3}"),
            Content.styled(f"{best:>3}%", "bold") if best is not None else Content.styled("  —", "$text-disabled"),
            Content.styled(", ".join(criterion_titles(scenario.criteria)), "$text-muted"),
        )

    def _pending_row(self, entry: LibraryEntry) -> tuple[Content, ...]:
        """A file still loading, drawn from its top-level keys as its loaded row will be; the Best
        and Trains cells wait for the load only when the keys do not say them."""
        head = entry.preview or {}
        title = Content(str(head["title"])) if "title" in head else Content.styled(entry.path.name, "$text-muted")
        if entry.source:
            title = Content.assemble(title, (f" · {entry.source}", "$text-muted"))
        elif not entry.builtin:
            title = Content.assemble(title, (" · yours", "$text-muted"))
        difficulty, minutes, criteria = head.get("difficulty"), head.get("minutes"), head.get("criteria")
        trains = ", ".join(criterion_titles(criteria)) if isinstance(criteria, dict) else "loading…"
        return (
            Content(""),
            title,
            Content.styled(DIFFICULTY_DOTS.get(difficulty, "") if isinstance(difficulty, str) else "", "$accent"),
            Content(f"{minutes:>3}" if isinstance(minutes, int) else ""),
            Content.styled("  —", "$text-disabled"),
            Content.styled(trains, "$text-muted"),
        )

    def _fit(self, size: Size) -> None:
        narrow = self.has_class("-narrow")
        super()._fit(size)
        table = self.query_one(LibraryList)
        if (narrow != self.has_class("-narrow") or size.width != self._fitted) and table.widths:  # refit the columns
            row = table.highlighted
            self._fill_table()
            table.highlighted = row

    def _show_resume(self) -> None:
        banner = self.query_one("#resume", ResumeBanner)
        summary = self.resume_summary
        banner.display = summary is not None
        if summary is None:
            return
        count = summary.decisions
        banner.update(
            Content.assemble(
                ("▶ Unfinished: ", "bold $accent"),
                (summary.title, "bold"),
                (f" · {count} {'decision' if count == 1 else 'decisions'} in · {summary.mode} mode", "$text-muted"),
                ("   r", "bold $accent"),
                " resume",
            )
        )

    # --- the highlighted scenario --------------------------------------------------------------
    @property
    def selected(self) -> LibraryEntry | None:
        """The highlighted entry; one still loading in the background is loaded now, since the
        key pressed on it (open, diagnostics, edit) needs the whole file."""
        table = self.query_one(LibraryList)
        if not self.entries or table.option_count == 0:
            return None
        index = min(table.highlighted or 0, len(self.entries) - 1)
        entry = self.entries[index]
        if entry.pending:
            from ...config.library import load_pending

            [entry] = load_pending([entry])
            self.entries[index] = entry
        return entry

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        row = self.query_one(LibraryList).highlighted  # not the event's: a refill may have come since
        if row is not None and row < len(self.entries):
            self.app.library_choice = str(self.entries[row].path)  # type: ignore[attr-defined]
            self._show_detail(self.entries[row])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def _show_detail(self, entry: LibraryEntry | None) -> None:
        detail = self.query_one("#detail", Static)
        if entry is None:
            from ...io.paths import user_scenarios_dir

            detail.update(Content.assemble(("No scenarios found. ", "bold"), f"Put scenario files in {user_scenarios_dir()}"))
            return
        scenario = entry.result.scenario
        if entry.pending:
            detail.update(Content.assemble((str((entry.preview or {}).get("title", entry.path.name)), "bold"),
                                           ("\nloading…", "$text-muted")))
            return
        if scenario is None:
            first = entry.result.errors[0] if entry.result.errors else None
            where = f"{first.file}:{first.line}:{first.col}: {first.message}" if first else str(entry.path)
            detail.update(
                Content.assemble(
                    ("✕ This scenario is broken and cannot be played.", "bold $text-error"),
                    "\n",
                    (where, "$text-muted"),
                    "\n",
                    ("d", "bold $accent"),
                    " shows every problem, as `coach check` does.",
                )
            )
            return
        trains = ", ".join(criterion_titles(scenario.criteria))
        plays = sum(1 for s in self.sessions if s.scenario == scenario.id and s.finished)
        best = self.best.get(scenario.id)
        record = f"best {best}% over {plays} {'play' if plays == 1 else 'plays'}" if best is not None else "not played yet"
        record = f" · {record}" if self.ready else ""  # the sessions are still being read
        detail.update(
            Content.assemble(
                (scenario.title, "bold"),
                ("  ·  ", "$text-muted"),
                (scenario.role, "$text-secondary"),
                "\n",
                (f"{DIFFICULTY_DOTS.get(scenario.difficulty, '')} {scenario.difficulty}", "$accent"),
                (f" · about {scenario.minutes} min{record}", "$text-muted"),
                "\n",
                scenario.summary.strip(),
                "\n",
                ("Trains ", "$text-muted"),
                trains,
            )
        )

    # --- actions --------------------------------------------------------------------------------
    def action_open(self) -> None:
        entry = self.selected
        if entry is None:
            return
        if entry.result.scenario is None:
            self.action_diagnostics()
            return
        self.navigator.open_briefing(entry.result)

    def action_diagnostics(self) -> None:
        from .dialogs import DiagnosticsScreen

        entry = self.selected
        if entry is None:
            return
        if entry.result.scenario is not None and not entry.result.diagnostics:
            self.notify(f"{entry.path.name} has no problems.")
            return
        self.navigator.ask(DiagnosticsScreen(entry))

    def action_resume(self) -> None:
        from ...sessions.log import SessionError
        from ...sessions.playthrough import Playthrough

        summary = self.resume_summary
        if summary is None or summary.record is None:
            self.notify("There is no unfinished session to resume.")
            return
        try:
            playthrough = Playthrough.resume(summary.record)
        except SessionError as error:
            self.notify(str(error), title="Cannot resume", severity="error", timeout=10)
            return
        self.navigator.open_play(playthrough)

    def action_history(self) -> None:
        self.navigator.open_history()

    def action_new_scenario(self) -> None:
        """The `coach new` wizard; its file lands in the user's scenarios folder, so the library lists it."""
        self._stale = True
        self.navigator.open_wizard()

    def action_edit_scenario(self) -> None:
        """The workspace on the user's own scenario; a built-in is edited as a copy, after asking."""
        entry = self.selected
        if entry is None:
            return
        if not entry.builtin and not entry.shipped:  # a pack's files are edited as a copy, like a built-in
            self._stale = True
            self.navigator.open_workspace(entry.path)
            return
        scenario = entry.result.scenario
        if scenario is None:
            self.action_diagnostics()
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            from ...config.library import copy_for_editing

            try:
                copy = copy_for_editing(entry.path, scenario.id, scenario.title)
            except OSError as error:
                self.notify(str(error), title="Cannot copy", severity="error", timeout=10)
                return
            self._stale = True
            self.notify(f"Copied to {copy}.", title="Your copy")
            self.navigator.open_workspace(copy)

        from .dialogs import ConfirmScreen

        self.navigator.ask(ConfirmScreen(
            "Edit a copy?",
            f"“{scenario.title}” is built into coach and is not changed in place. Copy it into your "
            f"scenarios folder, with an id of its own, and edit the copy?",
            yes="Copy and edit", no="Cancel"), answered)

    def on_screen_resume(self) -> None:
        if not self._resumed:  # the first resume is the screen's first showing: it was just drawn from _load
            self._resumed = True
            return
        if self._stale:
            self._stale = False
            self._load()
            self.title_bar.set_info(self.title_info())
            self._fill_table()
            self._show_resume()
            self._refresh_progress()
        else:
            self._refresh_progress()
            self.title_bar.set_info(self.title_info())
            self._fill_table()
            self._show_resume()

    def action_profile(self) -> None:
        self.navigator.open_progress()

    def action_reload(self) -> None:
        self._load()
        self.title_bar.set_info(self.title_info())
        self._fill_table()
        self._show_resume()
        self._refresh_progress()
        self.notify("Library reloaded.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume" and self.resume_summary is None:
            return False
        return super().check_action(action, parameters)
