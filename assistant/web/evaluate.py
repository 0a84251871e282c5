"""The Evaluate tab: pick or upload a question set, run it with progress, read the summary and
per-item table, download the report. A thin surface over `assistant.evaluation`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Literal

import gradio as gr

from assistant.core import Assistant
from assistant.evaluation import EvalError, SetError, render_markdown, run_eval, write_reports
from assistant.settings import PROJECT_DIR
from assistant.web.components import PROGRESS, WebContext

SETS_DIR = PROJECT_DIR / "evals"
Pipeline = Literal["project", "baseline", "both"]
PIPELINES: tuple[Pipeline, ...] = ("project", "baseline", "both")


def shipped_sets() -> list[str]:
    """Question and compare sets that ship in evals/, as paths relative to the project."""
    return sorted(
        str(p.relative_to(PROJECT_DIR)) for p in SETS_DIR.glob("*.yaml") if p.name not in {"floors.yaml", "topics.yaml"}
    )


def evaluate(
    assistant: Assistant, picked: str | None, uploaded: str | None, pipeline: str, progress: gr.Progress = PROGRESS
) -> tuple[str, list[str] | None]:
    """Run one set; Markdown summary and the report files to download."""
    path = Path(uploaded) if uploaded else (PROJECT_DIR / picked if picked else None)
    if path is None:
        raise gr.Error("Pick a question set or upload one (YAML).")
    chosen = next((p for p in PIPELINES if p == pipeline), None)
    if chosen is None:
        raise gr.Error(f"The pipeline is one of {', '.join(PIPELINES)}.")
    try:
        report = run_eval(
            assistant,
            path,
            pipeline=chosen,
            progress=lambda done, total, label: progress(done / max(total, 1), desc=label),
        )
    except SetError as exc:
        raise gr.Error("The question set does not fit the schema: " + "; ".join(exc.problems[:5])) from None
    except EvalError as exc:
        raise gr.Error(f"The run failed: {exc}") from None
    out = Path(tempfile.mkdtemp(prefix="eval-report-"))
    files = [str(p) for p in write_reports(report, out)]
    return render_markdown(report, plot=None), files


class EvaluateTab:
    """The Evaluate tab's components and its one handler."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant

    def build(self) -> None:
        """Components and events, inside an open gr.Tab."""
        gr.Markdown(
            "Run a scripted question set against the current index "
            "(schema: `docs/evaluation.md`). Scores are per item and overall."
        )
        with gr.Row():
            picked = gr.Dropdown(choices=shipped_sets(), value=None, label="Question set", elem_id="eval-set")
            uploaded = gr.File(label="…or upload a set (YAML)", file_types=[".yaml", ".yml"], type="filepath")
            pipeline = gr.Radio(list(PIPELINES), value="project", label="Pipeline")
        run = gr.Button("Run evaluation", variant="primary", elem_id="eval-run")
        summary = gr.Markdown(elem_id="eval-summary", sanitize_html=True)
        files = gr.File(
            label="Report (Markdown, HTML, JSON, plot)", file_count="multiple", interactive=False, elem_id="eval-files"
        )
        run.click(
            self.run, [picked, uploaded, pipeline], [summary, files], concurrency_limit=1, api_visibility="undocumented"
        )

    def run(
        self, picked: str | None, uploaded: str | None, pipeline: str, progress: gr.Progress = PROGRESS
    ) -> tuple[str, list[str] | None]:
        return evaluate(self.assistant, picked, uploaded, pipeline, progress)


def build(ctx: WebContext) -> None:
    """The tab as a `TabBuilder`: ("Evaluate", build)."""
    EvaluateTab(ctx.assistant).build()
