"""The Chat tab: the conversation (each answer, then its "Read as" line, its source cards and
its feedback), the question box with the filters as chips above it, the source viewer as a
side panel (a drawer on a phone), past conversations kept in the browser, and exports.

A thin surface over `Assistant.ask`: it renders answers and citations (`assistant.web.session`),
never re-implements retrieval. An extractive answer appears at once, in one update; with a
language model the tokens it writes are streamed as a draft until the verified answer
replaces it (`assistant.web.streaming`).
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterator
from typing import Any

import gradio as gr

from assistant.core import Assistant, Conversation
from assistant.filters import DOC_TYPES
from assistant.types import Answer, Filters
from assistant.web.background import BackgroundIngest
from assistant.web.components import (
    asset,
    download_copy,
    esc,
    field_note,
    force_choices,
    guarded,
    panel_filters,
    user_error,
)
from assistant.web.session import (
    ChatSession,
    RestoreError,
    Turn,
    conversation_html,
    record_feedback,
    restore_session,
    viewed_citation,
    viewer_html,
    write_exports,
)
from assistant.web.streaming import TokenSink, capture

DRAFT_EVERY_S = 0.1  # how often a language model's draft is sent to the page
WARN = ' <span aria-hidden="true">⚠</span>'
HISTORY_SHELL = '<nav class="history" aria-label="Conversations"></nav>'


def _no_download(label: str | None = None) -> gr.DownloadButton:
    """A disabled download button (an update: the label changes only when one is given)."""
    if label is None:
        return gr.DownloadButton(value=None, interactive=False)
    return gr.DownloadButton(label, value=None, interactive=False)


def _failed(exc: Exception) -> str:
    """An answer that failed, as one sentence for beside the question box (`user_error` logs a bug)."""
    return f'<p class="field-error" role="alert">{user_error(exc).message}</p>'


def chips_html(forces: object, doc_types: object, since: object, until: object, problems: dict) -> str:
    """The filters in force as chips (each with a remove button) and the toggle of the panel."""
    chips = []
    for label, field, values in (("Force", "force", forces), ("Type", "doc_type", doc_types)):
        for value in [values] if isinstance(values, str) else values if isinstance(values, list) else []:
            chips.append((label, field, str(value)))
    for label, field, value in (("Since", "since", since), ("Until", "until", until)):
        if str(value or "").strip():
            chips.append((label, field, str(value).strip()))
    items = []
    for label, field, value in chips:
        bad = field in problems
        items.append(
            f'<li class="chip{" chip-bad" if bad else ""}"><span>{esc(label)}: {esc(value)}'
            f"{WARN if bad else ''}</span>"
            f'<button type="button" class="chip-x" data-field="{field}" data-value="{esc(value)}" '
            f'aria-label="Remove the filter {esc(label)} {esc(value)}">×</button></li>'
        )
    if not items:
        items.append('<li class="chip-none">All documents (no filters)</li>')
    problem = (
        f'<li class="chip-problem" role="alert">{len(problems)} filter problem{"s" if len(problems) > 1 else ""}: '
        "see the panel</li>"
        if problems
        else ""
    )
    return (
        '<div class="chips"><button type="button" class="chip-toggle" aria-expanded="false" '
        f'aria-controls="filter-panel">Filters</button><ul class="chip-list" aria-label="Filters in force">'
        f"{''.join(items)}{problem}</ul></div>"
    )


class ChatTab:
    """The Chat tab's components (built by `build`, inside an open gr.Tab) and its handlers."""

    def __init__(self, assistant: Assistant, job: BackgroundIngest | None, status: gr.HTML):
        self.assistant = assistant
        self.job = job
        self.status = status  # the status line above the tabs
        self.streaming = bool(assistant.settings.llm)

    # ---- layout ---------------------------------------------------------------------------
    def build(self) -> None:
        self.session = gr.State(ChatSession())
        with gr.Row(elem_id="chat-layout", equal_height=False):
            with gr.Column(scale=1, min_width=180, elem_id="history-col"):
                self.history = gr.HTML(HISTORY_SHELL, js_on_load=asset("history.js"), elem_id="history")
            with gr.Column(scale=5, min_width=340, elem_id="chat-col"):
                self._dock()
                self.conversation = gr.HTML(
                    conversation_html(ChatSession()), js_on_load=asset("conversation.js"), elem_id="conversation"
                )
                with gr.Row(elem_id="chat-tools"):
                    self.export_md = gr.DownloadButton(
                        "Export Markdown", size="sm", interactive=False, elem_id="export-md"
                    )
                    self.export_js = gr.DownloadButton(
                        "Export JSON", size="sm", interactive=False, elem_id="export-json"
                    )
            with gr.Column(scale=4, min_width=320, elem_id="viewer-panel"):
                self.viewer = gr.HTML(
                    viewer_html(self.assistant, ChatSession()), js_on_load=asset("viewer.js"), elem_id="viewer"
                )
                self.original = gr.DownloadButton(
                    "Download original", size="sm", interactive=False, elem_id="download-original"
                )

    def _dock(self) -> None:
        """Filters as chips, the filter panel, the question box: above the conversation on a
        phone, kept in view below it on a desktop (app.css)."""
        with gr.Column(elem_id="dock"):
            self.chips = gr.HTML(chips_html([], [], "", "", {}), js_on_load=asset("chips.js"), elem_id="filter-chips")
            with gr.Column(elem_id="filter-panel"):
                with gr.Row():
                    self.forces = gr.Dropdown(
                        choices=force_choices(self.assistant.documents()),
                        multiselect=True,
                        label="Force",
                        elem_id="filter-force",
                        allow_custom_value=False,
                    )
                    self.doc_types = gr.Dropdown(
                        choices=DOC_TYPES, multiselect=True, label="Document type", elem_id="filter-doctype"
                    )
                self.panel_note = gr.HTML("", elem_id="panel-note", js_on_load=asset("field-note.js"))
                with gr.Row():
                    with gr.Column(min_width=150):
                        self.since = gr.Textbox(
                            label="Since",
                            placeholder="2019-05-14, May 2019, last year…",
                            max_lines=1,
                            elem_id="filter-since",
                        )
                        self.since_note = gr.HTML(
                            field_note("since", "", None), elem_id="since-note", js_on_load=asset("field-note.js")
                        )
                    with gr.Column(min_width=150):
                        self.until = gr.Textbox(
                            label="Until", placeholder="2020-12-31, yesterday…", max_lines=1, elem_id="filter-until"
                        )
                        self.until_note = gr.HTML(
                            field_note("until", "", None), elem_id="until-note", js_on_load=asset("field-note.js")
                        )
                self.clear_filters = gr.Button("Clear filters", size="sm", elem_id="clear-filters")
            with gr.Row(elem_id="composer", equal_height=True):
                self.question = gr.Textbox(
                    placeholder="Ask a question…",
                    label="Question",
                    show_label=False,
                    scale=5,
                    lines=1,
                    max_lines=4,
                    elem_id="question",
                    autofocus=False,
                    submit_btn=False,
                    max_length=self.assistant.settings.max_question_chars,
                )
                self.send = gr.Button("Ask", variant="primary", scale=0, min_width=72, elem_id="ask-button")
            self.question_note = gr.HTML("", elem_id="question-note")

    # ---- events ---------------------------------------------------------------------------
    @property
    def filter_inputs(self) -> list:
        return [self.forces, self.doc_types, self.since, self.until]

    @property
    def notes(self) -> list:
        return [self.chips, self.panel_note, self.since_note, self.until_note, self.question_note]

    def wire(self) -> None:
        """Connect the handlers (after every tab is built, so they may update other tabs)."""
        hidden: dict[str, Any] = {"api_visibility": "undocumented"}
        answered = [self.conversation, self.question, self.session, self.viewer, *self.notes]
        after = [self.export_md, self.export_js, self.original]
        respond = self.respond_streaming if self.streaming else self.respond
        for trigger in (self.question.submit, self.send.click):
            trigger(
                respond,
                [self.question, self.session, *self.filter_inputs],
                answered,
                concurrency_id="chat",
                show_progress="hidden",
                trigger_mode="once",
                # An extractive answer takes milliseconds: answered in the request itself, not
                # through the queue (about 25 ms less from Enter to the answer on the page).
                # Gradio's thread pool (40 threads) bounds how many run at once.
                queue=self.streaming,
                **hidden,
            ).success(self.after_answer, [self.session], after, show_progress="hidden", **hidden)
        self.conversation.standalone(
            self.ask_standalone, [self.session], answered, concurrency_id="chat", show_progress="hidden", **hidden
        ).success(self.after_answer, [self.session], after, show_progress="hidden", **hidden)
        self.conversation.feedback(self.feedback, [self.session], [self.conversation], show_progress="hidden", **hidden)

        moved = [self.session, self.viewer, self.original]
        self.conversation.cite(self.open_citation, [self.session], moved, show_progress="hidden", **hidden)
        self.viewer.move(self.move, [self.session], moved, show_progress="hidden", **hidden)

        restored = [self.session, self.conversation, self.viewer, self.original, self.export_md, self.export_js]
        self.history.restore(self.restore, [self.session], restored, show_progress="hidden", **hidden)
        self.history.new(self.reset, None, restored, show_progress="hidden", **hidden)

        light: dict[str, Any] = {"queue": False, "show_progress": "hidden", **hidden}
        for box in (self.since, self.until):
            box.blur(self.filters_changed, self.filter_inputs, self.notes, **light)
            box.submit(self.filters_changed, self.filter_inputs, self.notes, **light)
        for dropdown in (self.forces, self.doc_types):
            dropdown.change(self.filters_changed, self.filter_inputs, self.notes, **light)
        self.chips.remove(self.remove_filter, self.filter_inputs, self.filter_inputs, **light).then(
            self.filters_changed, self.filter_inputs, self.notes, **light
        )
        self.clear_filters.click(lambda: ([], [], "", ""), None, self.filter_inputs, **light).then(
            self.filters_changed, self.filter_inputs, self.notes, **light
        )

    # ---- filters --------------------------------------------------------------------------
    def _notes(self, forces, doc_types, since, until, problems: dict, question: str = "") -> tuple:
        panel = " ".join(
            f'<p class="field-error" role="alert" data-field="{f}">{esc(problems[f])}</p>'
            for f in ("force", "doc_type")
            if f in problems
        )
        return (
            chips_html(forces, doc_types, since, until, problems),
            panel,
            field_note("since", since, problems.get("since")),
            field_note("until", until, problems.get("until")),
            question,
        )

    def filters_changed(self, forces, doc_types, since, until) -> tuple:
        _, problems = panel_filters(forces, doc_types, since, until)
        return self._notes(forces, doc_types, since, until, problems)

    def remove_filter(self, forces, doc_types, since, until, evt: gr.EventData) -> tuple:
        field, value = str(getattr(evt, "field", "")), str(getattr(evt, "value", ""))
        forces = [f for f in forces or [] if not (field == "force" and f == value)]
        doc_types = [t for t in doc_types or [] if not (field == "doc_type" and t == value)]
        return forces, doc_types, "" if field == "since" else since, "" if field == "until" else until

    # ---- asking -----------------------------------------------------------------------------
    def _refused(self, text: str, forces, doc_types, since, until) -> tuple[Filters | None, tuple | None]:
        """The panel's filters, or (None, the updates that say why no question is asked)."""
        filters, problems = panel_filters(forces, doc_types, since, until)
        skip = (gr.skip(),) * 4
        if problems:
            return None, (*skip, *self._notes(forces, doc_types, since, until, problems))
        if not text:
            note = '<p class="field-error" role="alert">Type a question first.</p>'
            return None, (*skip, *self._notes(forces, doc_types, since, until, {}, note))
        if self.job is not None and self.job.running and not self.assistant.chunk_count():
            note = '<p class="field-error" role="alert">The index is still building; ask again in a moment.</p>'
            return None, (*skip, *self._notes(forces, doc_types, since, until, {}, note))
        return filters, None

    def _answered(self, s: ChatSession, answer: Answer, filters: Filters) -> None:
        s.turns.append(Turn(answer=answer, filters=filters))
        s.viewing = (len(s.turns) - 1, 0) if answer.citations else None

    def _shown(self, s: ChatSession) -> tuple:
        """The answer's updates. The chips and field notes are current already (each filter
        change updates them), so they are left as they are: fewer updates, a faster page."""
        return (conversation_html(s), "", s, viewer_html(self.assistant, s), *(gr.skip(),) * 4, "")

    @guarded
    def respond(self, message: str, s: ChatSession | None, forces, doc_types, since, until) -> tuple:
        """Ask and show the answer with its sources, the first one open in the viewer: one update."""
        s = s or ChatSession()
        text = (message or "").strip()
        filters, refused = self._refused(text, forces, doc_types, since, until)
        if refused is not None or filters is None:
            return refused or ()
        try:
            answer = self.assistant.ask(text, s.conversation, filters.model_copy(deep=True))
        except Exception as exc:  # the sentence beside the question box; the chat stays as it was
            return (*(gr.skip(),) * 8, _failed(exc))
        self._answered(s, answer, filters)
        return self._shown(s)

    @guarded
    def respond_streaming(self, message: str, s: ChatSession | None, forces, doc_types, since, until) -> Iterator:
        """With a language model: the question at once, then the model's words as it writes
        them (a draft, marked as being checked), then the verified answer."""
        s = s or ChatSession()
        text = (message or "").strip()
        filters, refused = self._refused(text, forces, doc_types, since, until)
        if refused is not None or filters is None:
            yield refused or ()
            return
        notes = self._notes(forces, doc_types, since, until, {})
        yield (conversation_html(s, pending=text), "", gr.skip(), gr.skip(), *notes)
        try:
            answer = yield from self._stream(s, text, s.conversation, filters)
        except Exception as exc:  # the question back in its box, the sentence beside it
            yield (conversation_html(s), text, *(gr.skip(),) * 6, _failed(exc))
            return
        self._answered(s, answer, filters)
        yield self._shown(s)

    def _stream(
        self, s: ChatSession, text: str, conversation: Conversation, filters: Filters
    ) -> Generator[tuple, None, Answer]:
        """Run `ask` in a thread and yield the page updates of the draft; returns the answer."""
        sink, result, failed = TokenSink(), list[Answer](), list[Exception]()

        def work() -> None:
            try:
                with capture(sink):
                    result.append(self.assistant.ask(text, conversation, filters.model_copy(deep=True)))
            except Exception as exc:  # re-raised in the handler, where `guarded` words it
                failed.append(exc)

        thread = threading.Thread(target=work, name="chat-answer", daemon=True)
        thread.start()
        shown = ""
        while thread.is_alive():
            thread.join(DRAFT_EVERY_S)
            draft = sink.text
            if draft and draft != shown:
                shown = draft
                yield (conversation_html(s, pending=text, draft=draft), *(gr.skip(),) * 8)
        if failed:
            raise failed[0]
        return result[0]

    @guarded
    def ask_standalone(self, s: ChatSession, evt: gr.EventData) -> Iterator:
        """ "Ask this on its own": the standalone question a turn was read as, asked as a new
        turn without the earlier questions, with the filters it was read with."""
        turn = self._turn(s, getattr(evt, "turn", -1))
        reading = turn.answer.reading
        if reading is None:
            raise gr.Error("That answer has no reading to ask again.")
        fresh = Conversation()
        if self.streaming:
            yield (conversation_html(s, pending=reading.question), "", gr.skip(), gr.skip(), *(gr.skip(),) * 5)
            answer = yield from self._stream(s, reading.question, fresh, reading.filters)
        else:
            answer = self.assistant.ask(reading.question, fresh, reading.filters.model_copy(deep=True))
        s.conversation.queries += fresh.queries  # later follow-ups build on this question
        s.conversation.cited += fresh.cited
        self._answered(s, answer, reading.filters)
        yield (conversation_html(s), gr.skip(), s, viewer_html(self.assistant, s), *(gr.skip(),) * 5)

    def after_answer(self, s: ChatSession) -> tuple:
        """Off the answer's critical path: the exports and the original file of the source shown."""
        md, js = write_exports(self.assistant.settings, s, self.assistant.answerer_name)
        return (
            gr.DownloadButton(value=str(md), interactive=True),
            gr.DownloadButton(value=str(js), interactive=True),
            self._original(s),
        )

    # ---- the viewer -----------------------------------------------------------------------
    def _original(self, s: ChatSession) -> gr.DownloadButton:
        citation = viewed_citation(s)
        if citation is None:
            return _no_download("Download original")
        doc = self.assistant.document(citation.doc_id)
        path = self.assistant.original_file(citation.doc_id)
        copy = download_copy(self.assistant.settings, path, doc.content_hash) if doc else None
        if copy is None:
            return _no_download("Original file not available")
        return gr.DownloadButton(value=str(copy), interactive=True, label=f"Download {copy.name}")

    def _turn(self, s: ChatSession, turn: object) -> Turn:
        try:
            index = int(turn)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            index = -1
        if not 0 <= index < len(s.turns):
            raise gr.Error("That answer belongs to an earlier conversation.")
        return s.turns[index]

    @guarded
    def open_citation(self, s: ChatSession, evt: gr.EventData) -> tuple:
        """A marker [n] or a source card was clicked: show that citation in the viewer."""
        turn = int(getattr(evt, "turn", -1))
        numbers = [c.n for c in self._turn(s, turn).answer.citations]
        n = int(getattr(evt, "n", -1))
        if n not in numbers:
            raise gr.Error(f"The answer has no source [{n}].")
        s.viewing = (turn, numbers.index(n))
        return (s, viewer_html(self.assistant, s), self._original(s))

    @guarded
    def move(self, s: ChatSession, evt: gr.EventData) -> tuple:
        """Previous / next source of the same answer."""
        if s.viewing is None:
            return (s, gr.skip(), gr.skip())
        t, i = s.viewing
        delta = 1 if int(getattr(evt, "delta", 1)) > 0 else -1
        s.viewing = (t, max(0, min(len(s.turns[t].answer.citations) - 1, i + delta)))
        return (s, viewer_html(self.assistant, s), self._original(s))

    # ---- conversations kept in the browser ----------------------------------------------------
    def _fresh(self, s: ChatSession) -> tuple:
        md, js = write_exports(self.assistant.settings, s, self.assistant.answerer_name) if s.turns else (None, None)
        return (
            s,
            conversation_html(s),
            viewer_html(self.assistant, s),
            self._original(s),
            gr.DownloadButton(value=str(md), interactive=True) if md else _no_download(),
            gr.DownloadButton(value=str(js), interactive=True) if js else _no_download(),
        )

    @guarded
    def restore(self, s: ChatSession, evt: gr.EventData) -> tuple:
        """A conversation the browser kept (after a reload, or picked from the list)."""
        try:
            restored = restore_session(getattr(evt, "record", None))
        except RestoreError as exc:
            gr.Warning(f"That conversation could not be restored: {esc(exc)}.")
            return self._fresh(ChatSession())
        if restored.turns and restored.turns[-1].answer.citations:
            restored.viewing = (len(restored.turns) - 1, 0)
        return self._fresh(restored)

    def reset(self) -> tuple:
        """A new conversation: empty chat, viewer and exports."""
        return self._fresh(ChatSession())

    # ---- feedback ---------------------------------------------------------------------------
    @guarded
    def feedback(self, s: ChatSession, evt: gr.EventData) -> str:
        turn = int(getattr(evt, "turn", -1))
        self._turn(s, turn)
        rating = str(getattr(evt, "rating", ""))
        if rating not in ("up", "down"):
            raise gr.Error("Feedback is helpful or not helpful.")
        comment = str(getattr(evt, "comment", "") or "")
        record_feedback(self.assistant.settings, s, rating, comment, self.assistant.answerer_name, turn)
        return conversation_html(s)
