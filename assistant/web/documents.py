"""The Documents tab: the indexed documents with their metadata, uploads (PDF, .txt, .md) and
removal. Both go through `Assistant.add_uploads` / `Assistant.remove_document`, one at a time
(the "index-write" queue); after each, the table, the chat's force filter and the status line
are refreshed. Documents are named by title and file name, never by server path; Gradio's
temporary copies of uploads are deleted once read, whether they were accepted or not."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import gradio as gr

from assistant.core import Assistant
from assistant.types import DocumentInfo
from assistant.web.background import BackgroundIngest
from assistant.web.components import (
    PROGRESS,
    asset,
    discard_temporary,
    esc,
    file_name,
    force_choices,
    guarded,
    status_html,
)

DOC_HEADERS = ["title", "force", "author", "role", "type", "date", "pages", "chunks", "file"]
CANCELLED = "__cancelled__"  # what assets/confirm-remove.js sends when the user says no


def document_rows(docs: list[DocumentInfo]) -> list[list]:
    return [
        [
            d.title,
            d.force or "",
            d.author_name or "",
            d.author_role or "",
            d.doc_type,
            d.date or "",
            d.pages,
            d.chunks,
            file_name(d.source),
        ]
        for d in docs
    ]


def document_choices(docs: list[DocumentInfo]) -> list[tuple[str, str]]:
    return [(f"{d.title or file_name(d.source)} — {file_name(d.source)}", d.doc_id) for d in docs]


def upload_results_html(results: Iterable) -> str:
    """One line per uploaded file: added, unchanged (already indexed) or not added, and why."""
    items = []
    for r in results:
        note = f" ({r.message})" if r.ok and r.message else ""
        if r.ok and getattr(r, "status", "added") == "unchanged":
            items.append(
                f'<li class="ok unchanged">✔ {esc(r.name)}: unchanged, already in the index{esc(note)}; '
                "nothing was re-read.</li>"
            )
        elif r.ok:
            items.append(f'<li class="ok">✔ {esc(r.name)}: added{esc(note)}; ask about it in the Chat tab.</li>')
        else:
            items.append(f'<li class="failed">✘ {esc(r.name)}: {esc(r.message)}; not added.</li>')
    return f'<ul class="upload-results" role="status">{"".join(items)}</ul>'


class DocumentsTab:
    """The Documents tab's components (built by `build`, inside an open gr.Tab) and its handlers.

    `forces` (the chat's force filter) and `status` (the status line) are refreshed with the table.
    """

    def __init__(self, assistant: Assistant, job: BackgroundIngest | None, forces: gr.Dropdown, status: gr.HTML):
        self.assistant = assistant
        self.job = job
        self.forces = forces
        self.status = status

    def build(self) -> None:
        docs = self.assistant.documents()
        self.table = gr.Dataframe(
            value=document_rows(docs),
            headers=DOC_HEADERS,
            datatype="str",
            interactive=False,
            wrap=True,
            elem_id="documents-table",
            max_height=420,
            column_widths=["26%", "10%", "10%", "8%", "10%", "8%", "5%", "5%", "18%"],
        )
        with gr.Row():
            with gr.Column():
                self.uploads = gr.File(
                    label=(
                        f"Add {', '.join(self.assistant.file_types)} files "
                        f"(up to {self.assistant.settings.max_upload_mb} MB each)"
                    ),
                    file_count="multiple",
                    file_types=list(self.assistant.file_types),
                    type="filepath",
                    elem_id="upload",
                )
                self.upload_result = gr.HTML("", elem_id="upload-result", js_on_load=None)
            with gr.Column():
                self.to_delete = gr.Dropdown(
                    choices=document_choices(docs), label="Remove a document", elem_id="delete-choice"
                )
                self.delete = gr.Button("Remove from index", variant="stop", elem_id="delete-button")
                self.delete_result = gr.HTML("", elem_id="delete-result", js_on_load=None)

    @property
    def refresh_outputs(self) -> list:
        """What `refreshed()` updates, in its order."""
        return [self.table, self.to_delete, self.forces, self.status]

    def wire(self) -> None:
        self.uploads.upload(
            self.upload,
            [self.uploads],
            [self.upload_result, *self.refresh_outputs, self.uploads],
            api_visibility="undocumented",
            concurrency_limit=1,
            concurrency_id="index-write",
        )
        self.delete.click(
            self.remove,
            [self.to_delete],
            [self.delete_result, *self.refresh_outputs],
            js=asset("confirm-remove.js"),
            api_visibility="undocumented",
            concurrency_limit=1,
            concurrency_id="index-write",
        )

    def refreshed(self) -> tuple:
        """The table, the removal choices, the chat's force choices and the status line, as now."""
        docs = self.assistant.documents()
        return (
            document_rows(docs),
            gr.Dropdown(choices=document_choices(docs), value=None),
            gr.Dropdown(choices=force_choices(docs)),
            status_html(self.assistant, self.job, docs),
        )

    @guarded
    def upload(self, paths: list[str] | None, progress: gr.Progress = PROGRESS) -> tuple:
        if not paths:
            return ("", *self.refreshed(), None)
        try:
            progress(0, desc=f"Reading and indexing {len(paths)} file(s)…")
            batch = self.assistant.add_uploads([(Path(p), Path(p).name) for p in paths])
            progress(1)
        finally:
            discard_temporary(paths)  # Gradio's copies: the accepted ones are under uploads/ now
        return (upload_results_html(batch.results), *self.refreshed(), None)

    @guarded
    def remove(self, doc_id: str | None) -> tuple:
        if doc_id == CANCELLED:
            return (gr.skip(),) * 5
        if not doc_id:
            return ('<p class="field-error" role="alert">Choose a document to remove first.</p>', *(gr.skip(),) * 4)
        try:
            note = self.assistant.remove_document(doc_id)
        except KeyError:
            gone = '<p class="field-error" role="alert">That document is no longer in the index.</p>'
            return (gone, *self.refreshed())
        return (f'<p role="status">{esc(note)}</p>', *self.refreshed())

    def tick(self) -> tuple:
        """Every 2 s while the background ingest runs (and once when a page loads): refresh, and
        stop the timer when the ingest is done."""
        still = self.job is not None and self.job.running
        return (*self.refreshed(), gr.Timer(active=still))
