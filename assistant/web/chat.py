"""The Chat tab: filters, the conversation (streamed answers with citation markers), citation
cards, a source viewer with the quoted passage highlighted, export and feedback.

A thin surface over `Assistant.ask`: it renders answers and citations (`assistant.web.session`),
never re-implements retrieval.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import gradio as gr

from assistant.core import Assistant
from assistant.filters import DOC_TYPES
from assistant.web.background import BackgroundIngest
from assistant.web.components import (
    asset,
    chat_markdown,
    checked_filters,
    download_copy,
    force_choices,
    guarded,
    status_html,
)
from assistant.web.session import (
    ChatSession,
    Turn,
    answer_markdown,
    cards_html,
    history,
    record_feedback,
    viewed_citation,
    viewer_html,
    write_exports,
)

EXAMPLES = [
    "Which forces audited breach recording?",
    "Which forces appointed a single point of contact for stalking?",
    "What did the Gwent PCC say about Police Information Notices?",
    "Who wrote the Cambridgeshire letter to the Home Secretary, and when?",
]
STREAM_STEPS = 12  # the answer appears in this many growing pieces
STREAM_DELAY_S = 0.02


def _no_download(label: str | None = None) -> gr.DownloadButton:
    """A disabled download button (an update: the label changes only when one is given)."""
    if label is None:
        return gr.DownloadButton(value=None, interactive=False)
    return gr.DownloadButton(label, value=None, interactive=False)


class ChatTab:
    """The Chat tab's components (built by `build`, inside an open gr.Tab) and its handlers."""

    def __init__(
        self, assistant: Assistant, job: BackgroundIngest | None, status: gr.HTML, stream_delay: float = STREAM_DELAY_S
    ):
        self.assistant = assistant
        self.job = job
        self.status = status  # the status line above the tabs, refreshed after each answer
        self.stream_delay = stream_delay

    # ---- layout ---------------------------------------------------------------------------
    def build(self) -> None:
        self.session = gr.State(ChatSession())
        with gr.Row():
            with gr.Column(scale=1, min_width=260):
                self._filters()
            with gr.Column(scale=3, min_width=380):
                self._conversation()
                self._actions()
                gr.Markdown("### Sources")
                self.cards = gr.HTML(
                    cards_html(self.assistant, ChatSession()), js_on_load=asset("cards.js"), elem_id="cards"
                )
            with gr.Column(scale=3, min_width=380):
                self._viewer()

    def _filters(self) -> None:
        gr.Markdown("### Filters")
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
        self.since = gr.DateTime(include_time=False, type="string", label="Since", elem_id="filter-since")
        self.until = gr.DateTime(include_time=False, type="string", label="Until", elem_id="filter-until")
        self.clear_filters = gr.Button("Clear filters", size="sm")

    def _conversation(self) -> None:
        self.chatbot = gr.Chatbot(
            label="Conversation",
            elem_id="chatbot",
            height=440,
            feedback_options=None,
            buttons=["copy"],
            sanitize_html=True,
            allow_tags=False,
            latex_delimiters=[],
            placeholder="Ask about the responses to HMICFRS reports.",
        )
        with gr.Row():
            self.question = gr.Textbox(
                placeholder="Ask a question, or a follow-up…",
                show_label=False,
                scale=5,
                elem_id="question",
                max_lines=4,
                submit_btn=False,
                max_length=self.assistant.settings.max_question_chars,
            )
            self.send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask-button")
        gr.Examples(EXAMPLES, inputs=[self.question], label="Example questions")

    def _actions(self) -> None:
        with gr.Row():
            self.new_chat = gr.Button("New conversation", size="sm", elem_id="new-conversation")
            self.export_md = gr.DownloadButton("Export Markdown", size="sm", interactive=False, elem_id="export-md")
            self.export_js = gr.DownloadButton("Export JSON", size="sm", interactive=False, elem_id="export-json")
        with gr.Row(equal_height=True):
            self.comment = gr.Textbox(
                placeholder="Optional comment on the latest answer",
                show_label=False,
                scale=4,
                elem_id="feedback-comment",
                max_length=2000,
            )
            self.thumbs_up = gr.Button("Helpful", size="sm", scale=1, min_width=80, elem_id="feedback-up")
            self.thumbs_down = gr.Button("Not helpful", size="sm", scale=1, min_width=80, elem_id="feedback-down")

    def _viewer(self) -> None:
        gr.Markdown("### Source viewer")
        self.viewer = gr.HTML(
            viewer_html(self.assistant, ChatSession()), js_on_load=asset("viewer.js"), elem_id="viewer"
        )
        with gr.Row():
            self.prev_btn = gr.Button("◀ Previous source", size="sm", interactive=False, elem_id="prev-cite")
            self.next_btn = gr.Button("Next source ▶", size="sm", interactive=False, elem_id="next-cite")
        self.original = gr.DownloadButton(
            "Download original", size="sm", interactive=False, elem_id="download-original"
        )

    # ---- events ---------------------------------------------------------------------------
    def wire(self) -> None:
        """Connect the handlers (after every tab is built, so they may update other tabs)."""
        chat_inputs = [self.question, self.session, self.forces, self.doc_types, self.since, self.until]
        chat_outputs = [self.chatbot, self.question, self.cards, self.session, self.export_md, self.export_js]
        for trigger in (self.question.submit, self.send.click):
            trigger(
                self.respond,
                chat_inputs,
                [*chat_outputs, self.status],
                concurrency_id="chat",
                api_visibility="undocumented",
            )

        viewer_outputs = [self.viewer, self.prev_btn, self.next_btn, self.original]
        moved = [self.session, self.cards, *viewer_outputs]
        self.cards.click(self.open_citation, [self.session], moved, api_visibility="undocumented")
        self.prev_btn.click(self.previous_source, [self.session], moved, api_visibility="undocumented")
        self.next_btn.click(self.next_source, [self.session], moved, api_visibility="undocumented")

        reset_outputs = [self.session, self.chatbot, self.cards, self.question, self.export_md, self.export_js]
        reset_outputs += viewer_outputs
        self.new_chat.click(self.reset, None, reset_outputs, api_visibility="undocumented")
        self.chatbot.clear(self.reset, None, reset_outputs, api_visibility="undocumented")  # the chat's own bin icon
        filters = [self.forces, self.doc_types, self.since, self.until]
        self.clear_filters.click(lambda: ([], [], None, None), None, filters, api_visibility="undocumented")

        self.thumbs_up.click(self.helpful, [self.session, self.comment], [self.comment], api_visibility="undocumented")
        self.thumbs_down.click(
            self.not_helpful, [self.session, self.comment], [self.comment], api_visibility="undocumented"
        )

    @guarded
    def respond(self, message: str, s: ChatSession, f_forces, f_types, f_since, f_until) -> Iterator[tuple]:
        """Ask, stream the answer into the chat, then show its cards, exports and the status line."""
        s = s or ChatSession()
        text = (message or "").strip()
        if not text:
            gr.Warning("Type a question first.")
            yield (gr.skip(),) * 7
            return
        filters = checked_filters(f_forces, f_types, f_since, f_until)
        if self.job is not None and self.job.running and not self.assistant.chunk_count():
            gr.Warning("The index is still building; ask again in a moment.")
            yield (gr.skip(),) * 7
            return
        shown = history(s) + [
            {"role": "user", "content": chat_markdown(text)},
            {"role": "assistant", "content": "*Searching the documents…*"},
        ]
        yield shown, "", *(gr.skip(),) * 5
        answer = self.assistant.ask(text, s.conversation, filters.model_copy(deep=True))
        s.turns.append(Turn(answer=answer, filters=filters))
        tokens = re.split(r"(\s+)", answer_markdown(len(s.turns) - 1, s.turns[-1]))
        step = max(1, len(tokens) // STREAM_STEPS)
        for end in range(step, len(tokens), step):
            shown[-1] = {"role": "assistant", "content": "".join(tokens[:end])}
            yield shown, *(gr.skip(),) * 6
            time.sleep(self.stream_delay)
        md, js = write_exports(s, self.assistant.answerer_name)
        yield (
            history(s),
            gr.skip(),
            cards_html(self.assistant, s),
            s,
            gr.DownloadButton(value=str(md), interactive=True),
            gr.DownloadButton(value=str(js), interactive=True),
            status_html(self.assistant, self.job),
        )

    def _viewer_updates(self, s: ChatSession) -> tuple:
        """The viewer, its previous/next buttons and the download of the original file."""
        citation = viewed_citation(s)
        if s.viewing is None or citation is None:
            off = gr.Button(interactive=False)
            return (viewer_html(self.assistant, s), off, off, _no_download("Download original"))
        t, i = s.viewing
        n = len(s.turns[t].answer.citations)
        doc = self.assistant.document(citation.doc_id)
        copy = download_copy(self.assistant.original_file(citation.doc_id), doc.content_hash) if doc else None
        download = (
            gr.DownloadButton(value=str(copy), interactive=True, label=f"Download {copy.name}")
            if copy
            else _no_download("Original file not available")
        )
        return (
            viewer_html(self.assistant, s),
            gr.Button(interactive=i > 0),
            gr.Button(interactive=i < n - 1),
            download,
        )

    @guarded
    def open_citation(self, s: ChatSession, evt: gr.EventData) -> tuple:
        """A card or a marker [n] was clicked: show that citation in the viewer."""
        turn, n = int(getattr(evt, "turn", -1)), int(getattr(evt, "n", -1))
        if not (0 <= turn < len(s.turns)):
            raise gr.Error("That source belongs to an earlier conversation.")
        numbers = [c.n for c in s.turns[turn].answer.citations]
        if n not in numbers:
            raise gr.Error(f"The answer has no source [{n}].")
        s.viewing = (turn, numbers.index(n))
        return (s, cards_html(self.assistant, s), *self._viewer_updates(s))

    def _move(self, s: ChatSession, delta: int) -> tuple:
        if s.viewing is None:
            return (s, gr.skip(), *self._viewer_updates(s))
        t, i = s.viewing
        s.viewing = (t, max(0, min(len(s.turns[t].answer.citations) - 1, i + delta)))
        return (s, cards_html(self.assistant, s), *self._viewer_updates(s))

    @guarded
    def previous_source(self, s: ChatSession) -> tuple:
        return self._move(s, -1)

    @guarded
    def next_source(self, s: ChatSession) -> tuple:
        return self._move(s, +1)

    def reset(self) -> tuple:
        """A new conversation: empty chat, cards, viewer and exports."""
        s = ChatSession()
        return (s, [], cards_html(self.assistant, s), "", _no_download(), _no_download(), *self._viewer_updates(s))

    def _feedback(self, s: ChatSession, text: str, rating: str) -> str:
        if not s.turns:
            raise gr.Error("Ask a question first: feedback is about an answer.")
        record_feedback(self.assistant.settings, s, rating, text or "", self.assistant.answerer_name)
        gr.Info("Thank you: your feedback was recorded.")
        return ""

    @guarded
    def helpful(self, s: ChatSession, text: str) -> str:
        return self._feedback(s, text, "up")

    @guarded
    def not_helpful(self, s: ChatSession, text: str) -> str:
        return self._feedback(s, text, "down")
