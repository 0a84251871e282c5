"""The Compare tab: pick or type topics, pick forces, run; the topic × force grid with
coloured statuses; click a cell (or pick it from the list) to read its cited passages in a
source viewer; download the matrix as CSV or Markdown.

A thin surface over `assistant.compare`. Every string from a document, a topic or a force
name is escaped (`components.esc`) before it reaches the page.

`CompareTab(assistant, open_citation).build()` makes the components and events inside an open
`gr.Tab`; `build(ctx)` is the same as a `TabBuilder` for `web.app.build_app`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import gradio as gr

from assistant.compare import STATUS_LABEL, TopicsError, cell_map, compare, load_topics, to_csv, to_markdown
from assistant.core import Assistant
from assistant.settings import PROJECT_DIR, Settings
from assistant.types import Citation, CompareCell, Comparison
from assistant.web.components import (
    WebContext,
    asset,
    esc,
    export_dir,
    file_name,
    guarded,
    source_html,
    user_error,
)

log = logging.getLogger(__name__)

TOPICS_FILE = PROJECT_DIR / "evals" / "topics.yaml"
MAX_TOPICS = 30
MAX_TOPIC_CHARS = 300

STATUS_COLOURS = {
    "done": ("#d5f5dc", "#14532d"),
    "in_progress": ("#fff4c2", "#713f12"),
    "planned": ("#dbeafe", "#1e3a8a"),
    "declined": ("#fbe1f5", "#701a75"),
    "not_mentioned": ("#f1f1f1", "#6b6b6b"),
}


def shipped_topics(path: Path = TOPICS_FILE) -> tuple[list[str], dict[str, list[str]]]:
    """Topics and their synonyms from evals/topics.yaml (empty when it cannot be read)."""
    try:
        topics = load_topics(path)
    except TopicsError as exc:
        log.warning("%s", exc)
        return [], {}
    return [t.topic for t in topics], {t.topic: list(t.synonyms) for t in topics}


def chosen_topics(picked: Sequence[str] | str | None, typed: str | None) -> list[str]:
    """The picked topics and the typed ones (one per line), in order, without repeats.
    Raises gr.Error with a sentence when there are none or too many."""
    picked = [picked] if isinstance(picked, str) else list(picked or [])
    lines = (typed or "").splitlines()
    topics = [" ".join(t.split()) for t in [*picked, *lines] if t and t.strip()]
    topics = list(dict.fromkeys(topics))
    if not topics:
        raise gr.Error("Pick a topic or type one, e.g. “audited how breaches of orders are recorded”.")
    if len(topics) > MAX_TOPICS:
        raise gr.Error(f"Compare at most {MAX_TOPICS} topics at a time ({len(topics)} given).")
    too_long = [t for t in topics if len(t) > MAX_TOPIC_CHARS]
    if too_long:
        raise gr.Error(f"A topic is a short phrase (at most {MAX_TOPIC_CHARS} characters).")
    return topics


def _cell_key(ti: int, fi: int) -> str:
    return f"{ti}:{fi}"


def _cell_at(comparison: Comparison | None, key: str | None) -> CompareCell | None:
    if comparison is None or not key or ":" not in str(key):
        return None
    try:
        ti, fi = (int(x) for x in str(key).split(":", 1))
        topic, force = comparison.topics[ti], comparison.forces[fi]
    except (ValueError, IndexError):
        return None
    return cell_map(comparison).get((topic, force))


def grid_html(comparison: Comparison | None, selected: str | None = None) -> str:
    """The matrix as an HTML table (forces as rows, topics as columns), every string escaped."""
    if comparison is None:
        return '<p class="compare-empty">Pick topics and press Compare.</p>'
    cells = cell_map(comparison)
    head = "".join(f'<th scope="col" title="{esc(t)}">T{i + 1}. {esc(t)}</th>' for i, t in enumerate(comparison.topics))
    rows = []
    for fi, force in enumerate(comparison.forces):
        tds = []
        for ti, topic in enumerate(comparison.topics):
            cell = cells.get((topic, force))
            if cell is None:
                tds.append("<td></td>")
                continue
            bg, fg = STATUS_COLOURS[cell.status.value]
            key = _cell_key(ti, fi)
            marks = "".join(f"[{c.n}]" for c in cell.citations)
            date = f'<span class="compare-date">{esc(cell.date)}</span>' if cell.date else ""
            outline = "outline:2px solid #111;" if key == selected else ""
            tds.append(
                f'<td data-cell="{esc(key)}" tabindex="0" role="button"'
                f' class="compare-cell status-{esc(cell.status.value)}"'
                f' style="background:{bg};color:{fg};cursor:pointer;{outline}"'
                f' title="{esc(force)} · {esc(topic)}: {esc(STATUS_LABEL[cell.status])}">'
                f"<strong>{esc(STATUS_LABEL[cell.status])}</strong> {date} "
                f'<span class="compare-marks">{esc(marks)}</span></td>'
            )
        rows.append(f'<tr><th scope="row">{esc(force)}</th>{"".join(tds)}</tr>')
    legend = " ".join(
        f'<span style="background:{bg};color:{fg};padding:0 .4em;border-radius:3px">{esc(STATUS_LABEL[s])}</span>'
        for s, (bg, fg) in ((s, STATUS_COLOURS[s.value]) for s in STATUS_LABEL)
    )
    return (
        f'<div class="compare-legend">{legend}</div>'
        f'<div style="overflow-x:auto"><table class="compare-grid" style="border-collapse:collapse">'
        f'<thead><tr><th scope="col">force</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


def cell_choices(comparison: Comparison | None) -> list[tuple[str, str]]:
    """(label, key) for every cell, for the cell picker: "Gwent · T1 · done (1 source)"."""
    if comparison is None:
        return []
    cells = cell_map(comparison)
    out = []
    for ti, topic in enumerate(comparison.topics):
        for fi, force in enumerate(comparison.forces):
            cell = cells.get((topic, force))
            if cell is not None:
                n = len(cell.citations)
                sources = f"{n} source{'s' if n != 1 else ''}" if n else "no source"
                out.append((f"{force} · T{ti + 1} · {STATUS_LABEL[cell.status]} ({sources})", _cell_key(ti, fi)))
    return out


def _marked(quote: str, cue: str | None) -> str:
    """The quote escaped, the phrase that decided the status in <mark>."""
    if cue:
        at = quote.lower().find(cue.lower())
        if at >= 0:
            return (
                f'{esc(quote[:at])}<mark class="cue">{esc(quote[at : at + len(cue)])}</mark>'
                f"{esc(quote[at + len(cue) :])}"
            )
    return esc(quote)


def _where(c: Citation) -> str:
    return " · ".join(x for x in [c.title or file_name(c.source), f"p.{c.page}", c.date] if x)


def passages_html(cell: CompareCell | None) -> str:
    """A cell's reasons, escaped: the deciding sentence first with the phrase that decided the
    status marked, then the other cited passages; for "not mentioned", the closest passages
    that were rejected, in a collapsed list."""
    if cell is None:
        return '<p class="compare-empty">Click a cell of the grid to read the passages behind it.</p>'
    head = (
        f'<h3 class="cell-head">{esc(cell.force)} · {esc(cell.topic)}: {esc(STATUS_LABEL[cell.status])}'
        f"{' (' + esc(cell.date) + ')' if cell.date else ''}</h3>"
    )
    if not cell.citations:
        out = head + "<p>No document of this force speaks to the topic: nothing to cite.</p>"
        if cell.near:
            near = "".join(
                f'<li><span class="near-where">{esc(_where(c))}</span>'
                f'<blockquote class="cite-quote">{esc(c.quote)}</blockquote></li>'
                for c in cell.near
            )
            out += (
                f'<details class="near"><summary>The closest passages, rejected ({len(cell.near)})</summary>'
                "<p>The passages of this force's documents nearest to the topic; none states the action, "
                f'so the status is “not mentioned”.</p><ol class="near-list">{near}</ol></details>'
            )
        return out
    first, rest = cell.citations[0], cell.citations[1:]
    decided = (
        f'<p class="decided-by">Decided by the phrase “<mark class="cue">{esc(cell.cue)}</mark>”.</p>'
        if cell.cue
        else ""
    )
    out = (
        head
        + '<div class="deciding"><p class="deciding-label">Deciding sentence '
        + f"<strong>[{first.n}]</strong> · {esc(_where(first))}</p>"
        + f'<blockquote class="cite-quote">{_marked(first.quote, cell.cue)}</blockquote>{decided}</div>'
    )
    if rest:
        items = "".join(
            f"<li><strong>[{c.n}]</strong> {esc(_where(c))}"
            f'<blockquote class="cite-quote">{esc(c.quote)}</blockquote></li>'
            for c in rest
        )
        out += f'<p class="other-head">Other passages</p><ol class="compare-passages">{items}</ol>'
    return out


def citation_choices(cell: CompareCell | None) -> list[tuple[str, int]]:
    return [(f"[{c.n}] {c.title or file_name(c.source)}", c.n) for c in (cell.citations if cell else [])]


def write_downloads(comparison: Comparison, settings: Settings) -> list[str]:
    """The matrix as compare.csv and compare.md under the index dir's exports (kept a week)."""
    directory = export_dir(settings, "compare")
    csv_path, md_path = directory / "compare.csv", directory / "compare.md"
    csv_path.write_text(to_csv(comparison), encoding="utf-8")
    md_path.write_text(to_markdown(comparison), encoding="utf-8")
    return [str(csv_path), str(md_path)]


