"""History: every past session, newest first, with its date, scenario, mode, ending, score and
state; filtered by scenario, sorted, opened to replay, compared, resumed (`r`, an unfinished one)
or deleted (after asking).
A session that branched off another says so, and an unreadable one says what is wrong."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from textual.binding import Binding
from textual.css.query import NoMatches
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...scenario.loader import builtin_rubric
from ...sessions import history
from ...sessions.store import FirstPage, SessionSummary, first_page, list_sessions
from ..widgets.rowlist import RowList, cells_line
from ..widgets.scores import score_style
from .base import CoachScreen
from .dialogs import Dialog

if TYPE_CHECKING:
    from datetime import datetime

    from textual.app import ComposeResult
    from textual.geometry import Size

COLUMNS = ("", "When", "Scenario", "Mode", "Ending", "Score", "Status")
TITLE_NARROW, ENDING_NARROW, STATUS_NARROW = 18, 12, 14
ALL = "\x00all"
PAGE = 40
"""Rows in the table before the first frame, at least (as many as the terminal has lines if it
has more): a screenful. The rest are added after it, CHUNK at a time: the table measures every
new cell, and 2,000 rows at once held the first frame of a long history for about a second."""
COMPARED = Content.styled("◆", "bold $accent")
"""The mark beside the session picked for comparison."""
CHUNK = 250
CHUNK_EVERY = 1 / 50
"""Seconds between chunks: keys pressed meanwhile are handled between them."""


class HistoryList(RowList):
    """The history's rows, one line per session, under a header of the same columns (a RowList:
    a DataTable drew them before, and rendering its ~200 cells of a screenful through rich was
    most of the first frame)."""

    BINDINGS = [Binding("enter", "select", "Replay", id="history.replay")]


class HistoryScreen(CoachScreen):
    CRUMBS = ("History",)
    STYLES = ("widgets/rowlist.tcss", "screens/history.tcss", "screens/dialogs.tcss")
    BINDINGS = [
        Binding("f", "filter", "Filter", id="history.filter"),
        Binding("s", "sort", "Sort", id="history.sort"),
        Binding("r", "resume", "Resume", id="history.resume"),
        Binding("c", "compare", "Compare", id="history.compare"),
        Binding("p", "progress", "Profile", id="history.progress"),
        Binding("x,delete", "delete", "Delete", id="history.delete"),
        Binding("escape", "back", "Library", id="history.back"),
    ]

    def __init__(self, *, select: str | None = None, now: datetime | None = None) -> None:
        super().__init__()
        self._now = now
        self.scenario: str | None = None
        self.sort = "newest"
        self.marked: SessionSummary | None = None
        """The first session of a comparison, waiting for the second."""
        self._select = select
        self._compared: int | None = None
        """The row with the `◆` of the session marked for comparison, if it has one."""
        self._suspended = False
        self._filling = 0
        """Counts fills of the table, so rows still to add for an earlier fill are dropped."""
        self._drawn = False
        """The first frame is on screen: from then on, rows beyond the first page follow in chunks."""
        self._page: FirstPage | None = None
        """While a long history shows only its first page, read from the index's head (see `_load`)."""
        self._load(first=select is None)

    @property
    def now(self) -> datetime:
        return self._now or history.local_now()

    def _load(self, first: bool = False) -> None:
        """Every session; or, for the `first` frame of a long history, only the newest page from
        the index's head (no stat of every log): `_complete` lists them all once it is drawn."""
        self._page = first_page() if first else None
        self.sessions: list[SessionSummary] = self._page.sessions if self._page else list_sessions()
        self.by_id = {s.id: s for s in self.sessions}
        self.shown: list[SessionSummary] = history.view(self.sessions, scenario=self.scenario, sort=self.sort)

    # --- layout -------------------------------------------------------------------------------
    def title_info(self) -> Content:
        if self._page is not None:
            count, done = self._page.total, self._page.finished
        else:
            count = len(self.sessions)
            done = sum(1 for s in self.sessions if s.finished)
        return Content.styled(f"{count} {'session' if count == 1 else 'sessions'} · {done} finished", "$text-muted")

    def compose_body(self) -> Iterable[Widget]:
        yield Static(id="history-bar")
        with Vertical(id="history-pane"):
            yield Static(id="history-header", classes="row-header")
            yield HistoryList(id="history")
            with VerticalScroll(id="history-detail-box"):
                yield Static(id="history-detail")

    def on_mount(self) -> None:
        self._fill()
        self.navigator.after_first_frame(self._first_frame_drawn)

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def on_screen_resume(self) -> None:
        """Back from a replay, a comparison or a new branch: the sessions may have changed.
        (Textual also resumes a screen when it is first shown; on_mount has just filled it then.)"""
        if not self._suspended:
            return
        self._suspended = False
        self._page = None
        current = self.selected
        self._load()
        self._select = current.id if current else None
        self.title_bar.set_info(self.title_info())
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(HistoryList)
        now = self.now
        narrow = self.has_class("-narrow")
        # Narrow (80 columns) rows are 77 cells: the pane's 78 less the scrollbar, so nothing is cut at the edge.
        widths = (1, 15, TITLE_NARROW if narrow else 30, 0 if narrow else 5, ENDING_NARROW if narrow else 20, 5,
                  STATUS_NARROW if narrow else 26)
        columns = [(label, width) for label, width in zip(COLUMNS, widths) if width]
        self.query_one("#history-header", Static).update(cells_line([Content(label) for label, _ in columns],
                                                                     [width for _, width in columns]))
        row = next((i for i, s in enumerate(self.shown) if s.id == self._select), 0) if self._select else 0
        self._select = None
        self._filling += 1
        self._compared = self._compared_row()
        count = max(PAGE, self.app.size.height, row + PAGE // 2)
        table.show_rows(self._rows(0, count, now, narrow), [width for _, width in columns], highlighted=row)
        self._chunk_later(now, narrow)
        self._mark_row(self._cursor_row)
        self._show_bar()
        table.focus()

    def _rows(self, first: int, count: int, now: datetime, narrow: bool) -> list[list[Content]]:
        """Rows `first` to `first + count` of `shown` (of the index's head only, until complete)."""
        last = self._page.rows if self._page is not None else len(self.shown)
        rows = []
        for index in range(first, min(first + count, last)):
            cells = self._row(self.shown[index], now, narrow)
            if index == self._compared:  # marked while its row was still to come
                cells[0] = COMPARED
            rows.append(cells)
        return rows

    def _add_rows(self, count: int, now: datetime, narrow: bool) -> None:
        """The next `count` rows of `shown`; once the first frame is drawn, the rest follow CHUNK at a time."""
        table = self.query_one(HistoryList)
        table.add_rows(self._rows(table.row_count, count, now, narrow))
        self._chunk_later(now, narrow)

    def _chunk_later(self, now: datetime, narrow: bool) -> None:
        if self.query_one(HistoryList).row_count < len(self.shown) and self._drawn:  # a timer, not a message: frames are drawn between chunks
            filling = self._filling
            self.set_timer(CHUNK_EVERY, lambda: self._add_more(filling, now, narrow))

    def _first_frame_drawn(self) -> None:
        """The rest of a long history is added only once the first page is on screen: chunks
        started during mounting held the first frame back by as much as they saved."""
        self._drawn = True
        if self._page is not None:  # the rest listed a timer later: the first frame goes out first
            self.set_timer(CHUNK_EVERY, self._completed_drawn)
        elif not self.filled:
            self._add_rows(0, self.now, self.has_class("-narrow"))

    def _completed_drawn(self) -> None:
        if self.is_mounted and not self._complete() and not self.filled:  # (a table filled again adds its own chunks)
            self._add_rows(0, self.now, self.has_class("-narrow"))

    def _complete(self) -> bool:
        """List every session, if only the first page was read; reconcile the table with it: the
        rows already added stay if they are still the first ones, else the table is filled again
        on the highlighted session (a log changed since the index was written). True if it was."""
        if self._page is None:
            return False
        page = self._page
        drawn = self.shown[:self.query_one(HistoryList).row_count]
        current = self.selected
        self._load()
        if (len(self.sessions), sum(1 for s in self.sessions if s.finished)) != (page.total, page.finished):
            self.title_bar.set_info(self.title_info())
        if self.shown[:len(drawn)] != drawn:
            self._select = current.id if current else None
            self._fill()
            return True
        self._show_bar()
        self._mark_row(self._cursor_row)  # the detail, against every session
        return False

    def _add_more(self, filling: int, now: datetime, narrow: bool) -> None:
        if filling == self._filling and self.is_mounted:  # not a table since cleared and filled again
            self._add_rows(CHUNK, now, narrow)

    @property
    def filled(self) -> bool:
        """Every shown session has its row (a long history adds them after the first frame)."""
        return self.query_one(HistoryList).row_count >= len(self.shown)

    def _row(self, summary: SessionSummary, now: datetime, narrow: bool) -> list[Content]:
        # Quiet cells are "dim", not $text-muted, as when the history was a DataTable (in whose cells
        # Textual 8.2.8 resolved the theme's "auto 60%" muted colours to black): it looks the same.
        unreadable = not summary.readable
        title = Content(summary.title if not unreadable else summary.path.name)
        if summary.branched_from is not None:
            title = Content.assemble(("↳ ", "$text-accent"), title)
        score = Content.styled(f"{summary.overall:>3}%", f"bold {score_style(summary.overall)}") \
            if summary.overall is not None else Content.styled("  —", "dim")
        status = history.status_words(summary)
        if unreadable:
            status_cell = Content.styled(f"✕ {status}", "bold $text-error")
        elif summary.problems:
            status_cell = Content.styled(f"⚠ {status}", "$text-warning")
        elif summary.finished:
            status_cell = Content.styled(status, "dim")
        else:
            status_cell = Content.styled(status, "$text-warning")
        cells = [
            Content(""),
            Content(history.when_words(summary.time, now)),
            title.truncate(TITLE_NARROW if narrow else 30, ellipsis=True),
            Content.styled(summary.mode if not unreadable else "—", "$text-secondary"),
            Content(summary.ending_title or summary.ending).truncate(ENDING_NARROW if narrow else 20, ellipsis=True)
            if summary.ending else Content.styled("—", "dim"),
            score,
            status_cell.truncate(STATUS_NARROW, ellipsis=True) if narrow else status_cell,
        ]
        if narrow:
            del cells[3]
        return cells

    def _fit(self, size: Size) -> None:
        narrow = self.has_class("-narrow")
        super()._fit(size)
        if narrow != self.has_class("-narrow") and self.query_one(HistoryList).widths:
            current = self.selected
            self._select = current.id if current else None
            self._fill()

    def _show_bar(self) -> None:
        scenario = "All scenarios"
        if self.scenario is not None:
            scenario = next((c.title for c in history.scenarios_of(self.sessions) if c.scenario == self.scenario), self.scenario)
        parts: list[Content | tuple[str, str] | str] = [
            ("Scenario ", "$text-muted"), (scenario, "bold"), (" f", "bold $accent"),
            ("   ·   Sort ", "$text-muted"), (history.SORTS[self.sort], "bold"), (" s", "bold $accent"),
            ("   ·   ", "$text-muted"), (f"{self._page.total if self._page else len(self.shown)} shown", "$text-muted"),
        ]
        if self.marked is not None:
            parts += [
                "\n",
                ("◆ Comparing ", "bold $accent"),
                Content(f"{self.marked.title}, {history.when_words(self.marked.time, self.now)}"),
                (": pick another session of it and press c  (esc cancels)", "$text-muted"),
            ]
        self.query_one("#history-bar", Static).update(Content.assemble(*parts))

    # --- the highlighted session ----------------------------------------------------------------
    @property
    def selected(self) -> SessionSummary | None:
        if not self.shown or self.query_one(HistoryList).row_count == 0:
            return None
        return self.shown[min(self._cursor_row, len(self.shown) - 1)]

    @property
    def _cursor_row(self) -> int:
        highlighted = self.query_one(HistoryList).highlighted
        return highlighted if highlighted is not None else 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._mark_row(self._cursor_row)  # not the event's row: a refill may have come since
        self.refresh_bindings()  # Resume is offered only on an unfinished row

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_replay()

    def _compared_row(self) -> int | None:
        if self.marked is None:
            return None
        return next((i for i, s in enumerate(self.shown) if s.id == self.marked.id), None)

    def _mark_row(self, row: int) -> None:
        """`◆` beside the session marked for comparison (the list draws `›` beside the highlighted
        one), and the highlighted session's detail. Only a row whose mark changes is drawn again."""
        table = self.query_one(HistoryList)
        compared = self._compared_row()
        if compared != self._compared:
            for index, mark in ((self._compared, Content("")), (compared, COMPARED)):
                if index is not None and index < table.row_count:
                    table.set_mark(index, mark)
            self._compared = compared
        self._show_detail(self.shown[row] if self.shown and row < len(self.shown) else None)

    def _show_detail(self, summary: SessionSummary | None) -> None:
        detail = self.query_one("#history-detail", Static)
        if summary is None:
            if self.sessions:
                detail.update(Content.styled("No session of this scenario. f changes the filter.", "$text-muted"))
            else:
                detail.update(Content.assemble(("No sessions yet. ", "bold"),
                                               "Play a scenario from the library; every session you play is kept here."))
            return
        now = self.now
        if not summary.readable:
            detail.update(Content.assemble(
                ("✕ This session cannot be read.", "bold $text-error"), "\n",
                Content("; ".join(summary.problems)), "\n",
                (f"{summary.path}", "$text-muted"), "\n",
                ("It is kept as it is; x deletes it if you no longer want it.", "$text-muted"),
            ))
            return
        parts: list[Content | tuple[str, str] | str] = [
            (summary.title, "bold"), ("  ·  ", "$text-muted"), history.when_words(summary.time, now),
            ("  ·  ", "$text-muted"), (f"{summary.mode} mode", "$text-secondary"),
            ("  ·  ", "$text-muted"), (summary.id, "$text-muted"), "\n",
        ]
        if summary.finished:
            overall = summary.overall
            parts += [("Ending ", "$text-muted"), (summary.ending_title or summary.ending or "—", "bold"), ("  ·  ", "$text-muted"),
                      (f"{overall}%", f"bold {score_style(overall)}"), " overall"]
            criteria = builtin_rubric().criteria
            scores = [Content.assemble(criteria[n].title if n in criteria else n, " ", (f"{p}%", score_style(p)))
                      for n, p in summary.scores.items()]
            if scores:
                parts += ["\n", Content("  ·  ").join(scores)]
        else:
            count = summary.decisions
            parts += [("Unfinished", "bold $text-warning"),
                      f" after {count} {'decision' if count == 1 else 'decisions'}; ", ("r", "bold $accent"),
                      " resumes it, ⏎ replays it."]
        link = history.branch_words(summary, self.by_id, now)
        if link:
            parent = self.by_id.get(summary.branched_from.session) if summary.branched_from else None
            parts += ["\n", (link, "$text-accent")]
            if parent is not None and parent.overall is not None:
                parts.append((f" (that one scored {parent.overall}%)", "$text-muted"))
        children = history.branches_of(summary, self.sessions)
        if children:
            words = ", ".join(f"{history.when_words(c.time, now)} from decision {c.branched_from.step + 1}"  # type: ignore[union-attr]
                              for c in children[:3])
            more = f" and {len(children) - 3} more" if len(children) > 3 else ""
            parts += ["\n", (f"⑂ {len(children)} {'branch' if len(children) == 1 else 'branches'} made from it: ", "$text-accent"),
                      words + more]
        if summary.reflection:  # the answer to the debrief's question
            parts += ["\n", ("Next time: ", "bold $accent"), Content(summary.reflection)]
        for problem in summary.problems:
            parts += ["\n", ("⚠ ", "bold $text-warning"), Content(problem)]
        detail.update(Content.assemble(*parts))

    # --- actions --------------------------------------------------------------------------------
    def action_replay(self) -> None:
        summary = self.selected
        if summary is not None:
            self.navigator.open_replay(summary.path)

    def action_resume(self) -> None:
        """Continue the highlighted session where it was left, if it is unfinished."""
        from .resuming import resume_session

        summary = self.selected
        if summary is not None and self._resumable(summary):
            resume_session(self, summary)

    @staticmethod
    def _resumable(summary: SessionSummary | None) -> bool:
        return summary is not None and summary.readable and not summary.finished

    def action_filter(self) -> None:
        self._complete()

        def picked(scenario: str | None) -> None:
            if scenario is None:
                return
            self.scenario = None if scenario == ALL else scenario
            self.shown = history.view(self.sessions, scenario=self.scenario, sort=self.sort)
            self._fill()

        self.navigator.ask(FilterScreen(history.scenarios_of(self.sessions), len(self.sessions), self.scenario), picked)

    def action_sort(self) -> None:
        self._complete()
        order = list(history.SORTS)
        self.sort = order[(order.index(self.sort) + 1) % len(order)]
        current = self.selected
        self._select = current.id if current else None
        self.shown = history.view(self.sessions, scenario=self.scenario, sort=self.sort)
        self._fill()

    def action_compare(self) -> None:
        self._complete()
        summary = self.selected
        if summary is None or not summary.readable:
            self.notify("Pick a readable session to compare.", severity="warning")
            return
        if self.marked is None or self.marked.id == summary.id:
            self.marked = summary
            self._mark_row(self._cursor_row)
            self._show_bar()
            return
        if summary.scenario != self.marked.scenario:
            self.notify(f"Compare needs two sessions of the same scenario: pick another session of {self.marked.title}.",
                        severity="warning")
            return
        first, self.marked = self.marked, None
        older, newer = sorted((first, summary), key=lambda s: (s.time, s.path.name))
        self._show_bar()
        self.navigator.open_compare(older.path, newer.path)

    def action_progress(self) -> None:
        self.navigator.open_progress(crumbs=("History", "Profile"))

    def action_delete(self) -> None:
        self._complete()
        summary = self.selected
        if summary is None:
            return
        from .dialogs import ConfirmScreen

        if summary.readable:
            what = f"{summary.title}, {history.when_words(summary.time, self.now)}"
            state = f"{summary.overall}%" if summary.overall is not None else history.status_words(summary)
            what += f" ({state})"
        else:
            what = summary.path.name
        children = history.branches_of(summary, self.sessions)
        extra = (f" The {len(children)} {'branch' if len(children) == 1 else 'branches'} made from it stay, "
                 "with their own copy of its decisions.") if children else ""
        message = f"Delete the session {what}? Its log is removed from disk; this cannot be undone.{extra}"

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(summary)

        self.navigator.ask(ConfirmScreen("Delete this session?", message, yes="Delete", no="Keep it"), answered)

    def _delete(self, summary: SessionSummary) -> None:
        self._complete()
        from ...sessions.log import SessionError
        from ...sessions.store import delete_session

        try:
            delete_session(summary.path)
        except SessionError as error:
            self.notify(str(error), title="Not deleted", severity="error", timeout=10)
            return
        if self.marked is not None and self.marked.id == summary.id:
            self.marked = None
        row = self._cursor_row
        self._load()
        self._select = self.shown[min(row, len(self.shown) - 1)].id if self.shown else None
        self.title_bar.set_info(self.title_info())
        self._fill()
        self.notify(f"Deleted {summary.path.name}.")

    def action_back(self) -> None:
        if self.marked is not None:
            self.marked = None
            self._mark_row(self._cursor_row)
            self._show_bar()
            return
        self.navigator.open_home()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("delete", "compare") and not self.shown:
            return False
        if action == "filter" and not self.sessions:
            return False
        if action == "resume":
            try:
                if not self._resumable(self.selected):
                    return False
            except NoMatches:  # not composed yet
                return False
        return super().check_action(action, parameters)


class FilterScreen(Dialog):
    """Pick the scenario whose sessions to list; dismisses with its id, ALL, or None (cancelled)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="history-filter.cancel")]

    def __init__(self, scenarios: list[history.ScenarioCount], total: int, current: str | None) -> None:
        super().__init__()
        self._scenarios = scenarios
        self._total = total
        self._current = current

    def compose(self) -> ComposeResult:
        options = [Option(Content.assemble(("All scenarios", "bold"), (f"  {self._total}", "$text-muted")), id=ALL)]
        options += [Option(Content.assemble(Content(c.title), (f"  {c.sessions}", "$text-muted")), id=c.scenario)
                    for c in self._scenarios]
        with Vertical(classes="dialog filter") as box:
            box.border_title = "Show the sessions of"
            yield OptionList(*options, id="filter-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        wanted = self._current or ALL
        for index in range(options.option_count):
            if options.get_option_at_index(index).id == wanted:
                options.highlighted = index
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
