"""The review interface (Textual): one passage at a time, the machine's events, keys to decide.

Every key that decides something calls `ReviewSession`, which stores the decision at once; the
app keeps no state of its own beyond what is on screen, so quitting (or a crash) loses nothing
and reopening resumes where the coder stopped. Driven headlessly in tests with `App.run_test()`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from coding.review import EDITABLE, EventState, ReviewError, ReviewSession

HELP = ("a accept  x reject  e edit  n add event  A accept rest  u undo  s skip  d done/next  "
        "↑↓ event  ←→ passage  q quit")
STATUS_STYLE = {"undecided": "yellow", "accepted": "green", "edited": "cyan", "rejected": "red strike",
                "added": "magenta"}


def _v(value: Any) -> str:
    return "" if value is None else str(value)


class _ValueScreen(ModalScreen[bool]):
    """Pick (optionally) a field, then type a value; suggestions come from the codebook by words.

    `submit(field, value)` stores the decision and returns an error message, or None when stored.
    """

    BINDINGS: ClassVar[list[Binding]] = [Binding("escape", "cancel", "cancel")]
    DEFAULT_CSS = """
    _ValueScreen { align: center middle; }
    _ValueScreen > Vertical { width: 90%; height: auto; max-height: 90%; border: round $accent; padding: 0 1;
                              background: $surface; }
    _ValueScreen OptionList { height: auto; max-height: 12; }
    _ValueScreen #error { color: $error; }
    """

    def __init__(self, title: str, choices: list[tuple[str, str]], app_: ReviewApp, kind: str,
                 field: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices  # (key, label): fields to edit, or sentences to add an event to
        self.review = app_
        self.kind = kind  # edit | add
        self.field = field
        self.choice: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(escape(self.title_text), id="title")
            yield OptionList(*[Option(escape(label), id=key) for key, label in self.choices], id="choices")
            yield Static("", id="prompt")
            yield Input(placeholder="", id="value", select_on_focus=False)
            yield OptionList(id="suggestions")
            yield Static("", id="error")
            yield Static("enter: choose / store   tab: to suggestions   esc: cancel", id="keys")

    def on_mount(self) -> None:
        self.query_one("#value", Input).display = False
        self.query_one("#suggestions", OptionList).display = False
        self.query_one("#choices", OptionList).focus()

    def _field(self) -> str:
        return self.field or (self.choice or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "choices":
            self.choice = event.option.id
            event.option_list.display = False  # room for the value and its suggestions
            self.query_one("#title", Static).update(escape(f"{self.title_text}: {event.option.prompt}"))
            field = self._field()
            box = self.query_one("#value", Input)
            current = self.review.current_value(field) if self.kind == "edit" else ""
            self.query_one("#prompt", Static).update(
                escape(f"{field} (now {current!r}): {EDITABLE.get(field, '')}. Type a value or words to search."))
            box.placeholder = current
            box.display = True
            self.query_one("#suggestions", OptionList).display = True
            self._suggest("")
            box.focus()
        else:  # a suggestion: store it
            value = str(event.option.id or "")[2:]
            self.query_one("#value", Input).value = value
            self._submit(value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._suggest(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(event.value)

    def _suggest(self, words: str) -> None:
        sugg = self.query_one("#suggestions", OptionList)
        sugg.clear_options()
        field = self._field()
        if not field:
            return
        found = self.review.suggest(field, words)
        # ids must be unique and may be empty: prefix the position
        sugg.add_options([Option(escape(f"{value or '(empty)'}  {label}"), id=f"{i:02d}"[:2] + value)
                          for i, (value, label) in enumerate(found)])

    def _submit(self, value: str) -> None:
        err = self.review.store_value(self.kind, self.choice, self._field(), value)
        if err:
            self.query_one("#error", Static).update(escape(err))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class ReviewApp(App[None]):
    """The coder's screen: passage with the event's sentence highlighted, events, fields, help."""

    TITLE = "evcode review"
    CSS = """
    #head { background: $primary; color: $text; padding: 0 1; }
    #passage { height: auto; max-height: 12; border: round $primary; padding: 0 1; }
    #events { height: auto; border: round $secondary; padding: 0 1; }
    #detail { height: auto; border: round $secondary; padding: 0 1; }
    #message { height: auto; padding: 0 1; }
    #help { dock: bottom; background: $panel; color: $text; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("a", "accept", "accept"),
        Binding("x", "reject", "reject"),
        Binding("e", "edit", "edit"),
        Binding("n", "add", "add event"),
        Binding("A", "accept_rest", "accept rest"),
        Binding("u", "undo", "undo"),
        Binding("s", "skip", "skip"),
        Binding("d", "done", "done"),
        Binding("down,j", "move(1)", "next event", show=False),
        Binding("up,k", "move(-1)", "previous event", show=False),
        Binding("right", "passage(1)", "next passage", show=False),
        Binding("left", "passage(-1)", "previous passage", show=False),
        Binding("q,ctrl+c", "quit", "quit", priority=True),
    ]

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session
        self.pid: str | None = session.resume_at()
        self.cursor = 0
        self.message = ""
        self.message_style = ""

    # -- layout -----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="head")
        with VerticalScroll():
            yield Static("", id="passage")
            yield Static("", id="events")
            yield Static("", id="detail")
            yield Static("", id="message")
        yield Static(HELP, id="help")

    def on_mount(self) -> None:
        self.refresh_view()

    def events(self) -> list[EventState]:
        return self.session.events(self.pid) if self.pid else []

    def selected(self) -> EventState | None:
        evs = self.events()
        return evs[self.cursor] if 0 <= self.cursor < len(evs) else None

    def say(self, text: str, style: str = "") -> None:
        self.message, self.message_style = text, style

    def refresh_view(self) -> None:
        s = self.session
        done, total = s.progress()
        head = self.query_one("#head", Static)
        if self.pid is None:
            head.update(escape(f"evcode review — coder {s.coder} — all {total} passage(s) finished"))
            self.query_one("#passage", Static).update("Nothing left to review. Press q to quit "
                                                      "(u undoes the last decision).")
            self.query_one("#events", Static).update("")
            self.query_one("#detail", Static).update("")
        else:
            info = s.infos[self.pid]
            pos = s.passage_ids.index(self.pid) + 1
            head.update(escape(f"evcode review — coder {s.coder} — passage {pos}/{len(s.passage_ids)} "
                               f"{self.pid} ({s.status(self.pid)}) — {info.date or 'no date'} — "
                               f"{done}/{total} done"))
            evs = self.events()
            self.cursor = max(0, min(self.cursor, len(evs) - 1))
            ev = self.selected()
            self.query_one("#passage", Static).update(self._passage_text(info.text, ev))
            self.query_one("#events", Static).update(self._event_list(evs))
            self.query_one("#detail", Static).update(self._detail(ev))
        msg = Text(self.message, style=self.message_style)
        self.query_one("#message", Static).update(msg)

    def _passage_text(self, text: str, ev: EventState | None) -> Text:
        out = Text(text)
        if ev is not None:
            r = ev.record
            a, b = int(r.get("span_start") or 0), int(r.get("span_end") or 0)
            out.stylize("reverse", a, b)
            trig = _v(r.get("trigger"))
            if trig:
                k = text.find(trig, a, b)
                if k >= 0:
                    out.stylize("bold underline", k, k + len(trig))
        return out

    def _event_list(self, evs: list[EventState]) -> Text:
        out = Text()
        if not evs:
            out.append("The machine found no event in this passage: n adds one, d finishes the passage.")
            return out
        for i, e in enumerate(evs):
            r = e.record
            mark = "▶ " if i == self.cursor else "  "
            out.append(mark)
            out.append(f"{e.status:<9}", style=STATUS_STYLE.get(e.status, ""))
            out.append(f" {e.event_id}  {_v(r.get('cameo_code')):<5} {_v(r.get('sub_event_type')) or '-'}  "
                       f"{_v(r.get('actor1_text')) or '-'} → {_v(r.get('actor2_text')) or '-'}  "
                       f"[{e.rule_id}]\n")
        out.rstrip()
        return out

    def _detail(self, ev: EventState | None) -> Text:
        if ev is None:
            return Text("")
        r = ev.record
        cameo = self.session.vocabulary.cameo.get(_v(r.get("cameo_code")), {}).get("name", "?")
        lines = [
            f"event {ev.event_id} — {ev.status}" + (f" (edited: {', '.join(ev.edited)})" if ev.edited else ""),
            f"CAMEO       {_v(r.get('cameo_code'))} {cameo}  (root {_v(r.get('cameo_root'))}, goldstein {_v(r.get('goldstein'))})",
            (f"ACLED       {_v(r.get('event_type')) or '-'} / {_v(r.get('sub_event_type')) or '-'} "
             f"({_v(r.get('disorder_type')) or '-'}) {_v(r.get('civilian_targeting'))}"),
            (f"actor 1     {_v(r.get('actor1_text')) or '-'} | {_v(r.get('actor1_code')) or '-'} | "
             f"{_v(r.get('actor1')) or '-'} | inter {_v(r.get('inter1')) or '-'}"),
            (f"actor 2     {_v(r.get('actor2_text')) or '-'} | {_v(r.get('actor2_code')) or '-'} | "
             f"{_v(r.get('actor2')) or '-'} | inter {_v(r.get('inter2')) or '-'}  "
             f"(interaction {_v(r.get('interaction')) or '-'})"),
            f"place       {_v(r.get('country')) or '-'} / {_v(r.get('admin1')) or '-'} / {_v(r.get('location')) or '-'}",
            f"date        {_v(r.get('event_date')) or '-'}    fatalities {_v(r.get('fatalities'))}",
            f"rule        {ev.rule_id}  trigger {_v(r.get('trigger'))!r} {_v(r.get('modifier'))}",
        ]
        return Text("\n".join(lines))

    # -- helpers for the modal screens -----------------------------------------------------------
    def current_value(self, field: str) -> str:
        ev = self.selected()
        return _v(ev.record.get(field)) if ev else ""

    def suggest(self, field: str, words: str) -> list[tuple[str, str]]:
        ev = self.selected()
        return self.session.vocabulary.suggest(field, words, ev.record if ev else {})

    def store_value(self, kind: str, choice: str | None, field: str, value: str) -> str | None:
        """Store an edit or an addition; the error message when the value is refused."""
        try:
            if kind == "edit":
                ev = self.selected()
                if ev is None or self.pid is None:
                    return "no event selected"
                self.session.edit(self.pid, ev.event_id, field, value)
                self.say(f"{ev.event_id}: {field} set to {value!r}", "green")
            else:
                assert self.pid is not None
                d = self.session.add(self.pid, int(choice or 0), {"cameo_code": value})
                self.cursor = next((i for i, e in enumerate(self.events()) if e.event_id == d.event_id), self.cursor)
                self.say(f"added {d.event_id}; e edits its other fields", "green")
        except ReviewError as err:
            return str(err)
        self.refresh_view()
        return None

    # -- actions ----------------------------------------------------------------------------------
    def _decide(self, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except ReviewError as err:
            self.say(str(err), "bold red")
            return None
        finally:
            self.refresh_view()

    def _next_undecided(self) -> None:
        evs = self.events()
        for i in list(range(self.cursor + 1, len(evs))) + list(range(self.cursor + 1)):
            if evs[i].kept is None:
                self.cursor = i
                return

    def action_move(self, step: int) -> None:
        self.cursor += step
        self.say("")
        self.refresh_view()

    def action_passage(self, step: int) -> None:
        ids = self.session.passage_ids
        if not ids:
            return
        i = ids.index(self.pid) if self.pid in ids else -1
        self.pid = ids[max(0, min(len(ids) - 1, i + step))]
        self.cursor = 0
        self.say("")
        self.refresh_view()

    def _event_decision(self, action: str) -> None:
        ev = self.selected()
        if ev is None or self.pid is None:
            self.say("no event here: n adds one", "bold red")
            self.refresh_view()
            return
        try:
            self.session.decide(action, passage_id=self.pid, event_id=ev.event_id, origin="tui")
            self.say(f"{'accepted' if action == 'accept' else 'rejected'} {ev.event_id}", "green")
            self._next_undecided()
        except ReviewError as err:
            self.say(str(err), "bold red")
        self.refresh_view()

    def action_accept(self) -> None:
        self._event_decision("accept")

    def action_reject(self) -> None:
        self._event_decision("reject")

    def action_accept_rest(self) -> None:
        if self.pid is None:
            return
        n = 0
        for e in self.events():
            if e.kept is None:
                self.session.decide("accept", passage_id=self.pid, event_id=e.event_id, origin="tui")
                n += 1
        self.say(f"accepted {n} event(s)", "green")
        self.refresh_view()

    def action_edit(self) -> None:
        ev = self.selected()
        if ev is None:
            self.say("no event to edit: n adds one", "bold red")
            self.refresh_view()
            return
        choices = [(f, f"{f}: {_v(ev.record.get(f))!r}") for f in EDITABLE]
        self.push_screen(_ValueScreen(f"Edit {ev.event_id}: choose a field", choices, self, "edit"))

    def action_add(self) -> None:
        if self.pid is None:
            return
        sents = self.session.sentences(self.pid)
        choices = [(str(s.index), f"{s.index}: {s.text[:100]}") for s in sents]
        self.push_screen(_ValueScreen("Add an event the machine missed: choose its sentence", choices, self, "add",
                                      field="cameo_code"))

    def action_undo(self) -> None:
        try:
            d = self.session.undo()
        except ReviewError as err:
            self.say(str(err), "bold red")
            self.refresh_view()
            return
        if d.passage_id:
            self.pid = d.passage_id
            self.cursor = next((i for i, e in enumerate(self.events()) if e.event_id == d.event_id), 0)
        self.say(f"undone: {d.before} {d.event_id or d.passage_id}" + (f" {d.field}" if d.field else ""), "green")
        self.refresh_view()

    def action_skip(self) -> None:
        if self.pid is None:
            return
        pid = self.pid
        if self._decide(self.session.skip, pid) is not None:
            nxt = [p for p in self.session.queue() if p != pid]
            self.pid = nxt[0] if nxt else self.session.resume_at()
            self.cursor = 0
            self.say(f"skipped {pid}: it comes back after the open passages", "green")
            self.refresh_view()

    def action_done(self) -> None:
        if self.pid is None:
            return
        pid = self.pid
        if self._decide(self.session.done, pid) is not None:
            self.pid = self.session.resume_at()
            self.cursor = 0
            self.say(f"{pid} done", "green")
            self.refresh_view()