def viewer_html(assistant: Assistant, citation: Citation | None) -> str:
    if citation is None:
        return '<p class="viewer-empty">The cited passage is shown here in its document.</p>'
    return source_html(assistant, citation, f"Source [{citation.n}]")


class CompareTab:
    """The Compare tab's components and handlers. `open_citation(citation)`, when given, is also
    called whenever a passage is opened (to show it in another viewer of the app)."""

    def __init__(self, assistant: Assistant, open_citation: Callable[[Citation], None] | None = None):
        self.assistant = assistant
        self.open_citation = open_citation
        self.topic_names, self.synonyms = shipped_topics()

    def build(self) -> None:
        """Components and events, inside an open `gr.Blocks()` / `gr.Tab("Compare")` context."""
        force_names = list(self.assistant.retriever.snapshot().force_names) if self.assistant.chunk_count() else []
        self.result = gr.State(None)
        gr.Markdown(
            "Compare forces on topics: for each force, whether its own documents say the action is "
            "done, in progress, planned or declined, or never mention it. The latest document that "
            "speaks to a topic decides; every status cites the passages that prove it."
        )
        with gr.Row():
            self.picked = gr.Dropdown(
                choices=self.topic_names,
                multiselect=True,
                allow_custom_value=True,
                label="Topics",
                elem_id="compare-topics",
                scale=3,
                info="From evals/topics.yaml, or type your own and press Enter",
            )
            self.forces = gr.Dropdown(
                choices=force_names, multiselect=True, label="Forces (empty: all)", elem_id="compare-forces", scale=2
            )
        self.typed = gr.Textbox(
            label="More topics, one per line",
            lines=2,
            max_lines=8,
            elem_id="compare-typed",
            placeholder="appointed a stalking single point of contact",
        )
        self.topics_note = gr.HTML("", elem_id="compare-topics-note", js_on_load=None)
        self.run = gr.Button("Compare", variant="primary", elem_id="compare-run")
        self.grid = gr.HTML(grid_html(None), js_on_load=asset("grid.js"), elem_id="compare-grid")
        self._cell_reader()
        self._wire()

    def _cell_reader(self) -> None:
        """The cell picker, its passages, the source picker, the downloads and the viewer."""
        with gr.Row():
            with gr.Column(scale=2):
                self.cell_pick = gr.Dropdown(choices=[], label="Cell", elem_id="compare-cell", interactive=True)
                self.passages = gr.HTML(passages_html(None), js_on_load=None, elem_id="compare-passages")
                self.source_pick = gr.Radio(choices=[], label="Show source", elem_id="compare-source", interactive=True)
                self.downloads = gr.File(
                    label="Download the matrix (CSV, Markdown)",
                    file_count="multiple",
                    interactive=False,
                    elem_id="compare-downloads",
                    visible=False,  # until there is a matrix to download
                )
            with gr.Column(scale=3):
                self.viewer = gr.HTML(
                    viewer_html(self.assistant, None), js_on_load=asset("viewer.js"), elem_id="compare-viewer"
                )

    def _wire(self) -> None:
        shown = [self.grid, self.passages, self.source_pick, self.viewer]
        results = [self.result, self.forces, self.grid, self.cell_pick, *shown[1:], self.downloads, self.topics_note]
        inputs = [self.picked, self.typed, self.forces]
        self.run.click(self.run_compare, inputs, results, concurrency_id="compare", api_visibility="undocumented")
        self.grid.click(self.clicked, [self.result], [self.cell_pick, *shown], api_visibility="undocumented")
        self.cell_pick.input(self.picked_cell, [self.result, self.cell_pick], shown, api_visibility="undocumented")
        self.source_pick.input(
            self.picked_source,
            [self.result, self.cell_pick, self.source_pick],
            [self.viewer],
            api_visibility="undocumented",
        )

    def _show_cell(self, comparison: Comparison | None, key: str | None) -> tuple:
        """The grid with the cell outlined, its passages, its sources, the first one in the viewer."""
        cell = _cell_at(comparison, key)
        first = cell.citations[0] if cell and cell.citations else None
        if first is not None and self.open_citation is not None:
            self.open_citation(first)
        return (
            grid_html(comparison, key if cell else None),
            passages_html(cell),
            gr.Radio(choices=citation_choices(cell), value=first.n if first else None),
            viewer_html(self.assistant, first),
        )

    @guarded
    def run_compare(self, picked_topics: list[str] | None, typed_topics: str | None, picked_forces: list[str] | None):
        try:
            topics = chosen_topics(picked_topics, typed_topics)
            if not self.assistant.chunk_count():
                raise gr.Error("The index is empty: add documents first (Documents tab or `assistant ingest`).")
        except gr.Error as exc:  # beside the topics, not over the page
            return (*(gr.skip(),) * 8, f'<p class="field-error" role="alert">{esc(exc.message)}</p>')
        synonyms = {t: self.synonyms[t] for t in topics if t in self.synonyms}
        try:
            comparison = compare(self.assistant, topics, list(picked_forces or []) or None, synonyms)
        except Exception as exc:  # one sentence beside the topics (`user_error` logs a bug)
            return (*(gr.skip(),) * 8, f'<p class="field-error" role="alert">{user_error(exc).message}</p>')
        choices = cell_choices(comparison)
        cited = next((key for _, key in choices if (c := _cell_at(comparison, key)) and c.citations), None)
        grid_value, passages_value, source_value, viewer_value = self._show_cell(comparison, cited)
        indexed = list(self.assistant.retriever.snapshot().force_names)  # documents may have been added since
        return (
            comparison,
            gr.Dropdown(choices=indexed),
            grid_value,
            gr.Dropdown(choices=choices, value=cited),
            passages_value,
            source_value,
            viewer_value,
            gr.File(value=write_downloads(comparison, self.assistant.settings), visible=True),
            "",
        )

    @guarded
    def clicked(self, comparison: Comparison | None, evt: gr.EventData):
        key = str(getattr(evt, "cell", "") or "")
        if _cell_at(comparison, key) is None:
            raise gr.Error("That cell belongs to an earlier comparison; press Compare again.")
        return (gr.Dropdown(value=key), *self._show_cell(comparison, key))

    @guarded
    def picked_cell(self, comparison: Comparison | None, key: str | None):
        return self._show_cell(comparison, key)

    @guarded
    def picked_source(self, comparison: Comparison | None, key: str | None, n: int | None):
        cell = _cell_at(comparison, key)
        citation = next((c for c in (cell.citations if cell else []) if c.n == n), None)
        if citation is not None and self.open_citation is not None:
            self.open_citation(citation)
        return viewer_html(self.assistant, citation)


def build(ctx: WebContext) -> None:
    """The tab as a `TabBuilder`: ("Compare", build)."""
    CompareTab(ctx.assistant).build()
