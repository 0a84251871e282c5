"""The web app's `ask` API endpoint through gradio_client, and the escaping and upload rules
the web pages rely on."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from gradio_client import Client
from gradio_client.exceptions import AuthenticationError

from assistant.documents import add_uploads, check_upload, remove_document, safe_filename, store_upload
from assistant.settings import Settings
from assistant.types import Answer, Citation, Filters
from assistant.web import (
    ChatSession,
    Turn,
    answer_markdown,
    chat_markdown,
    export_json,
    export_markdown,
    record_feedback,
    viewer_html,
)
from tests import pdfs
from tests.web_fixtures import web_server  # noqa: F401  (fixture)

QUESTION = "Which forces audited breach recording?"
CONTRACT_KEYS = {"question", "answer", "abstained", "forces", "citations", "timings_ms"}
CITATION_KEYS = set(Citation.model_fields)


@pytest.fixture(scope="module")
def client(web_server):  # noqa: F811
    return Client(web_server.url, verbose=False)


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_ask_endpoint_returns_the_ask_json_contract(client, web_server):  # noqa: F811
    result = client.predict(QUESTION, api_name="/ask")
    assert set(result) == CONTRACT_KEYS
    Answer.model_validate(result)
    assert result["question"] == QUESTION
    assert not result["abstained"] and result["citations"]
    for c in result["citations"]:
        assert set(c) == CITATION_KEYS
        doc = web_server.assistant.index.document(c["doc_id"])
        assert doc is not None, c["doc_id"]
        assert _norm(c["quote"]) == _norm(doc.text[c["start"] : c["end"]])


def test_api_answer_is_the_library_answer(client, web_server):  # noqa: F811
    result = client.predict(QUESTION, api_name="/ask")
    direct = web_server.assistant.ask(QUESTION).model_dump(mode="json")
    result.pop("timings_ms"), direct.pop("timings_ms")
    assert result == direct


def test_force_filter_through_the_api_cites_only_that_force(client):
    result = client.predict(QUESTION, forces=["devon & cornwall"], api_name="/ask")
    assert result["citations"]
    assert {c["force"] for c in result["citations"]} == {"Devon and Cornwall"}


@pytest.mark.parametrize(
    "question, message",
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("why " * 1000, "too long"),
    ],
)
def test_empty_or_oversized_question_is_refused_with_a_sentence(client, question, message):
    with pytest.raises(Exception) as caught:
        client.predict(question, api_name="/ask")
    assert message in str(caught.value)
    assert "Traceback" not in str(caught.value)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"forces": ["Atlantis"]}, "Unknown force"),
        ({"doc_types": ["novel"]}, "Unknown document type"),
        ({"since": "last Tuesday"}, "is not a date: use 2019-05-14"),
        ({"since": "2020-01-01", "until": "2019-01-01"}, "is after the until date"),
        ({"k": 0}, "whole number"),
    ],
)
def test_bad_filters_are_refused_with_a_sentence(client, kwargs, message):
    with pytest.raises(Exception) as caught:
        client.predict(QUESTION, api_name="/ask", **kwargs)
    assert message in str(caught.value)


def test_concurrent_clients_each_get_the_answer_to_their_own_question(web_server):  # noqa: F811
    questions = [
        QUESTION,
        "Which group scrutinises compliance with the joint protocol on stalking?",
        "Which legislative change did the Devon and Cornwall PCC mention?",
        "When did the Gwent PCC write to the Home Secretary?",
    ] * 3

    def ask(question: str) -> dict:
        return Client(web_server.url, verbose=False).predict(question, api_name="/ask")

    with ThreadPoolExecutor(max_workers=len(questions)) as pool:
        results = list(pool.map(ask, questions))
    assert [r["question"] for r in results] == questions


def test_the_load_script_reports_every_request_and_no_crossed_answer(web_server):  # noqa: F811
    from evals import load_web

    questions = load_web.load_questions(load_web.DEFAULT_QUESTIONS)[:6]
    report = load_web.run(web_server.url, users=3, per_user=2, max_seconds=60, questions=questions, think=(0.0, 0.2))
    assert (report["requests"], report["ok"], report["errors"], report["crossed"]) == (6, 6, 0, 0)
    assert 0 < report["p50_s"] <= report["p95_s"] <= report["max_s"]
    assert report["think_s"] == [0.0, 0.2] and "think time | 0-0.2 s" in load_web.markdown(report)


def test_the_load_script_refuses_other_machines_and_bad_think_times():
    from evals import load_web

    with pytest.raises(SystemExit):
        load_web.main(["--url", "http://example.org/"])
    with pytest.raises(SystemExit):
        load_web.main(["--think", "3-1"])
    assert load_web.think_range("1-3") == (1.0, 3.0) and load_web.think_range("2") == (2.0, 2.0)


# ---- what the pages render ------------------------------------------------------------------
XSS = "<img src=x onerror=alert(1)> <script>window.__xss=1</script> [link](javascript:alert(2)) ![i](http://x/y.png)"


def test_chat_markdown_leaves_no_html_links_or_images_from_document_text():
    rendered = chat_markdown(f"They said {XSS} [1]", turn=0, numbers={1})
    assert "<" not in rendered and ">" not in rendered.replace("&gt;", "")
    assert "](javascript" not in rendered.replace("\\]", "")
    assert "!\\[i\\]" in rendered  # the image syntax is escaped, shown as text
    assert rendered.endswith("[\\[1\\]](#cite-0-1)")  # the answer's own marker becomes a viewer link


def test_only_markers_of_real_citations_become_links():
    assert "#cite" not in chat_markdown("see [7]", turn=2, numbers={1})


def _answer(quote: str = "the quoted words") -> Answer:
    return Answer(
        question="q?",
        answer="It says so [1].",
        abstained=False,
        citations=[
            Citation(
                n=1,
                doc_id="d",
                source="corpus/x.txt",
                title="<b>T</b>",
                force="Gwent",
                date="2019-05-14",
                page=1,
                start=0,
                end=5,
                quote=quote,
                score=0.5,
            )
        ],
    )


def test_answer_says_which_filters_were_on():
    turn = Turn(answer=_answer(), filters=Filters(forces=["Gwent"]))
    assert "Filters on: force: Gwent" in answer_markdown(0, turn)


def test_viewer_escapes_document_text_and_marks_the_quote(web_server):  # noqa: F811
    doc = web_server.assistant.index.documents()[0]
    answer = _answer()
    answer.citations[0] = answer.citations[0].model_copy(update={"doc_id": doc.doc_id, "start": 10, "end": 40})
    session = ChatSession(turns=[Turn(answer=answer, filters=Filters())], viewing=(0, 0))
    text = web_server.assistant.index.document(doc.doc_id).text
    page = viewer_html(web_server.assistant, session)
    marked = page.split("<mark")[1].split(">", 1)[1].split("</mark>")[0]
    assert _norm(marked) == _norm(text[10:40].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    assert page.count("<mark") == 1


def test_exports_hold_every_citation():
    session = ChatSession(
        turns=[
            Turn(answer=_answer("first quote"), filters=Filters()),
            Turn(answer=_answer("second quote"), filters=Filters(forces=["Gwent"])),
        ]
    )
    data = json.loads(export_json(session, "extractive"))
    assert [t["citations"][0]["quote"] for t in data["turns"]] == ["first quote", "second quote"]
    assert data["turns"][1]["filters"]["forces"] == ["Gwent"]
    md = export_markdown(session, "extractive")
    assert "> first quote" in md and "> second quote" in md and "Filters on: force: Gwent" in md


def test_feedback_is_appended_with_question_answer_and_citations(tmp_path):
    settings = Settings(index_dir=tmp_path / "index")
    session = ChatSession(turns=[Turn(answer=_answer(), filters=Filters())])
    record_feedback(settings, session, "up", " useful ", "extractive")
    path = record_feedback(settings, session, "down", "", "extractive")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["rating"] for r in lines] == ["up", "down"]
    assert lines[0]["comment"] == "useful" and lines[0]["question"] == "q?"
    assert lines[0]["citations"][0]["quote"] == "the quoted words"


# ---- uploads ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, safe",
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\boot.ini.md", "boot-ini.md"),
        ("Rapport d'été 2019.PDF", "Rapport-d-ete-2019.pdf"),
        (".hidden.txt", "hidden.txt"),
        ("..pdf", "upload.pdf"),
    ],
)
def test_upload_names_are_sanitised(name, safe):
    assert safe_filename(name) == safe


def test_upload_type_is_checked_by_content(tmp_path):
    text_as_pdf = tmp_path / "a.pdf"
    text_as_pdf.write_text("plain words")
    assert "not a valid PDF" in check_upload(text_as_pdf, "a.pdf", 2**20)
    pdf_as_txt = pdfs.text_pdf(tmp_path / "b.txt", ["A PDF named as text."])
    assert "content is a PDF" in check_upload(pdf_as_txt, "b.txt", 2**20)
    binary = pdfs.binary_txt(tmp_path / "c.txt")
    assert "binary" in check_upload(binary, "c.txt", 2**20)
    big = pdfs.big_text_file(tmp_path / "d.txt", size=2 * 2**20)
    assert "too large" in check_upload(big, "d.txt", 2**20)
    assert "unsupported" in check_upload(text_as_pdf, "a.exe", 2**20)


def test_a_different_file_with_the_same_name_is_saved_beside_it(tmp_path):
    settings = Settings(index_dir=tmp_path / "index")
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("first version")
    two.write_text("second version")
    first, note1 = store_upload(one, "letter.txt", settings)
    again, note_same = store_upload(one, "letter.txt", settings)
    second, note2 = store_upload(two, "letter.txt", settings)
    assert first == again and first.name == "letter.txt" and not note1 and not note_same
    assert second.name == "letter-2.txt" and "already exists" in note2
    assert first.read_text() == "first version" and second.read_text() == "second version"
    assert first.parent == settings.data_dir / "uploads"


def test_upload_errors_are_reported_per_file(tmp_path):
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "corpus")
    empty = pdfs.empty_file(tmp_path / "empty.txt")
    binary = pdfs.binary_txt(tmp_path / "bin.txt")
    batch = add_uploads(settings, [(Path(empty), "empty.txt"), (Path(binary), "bin.txt")])
    assert [(r.name, r.ok) for r in batch.results] == [("empty.txt", False), ("bin.txt", False)]
    assert not (settings.data_dir / "uploads").exists() or not any((settings.data_dir / "uploads").iterdir())


def test_login_is_required_when_auth_is_set(web_server):  # noqa: F811
    from assistant.core import Assistant
    from assistant.web import build_app, launch
    from tests.web_fixtures import free_port

    settings = web_server.settings.model_copy(update={"auth": "analyst:s3cret", "port": free_port()})
    app = build_app(Assistant(settings))
    launch(app, settings, block=False, quiet=True)
    try:
        url = f"http://127.0.0.1:{settings.port}/"
        with pytest.raises(AuthenticationError):
            Client(url, verbose=False).predict(QUESTION, api_name="/ask")
        answer = Client(url, verbose=False, auth=("analyst", "s3cret")).predict(QUESTION, api_name="/ask")
        assert answer["question"] == QUESTION
    finally:
        app.close()


def test_removed_upload_leaves_the_index_and_the_disk(web_server, tmp_path):  # noqa: F811
    settings = web_server.settings
    note = tmp_path / "note.md"
    note.write_text(
        "# Gloucestershire note\n\nGloucestershire Constabulary trained its pelican response team in 2021.\n"
    )
    batch = add_uploads(settings, [(note, "note.md")])
    saved = batch.results[0].saved_as
    assert batch.results[0].ok and saved.exists()
    doc = next(d for d in web_server.assistant.index.documents() if d.source.endswith("uploads/note.md"))
    assert "removed" in remove_document(settings, doc.doc_id).lower()
    assert web_server.assistant.index.document(doc.doc_id) is None
    assert not saved.exists()
