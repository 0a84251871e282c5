"""The evaluation harness: set validation, metric definitions, a real run, comparisons, floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from assistant.evaluation import (
    METRICS,
    SetError,
    below_floors,
    diff_reports,
    load_floors,
    load_report,
    load_sets,
    render_markdown,
    run_eval,
    write_reports,
)
from assistant.evaluation.judge import Judge
from assistant.evaluation.results import ItemResult, PipelineRun, Report, Score, Summary
from assistant.evaluation.schema import Expect
from assistant.evaluation.scoring import (
    citation_problem,
    score_abstention,
    score_facts,
    score_forces,
    score_item,
    score_retrieval,
    summarise,
)
from assistant.settings import PROJECT_DIR, Settings
from assistant.types import Citation, CompareCell, Comparison, Status
from ingest.types import Document, DocumentMeta

GWENT = "corpus/gwent-pcc-2019-05-14.txt"


def write_set(path: Path, items) -> Path:
    path.write_text(yaml.safe_dump(items, sort_keys=False) if not isinstance(items, str) else items)
    return path


def fake_doc(doc_id: str, source: str, text: str = "", force: str | None = None) -> Document:
    return Document(
        doc_id=doc_id, source=source, content_hash="x", text=text, page_starts=[0], meta=DocumentMeta(force=force)
    )


DOCS = [fake_doc("gwent-1", GWENT), fake_doc("cambs-1", "corpus/cambridgeshire-pcc-letter-2019-05-28.txt")]


def problems_of(tmp_path: Path, items) -> list[str]:
    path = write_set(tmp_path / "set.yaml", items)
    with pytest.raises(SetError) as err:
        load_sets([path], DOCS)
    return err.value.problems


# ---- schema --------------------------------------------------------------------------------------
def test_unknown_key_names_file_item_and_field(tmp_path):
    [line] = problems_of(tmp_path, [{"id": "q1", "question": "Who?", "expect": {"fcts": [["x"]]}}])
    assert line.startswith(str(tmp_path / "set.yaml"))
    assert "item 1 (id q1)" in line and "unknown key `expect.fcts`" in line and "facts" in line


def test_missing_question_is_reported_even_beside_other_errors(tmp_path):
    lines = problems_of(tmp_path, [{"id": "q1", "question": "ok"}, {"id": "q2", "expect": {"abstain": "perhaps"}}])
    assert any("item 2 (id q2)" in line and "missing `question`" in line for line in lines)
    assert any("item 2 (id q2)" in line and "expect.abstain" in line for line in lines)


def test_question_and_turns_together_are_rejected(tmp_path):
    [line] = problems_of(tmp_path, [{"id": "q1", "question": "a", "turns": ["b"]}])
    assert "not both" in line


def test_wrong_type_names_the_field_and_what_was_given(tmp_path):
    [line] = problems_of(tmp_path, [{"id": "q1", "question": "Who?", "expect": {"facts": ["800"]}}])
    assert "field `expect.facts[0]`" in line and "'800'" in line and "list of alternatives" in line


def test_gold_doc_not_in_index_is_an_error(tmp_path):
    [line] = problems_of(tmp_path, [{"id": "q1", "question": "Who?", "expect": {"docs": ["corpus/nope.txt"]}}])
    assert "field `expect.docs[0]`" in line and "not in the index" in line


def test_every_bad_file_is_reported_before_anything_runs(tmp_path):
    good = write_set(tmp_path / "good.yaml", [{"id": "q1", "question": "Who?"}])
    bad = write_set(tmp_path / "bad.yaml", "- id: q1\n  question: [unclosed\n")
    with pytest.raises(SetError) as err:
        load_sets([good, bad, tmp_path / "missing.yaml"], DOCS)
    assert [p.split(":")[0] for p in err.value.problems] == [str(bad), str(tmp_path / "missing.yaml")]


def test_gold_docs_resolve_from_path_doc_id_or_file_name(tmp_path):
    path = write_set(
        tmp_path / "set.yaml",
        [
            {
                "id": "q1",
                "question": "Who?",
                "expect": {"docs": [GWENT, "cambs-1", "gwent-pcc-2019-05-14.txt"], "forces": ["devon & cornwall"]},
            }
        ],
    )
    [qset] = load_sets([path], DOCS)
    assert qset.gold["q1"] == ["gwent-1", "cambs-1"]
    assert qset.items[0].expect.forces == ["Devon and Cornwall"]


def test_compare_sets_are_detected_by_topic(tmp_path):
    path = write_set(
        tmp_path / "compare-x.yaml",
        [{"id": "c1", "topic": "audited breaches", "expect": {"Gwent": "done", "Cambs": "planned"}}],
    )
    [qset] = load_sets([path], DOCS)
    assert qset.kind == "compare" and qset.items[0].expect == {"Gwent": Status.done, "Cambridgeshire": Status.planned}
    lines = problems_of(tmp_path, [{"id": "c1", "topic": "t", "expect": {"Gwent": "finished"}}])
    assert "expect.Gwent" in lines[0]


# ---- metrics ---------------------------------------------------------------------------------------
TEXT = "Gwent Police has now reviewed the occurrences.\nTraining  for 800 officers."


def cite(n=1, doc_id="gwent-1", start=0, end=46, quote="Gwent Police has now reviewed the occurrences."):
    return Citation(
        n=n,
        doc_id=doc_id,
        source=GWENT,
        title="t",
        force="Gwent",
        date=None,
        page=1,
        start=start,
        end=end,
        quote=quote,
        score=1.0,
    )


def result(answer="", forces=(), citations=(), retrieved=(), abstained=False, timings=None) -> ItemResult:
    return ItemResult(
        set="s.yaml",
        id="q",
        turns=["q?"],
        answer=answer,
        abstained=abstained,
        forces=list(forces),
        citations=list(citations),
        retrieved=list(retrieved),
        timings_ms=timings or {},
    )


def test_recall_and_mrr_count_distinct_documents_in_rank_order():
    recall, mrr = score_retrieval(["a", "b"], ["x", "b", "y"])
    assert (recall.value, recall.passed, mrr.value, mrr.passed) == (0.5, False, 0.5, False)
    recall, mrr = score_retrieval(["a"], ["a"])
    assert recall.passed and mrr.passed
    assert score_retrieval([], ["a"])[0].value is None


def test_a_fact_group_needs_one_alternative_case_and_whitespace_folded():
    score = score_facts([["TRAINING for 800"], ["nine hundred", "officers"], ["zebra"]], TEXT)
    assert score.value == pytest.approx(2 / 3) and not score.passed and "zebra" in score.detail


def test_force_precision_counts_only_not_forces_as_wrong():
    expect = Expect(forces=["Gwent"], not_forces=["Sussex"])
    recall, precision = score_forces(expect, ["Gwent", "Kent"])  # Kent is neutral
    assert recall.passed and precision.value == 1.0
    recall, precision = score_forces(expect, ["Sussex", "Kent"])
    assert recall.value == 0 and precision.value == 0.5 and "Sussex" in precision.detail
    assert score_forces(expect, [])[1].value is None  # nothing asserted: precision does not apply
    assert score_forces(Expect(), ["Gwent"]) == (
        Score.na("no forces expected"),
        Score.na("no forces or not_forces given"),
    )


def test_abstention_must_match_the_expectation():
    assert score_abstention(True, True).passed and score_abstention(False, False).passed
    assert not score_abstention(True, False).passed and not score_abstention(False, True).passed


def test_citation_must_quote_the_document_at_its_offsets():
    docs = {"gwent-1": fake_doc("gwent-1", GWENT, TEXT)}
    assert citation_problem(cite(), docs) is None
    assert citation_problem(cite(start=47, end=74, quote="Training for 800 officers."), docs) is None  # spaces folded
    assert "not at the cited offsets" in citation_problem(cite(start=1, end=47), docs)
    assert "not found" in citation_problem(cite(quote="Gwent Police has never reviewed the occurrences."), docs)
    assert "not in the index" in citation_problem(cite(doc_id="other"), docs)
    assert "outside" in citation_problem(cite(end=999), docs)


def test_item_scores_and_overall_means_skip_items_a_metric_does_not_apply_to():
    docs = {"gwent-1": fake_doc("gwent-1", GWENT, TEXT)}
    good = result(
        answer="Gwent reviewed the occurrences [1]",
        forces=["Gwent"],
        citations=[cite()],
        retrieved=["gwent-1"],
        timings={"total": 10.0},
    )
    score_item(good, Expect(docs=[GWENT], facts=[["reviewed"]], forces=["Gwent"]), ["gwent-1"], docs)
    bad = result(
        answer="Sussex did it",
        forces=["Sussex"],
        citations=[cite(n=1, quote="invented")],
        retrieved=["cambs-1", "gwent-1"],
        timings={"total": 30.0},
    )
    score_item(bad, Expect(docs=[GWENT], facts=[["reviewed"]], not_forces=["Sussex"]), ["gwent-1"], docs)
    silent = result(answer="The documents do not say.", abstained=True, timings={"total": 20.0})
    score_item(silent, Expect(abstain=True), [], docs)

    assert good.passed and not bad.passed and silent.passed
    assert bad.scores["citation_support"].passed is True and bad.scores["citation_validity"].value == 0
    overall = summarise([good, bad, silent])
    assert overall.metrics["recall_at_k"] == 1.0 and overall.applicable["recall_at_k"] == 2
    assert overall.metrics["mrr"] == 0.75
    assert overall.metrics["fact_accuracy"] == 0.5
    assert overall.metrics["force_recall"] == 1.0 and overall.applicable["force_recall"] == 1
    assert overall.metrics["force_precision"] == 0.5 and overall.applicable["force_precision"] == 2
    assert overall.metrics["abstention_accuracy"] == 1.0 and overall.applicable["abstention_accuracy"] == 3
    assert overall.metrics["citation_validity"] == 0.5
    assert overall.latency_ms["total"]["p50"] == 20.0 and overall.latency_ms["total"]["p95"] == 29.0
    assert "judge" not in overall.metrics


def test_judge_reads_the_verdict_of_any_chat_model():
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    model = FakeListChatModel(responses=["VERDICT: PASS\nREASON: states it", "VERDICT: FAIL\nREASON: no number"])
    judge = Judge(model, "fake", "Q {question} F {facts} A {answer}")
    assert judge.score("q", [["800"]], "eight hundred").passed
    verdict = judge.score("q", [["800"]], "many")
    assert verdict.passed is False and verdict.detail == "no number"
    assert judge.score("q", [], "x").value is None


# ---- comparisons and floors ----------------------------------------------------------------------
def tiny_report(passes: dict[str, bool], facts: float) -> Report:
    items = [
        ItemResult(
            set="s.yaml",
            id=item_id,
            turns=[f"{item_id}?"],
            answer="",
            abstained=False,
            scores={"fact_accuracy": Score(value=float(ok), passed=ok)},
        )
        for item_id, ok in passes.items()
    ]
    run = PipelineRun(pipeline="project", answerer="extractive", items=items)
    run.overall.metrics = {"fact_accuracy": facts}
    run.halves = {"heldout": run.overall}
    return Report(created="now", sets=["s.yaml"], index="idx", documents=1, k=5, runs=[run])


def test_compare_lists_deltas_and_the_items_that_regressed():
    old = tiny_report({"q1": True, "q2": False, "q3": True}, 0.667)
    new = tiny_report({"q1": False, "q2": True, "q3": True}, 0.667)
    diff = diff_reports(old, new)
    assert [r.key for r in diff.regressed] == ["s.yaml#q1"] and diff.regressed[0].metrics == ["fact_accuracy"]
    assert [r.key for r in diff.fixed] == ["s.yaml#q2"]
    assert diff.deltas["project"][0].delta == 0.0


def test_floors_name_each_metric_below_its_minimum(tmp_path):
    report = tiny_report({"q1": True}, 0.5)
    assert below_floors(report, {"fact_accuracy": 0.5}) == []
    [line] = below_floors(report, {"fact_accuracy": 0.6})
    assert "fact_accuracy" in line and "0.500" in line
    assert "not measured" in below_floors(report, {"mrr": 0.1})[0]
    bad = tmp_path / "floors.yaml"
    bad.write_text("recal: 0.5\n")
    with pytest.raises(ValueError, match="unknown metric 'recal'"):
        load_floors(bad)
    assert set(load_floors(PROJECT_DIR / "evals" / "floors.yaml")) <= set(METRICS)


def test_floors_gate_the_held_out_half_never_the_tuning_half():
    report = tiny_report({"q1": True}, 0.5)
    run = report.runs[0]
    run.halves = {"tune": Summary(metrics={"fact_accuracy": 1.0}), "heldout": Summary(metrics={"fact_accuracy": 0.4})}
    assert below_floors(report, {"fact_accuracy": 0.5}) != []
    run.halves = {"tune": Summary(metrics={"fact_accuracy": 0.1}), "heldout": Summary(metrics={"fact_accuracy": 0.9})}
    assert below_floors(report, {"fact_accuracy": 0.5}) == []
    run.halves = {"tune": Summary(metrics={"fact_accuracy": 1.0})}  # nothing held out: nothing measured
    assert "not measured" in below_floors(report, {"fact_accuracy": 0.5})[0]


# ---- a real run against a temporary index of the corpus --------------------------------------------
@pytest.fixture(scope="module")
def settings(seed_index) -> Settings:
    """The session's temporary index of the five seed documents (tests/conftest.py), with
    `assistant` (an Assistant over it) from there too."""
    return seed_index


SMALL = [
    {
        "id": "q01",
        "question": "Which charity hosted the National Stalking Conference where Cambridgeshire's "
        "dedicated post was recognised?",
        "expect": {"docs": ["corpus/cambridgeshire-board-paper-2018-05-10.txt"], "facts": [["Suzy Lamplugh Trust"]]},
    },
    {
        "id": "q50",
        "question": "<script>alert(1)</script> What budget has Gwent Police allocated to stalking work?",
        "expect": {"abstain": True, "not_forces": ["Kent"]},
    },
    {
        "id": "q64",
        "turns": ["Which forces audited breach recording?", "And what about Cambridgeshire?"],
        "expect": {
            "docs": ["cambridgeshire-pcc-letter-2019-05-28.txt"],
            "forces": ["Cambridgeshire"],
            "facts": [["zebra crossings"]],
        },
    },  # a fact no answer has: fact_accuracy < 1
]


@pytest.fixture(scope="module")
def small_set(tmp_path_factory) -> Path:
    return write_set(tmp_path_factory.mktemp("sets") / "small.yaml", SMALL)


@pytest.fixture(scope="module")
def both_report(assistant, small_set) -> Report:
    seen = []
    report = run_eval(assistant, small_set, pipeline="both", progress=lambda done, total, label: seen.append(done))
    assert seen[-1] == 6  # 3 items x 2 pipelines
    return report


def test_each_half_of_a_split_set_is_summarised_on_its_own(assistant, tmp_path):
    items = [{**item, "split": split} for item, split in zip(SMALL, ["tune", "heldout", "heldout"], strict=True)]
    run = run_eval(assistant, write_set(tmp_path / "split.yaml", items)).run("project")
    assert [i.split for i in run.items] == ["tune", "heldout", "heldout"]
    assert list(run.halves) == ["tune", "heldout"]
    assert run.halves["tune"].items == 1 and run.halves["heldout"].items == 2
    assert run.gated is run.halves["heldout"]


def test_a_run_scores_both_pipelines_on_the_same_questions(both_report, assistant):
    project, baseline = both_report.run("project"), both_report.run("baseline")
    assert [i.id for i in project.items] == [i.id for i in baseline.items] == ["q01", "q50", "q64"]
    q01 = project.items[0]
    assert q01.scores["recall_at_k"].passed and q01.scores["fact_accuracy"].passed
    assert q01.scores["citation_validity"].passed and q01.scores["citation_support"].passed
    assert project.items[2].turns == SMALL[2]["turns"] and project.items[2].scores["fact_accuracy"].passed is False
    assert project.overall.metrics["citation_validity"] == 1.0
    assert baseline.overall.metrics["abstention_accuracy"] < 1.0  # the baseline never abstains
    assert baseline.overall.metrics["citation_validity"] == 1.0  # its quote is the chunk: always verbatim
    assert set(project.overall.latency_ms) >= {"retrieve", "answer", "total"}
    assert assistant.index.stats()["documents"] == 5  # the baseline's Chroma is not the project's


def test_reports_are_written_and_every_text_escaped(both_report, tmp_path):
    written = write_reports(both_report, tmp_path / "out")
    assert sorted(p.name for p in written) == ["report.html", "report.json", "report.md", "report.png"]
    html = (tmp_path / "out" / "report.html").read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<script>" not in (tmp_path / "out" / "report.md").read_text()
    assert (tmp_path / "out" / "report.png").read_bytes()[:4] == b"\x89PNG"
    again = load_report(tmp_path / "out" / "report.json")
    assert again.run("project").overall == both_report.run("project").overall
    assert "## Items (baseline)" in render_markdown(both_report)


def test_a_compare_set_scores_status_from_the_matrix(assistant, small_set, tmp_path, monkeypatch):
    seeds = write_set(
        tmp_path / "compare-seeds.yaml",
        [{"id": "c1", "topic": "audited breach recording", "expect": {"Gwent": "done", "Sussex": "not_mentioned"}}],
    )
    report = run_eval(assistant, [seeds], pipeline="baseline")
    assert report.errors and str(seeds) in report.errors[0] and "project pipeline only" in report.errors[0]

    def fake_compare(_assistant, topics, forces):
        return Comparison(
            topics=topics,
            forces=forces,
            cells=[
                CompareCell(topic=topics[0], force="Gwent", status=Status.done),
                CompareCell(topic=topics[0], force="Sussex", status=Status.planned),
            ],
        )

    monkeypatch.setattr("assistant.evaluation.runner.compare", fake_compare)
    run = run_eval(assistant, [seeds]).run("project")
    assert run.overall.metrics["status_accuracy"] == 0.5
    assert run.overall.confusion == {"done": {"done": 1}, "not_mentioned": {"planned": 1}}


# ---- the command -----------------------------------------------------------------------------------
@pytest.fixture
def cli():
    from assistant.cli import configure
    from assistant.cli.eval import eval_command

    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.callback()(configure)
    app.command("eval")(eval_command)
    return app


def test_eval_command_writes_reports_compares_and_gates_on_floors(cli, settings, small_set, tmp_path):
    runner = CliRunner()
    base = ["--index-dir", str(settings.index_dir), "eval"]
    result = runner.invoke(cli, [*base, str(small_set), "--json", "--out", str(tmp_path / "a"), "-k", "3"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["k"] == 3 and printed["runs"][0]["overall"]["metrics"]["recall_at_k"] == 1.0

    floors = tmp_path / "floors.yaml"
    floors.write_text("abstention_accuracy: 1.0\nfact_accuracy: 0.9\n")
    result = runner.invoke(
        cli, [*base, str(small_set), "--floors", str(floors), "--baseline", str(tmp_path / "a" / "report.json")]
    )
    assert result.exit_code == 1
    assert "no item regressed" in result.stdout  # the same answers as the run it is compared with
    below = [line for line in result.stderr.splitlines() if line.startswith("below floor")]
    assert len(below) == 1 and "fact_accuracy" in below[0] and "below the floor 0.900" in below[0]

    # A later run whose q01 loses its fact regresses against the first report.
    worse = json.loads((tmp_path / "a" / "report.json").read_text())
    worse["runs"][0]["items"][0]["scores"]["fact_accuracy"]["passed"] = False
    (tmp_path / "worse.json").write_text(json.dumps(worse))
    result = runner.invoke(
        cli, [*base, "--compare", str(tmp_path / "a" / "report.json"), str(tmp_path / "worse.json"), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert [r["key"] for r in json.loads(result.stdout)["regressed"]] == ["small.yaml#q01"]


def test_eval_command_rejects_a_malformed_set_with_one_line_per_problem(cli, settings, tmp_path):
    bad = write_set(tmp_path / "bad.yaml", [{"id": "q1", "question": "Who?", "expect": {"docs": ["corpus/nope.txt"]}}])
    result = CliRunner().invoke(cli, ["--index-dir", str(settings.index_dir), "eval", str(bad), "--json"])
    assert result.exit_code == 1 and result.stdout == ""
    assert "bad.yaml: item 1 (id q1): field `expect.docs[0]`" in result.output
    assert "Traceback" not in result.output
