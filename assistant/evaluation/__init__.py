"""The evaluation harness: scripted question sets in, scores and reports out.

    schema.py    the question-set schema (fixed, DESIGN.md): load, validate, resolve gold docs
    scoring.py   the metrics (pure functions; their definitions are in its docstring)
    baseline.py  the LangChain-tutorial answerer the project is compared with
    judge.py     optional LLM-as-judge
    runner.py    run sets through the pipelines -> Report
    diff.py      compare two reports; floors.py  the CI gate
    render.py    report.md / report.html / report.json; plot.py  report.png; terminal.py  rich tables

For the web app: `run_eval(assistant, path, progress=callback)` then `render_markdown(report)`
(and `write_reports(report, dir)` for the downloadable files).
"""

from assistant.evaluation.diff import ReportUnreadable, diff_reports, load_report
from assistant.evaluation.floors import FloorsError, below_floors, load_floors
from assistant.evaluation.render import render_html, render_markdown, write_reports
from assistant.evaluation.results import METRICS, Report
from assistant.evaluation.runner import EvalError, run_eval
from assistant.evaluation.schema import SetError, load_sets

__all__ = [
    "METRICS",
    "EvalError",
    "FloorsError",
    "Report",
    "ReportUnreadable",
    "SetError",
    "below_floors",
    "diff_reports",
    "load_floors",
    "load_report",
    "load_sets",
    "render_html",
    "render_markdown",
    "run_eval",
    "write_reports",
]
