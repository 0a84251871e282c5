"""The web app's `ask` API endpoint through gradio_client, and the escaping and upload rules
the web pages rely on."""

from __future__ import annotations

import html
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from gradio_client import Client
from gradio_client.exceptions import AuthenticationError

from assistant.documents import add_uploads, check_upload, remove_document, safe_filename, store_upload
from assistant.settings import Settings
from assistant.types import Answer, Citation, Filters, Reading
from assistant.web import (
    ChatSession,
    RestoreError,
    Turn,
    answer_html,
    chat_markdown,
    conversation_html,
    export_json,
    export_markdown,
    reading_html,
    record_feedback,
    restore_session,
    save_record,
    viewer_html,
)
from assistant.web.login import FREE_FAILURES, LoginThrottle
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


def _answer(quote: str = "the quoted words", reading: Reading | None = None) -> Answer:
    answer = Answer(
        question="q?",
        answer="It says so [1].",
        abstained=False,
        citations=[
            Citation(
                n=1,
                doc_id="d",
                source="/srv/private/corpus/x.txt",
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
    answer.reading = reading
    return answer


def test_a_turn_says_which_filters_the_panel_had_on():
    session = ChatSession(turns=[Turn(answer=_answer(), filters=Filters(forces=["Gwent"]))])
    assert "Filter panel: force: Gwent" in conversation_html(session)


def test_answers_render_markers_as_source_buttons_and_document_text_as_text():
    html = answer_html(f"- **Gwent** (done): “They said {XSS} [1] [2]” [1]\n- more [9]", 0, _answer().citations)
    assert "<img" not in html and "<script" not in html
    assert html.count('class="cite-marker"') == 1, "only the marker outside the quote, and only a real source"
    assert "<strong>Gwent</strong>" in html and html.startswith("<ul><li>")
    assert "[9]" in html and 'data-n="9"' not in html
    assert 'role="tooltip"' in html and "x.txt" in html and "/srv/" not in html


def test_the_reading_says_what_the_question_was_read_as_and_where_each_filter_came_from():
    reading = Reading(
        question="And what about Cambridgeshire? training",
        follow_up=True,
        filters=Filters(forces=["Cambridgeshire"], doc_types=["board paper"]),
        from_question=["force Cambridgeshire"],
        overridden=["the question names Kent; the Force filter (Cambridgeshire) was applied"],
    )
    html = reading_html(3, Turn(answer=_answer(reading=reading), filters=Filters(doc_types=["board paper"])))
    assert "Read as:" in html and "And what about Cambridgeshire? training" in html
    assert "force Cambridgeshire <span class='origin'>(from the question)</span>" in html
    assert "type board paper <span class='origin'>(from the filter panel)</span>" in html
    assert "reading-override" in html and "names Kent" in html
    assert 'class="ask-standalone" data-turn="3"' in html
    plain = Reading(question="Who wrote it?", filters=Filters())
    html = reading_html(0, Turn(answer=_answer(reading=plain), filters=Filters()))
    assert "filters: none" in html and "ask-standalone" not in html


def test_a_conversation_kept_in_the_browser_comes_back_whole_and_without_server_paths(assistant):
    from assistant.core import Conversation

    conversation = Conversation()
    first = assistant.ask("What training was delivered?", conversation)
    session = ChatSession(conversation=conversation, turns=[Turn(first, Filters(forces=["Gwent"]), "up")])
    record = json.loads(json.dumps(save_record(session)))
    assert all("/" not in c["source"] for c in record["answer"]["citations"])
    restored = restore_session({"id": session.session_id, "turns": [record]})
    assert restored.session_id == session.session_id
    assert restored.turns[0].answer.answer == first.answer and restored.turns[0].feedback == "up"
    assert restored.turns[0].answer.reading == first.reading
    assert restored.turns[0].filters == Filters(forces=["Gwent"])
    follow = assistant.ask("And what about Cambridgeshire?", restored.conversation)
    assert follow.reading.follow_up, "the follow-up state came back too"


@pytest.mark.parametrize(
    "kept", [None, "x", {"turns": "x"}, {"turns": [{"answer": {"question": 1}}]}, {"turns": [{}] * 500}]
)
def test_a_damaged_kept_conversation_is_refused(kept):
    with pytest.raises(RestoreError):
        restore_session(kept)


def test_viewer_marks_the_quote_in_readable_text_and_escapes_it(web_server):  # noqa: F811
    doc = web_server.assistant.index.documents()[0]
    text = web_server.assistant.index.document(doc.doc_id).text
    answer = _answer()
    answer.citations[0] = answer.citations[0].model_copy(update={"doc_id": doc.doc_id, "start": 200, "end": 260})
    session = ChatSession(turns=[Turn(answer=answer, filters=Filters())], viewing=(0, 0))
    page = viewer_html(web_server.assistant, session)
    marked = " ".join(re.findall(r'<mark class="cited"[^>]*>(.*?)</mark>', page, re.S))
    assert _norm(html.unescape(re.sub(r"<[^>]+>", " ", marked))) == _norm(text[200:260])
    assert page.count('id="cited-passage"') == 1
    assert "<pre" not in page and page.count("<p>") > 3
    assert str(web_server.settings.corpus_dir) not in page


def test_exports_hold_every_citation_by_file_name():
    session = ChatSession(
        turns=[
            Turn(answer=_answer("first quote"), filters=Filters()),
            Turn(answer=_answer("second quote"), filters=Filters(forces=["Gwent"])),
        ]
    )
    data = json.loads(export_json(session, "extractive"))
    assert [t["citations"][0]["quote"] for t in data["turns"]] == ["first quote", "second quote"]
    assert data["turns"][1]["filters"]["forces"] == ["Gwent"]
    assert data["turns"][0]["citations"][0]["source"] == "x.txt"
    md = export_markdown(session, "extractive")
    assert "> first quote" in md and "> second quote" in md and "Filters on: force: Gwent" in md
    assert "/srv/" not in md and "x.txt" in md


def test_feedback_is_appended_with_question_answer_and_citations(tmp_path):
    settings = Settings(index_dir=tmp_path / "index")
    session = ChatSession(turns=[Turn(answer=_answer(), filters=Filters()), Turn(answer=_answer(), filters=Filters())])
    record_feedback(settings, session, "up", " useful ", "extractive", 0)
    path = record_feedback(settings, session, "down", "", "extractive")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["rating"] for r in lines] == ["up", "down"]
    assert lines[0]["comment"] == "useful" and lines[0]["question"] == "q?"
    assert lines[0]["citations"][0]["quote"] == "the quoted words"
    assert [t.feedback for t in session.turns] == ["up", "down"]


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


def test_failed_sign_ins_back_off_exponentially_per_client():
    now = [0.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    delays = [throttle.failed("10.0.0.1") for _ in range(FREE_FAILURES + 2)]
    assert delays == [0.0] * (FREE_FAILURES - 1) + [1.0, 2.0, 4.0]
    assert throttle.wait_s("10.0.0.1") == 4.0 and throttle.wait_s("10.0.0.2") == 0.0  # per client
    now[0] += 4.0
    assert throttle.wait_s("10.0.0.1") == 0.0
    throttle.succeeded("10.0.0.1")
    assert throttle.failed("10.0.0.1") == 0.0, "a success clears the record"
    slow = LoginThrottle(clock=lambda: now[0])
    for _ in range(FREE_FAILURES * 2):  # one a minute: never more than one in the window
        now[0] += 61
        assert slow.failed("10.0.0.3") == 0.0


def test_the_login_route_refuses_a_client_in_backoff_and_logs_it(web_server, caplog):  # noqa: F811
    import httpx

    from assistant.core import Assistant
    from assistant.web import build_app, launch
    from tests.web_fixtures import free_port

    settings = web_server.settings.model_copy(update={"auth": "analyst:s3cret", "port": free_port()})
    app = build_app(Assistant(settings))
    launch(app, settings, block=False, quiet=True)
    url = f"http://127.0.0.1:{settings.port}/login"
    try:
        with caplog.at_level("WARNING", logger="assistant.web.login"):
            codes = [httpx.post(url, data={"username": "analyst", "password": "guess"}).status_code for _ in range(5)]
            assert codes == [400] * 5
            refused = httpx.post(url, data={"username": "analyst", "password": "s3cret"})
            assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
            assert "try again in" in refused.json()["detail"]
            time.sleep(float(refused.headers["retry-after"]) + 0.1)
            assert httpx.post(url, data={"username": "analyst", "password": "s3cret"}).status_code == 200
        logged = " ".join(r.getMessage() for r in caplog.records)
        assert "5 failed sign-ins from 127.0.0.1" in logged and "refused" in logged
    finally:
        app.close()


class _StubAssistant:
    """The two methods the viewer reads, over one document."""

    def __init__(self, text: str, readable: str | None = None):
        from ingest.types import Document, DocumentMeta

        self.doc = Document(
            doc_id="d",
            source="/srv/private/corpus/long.txt",
            content_hash="h" * 64,
            text=text,
            page_starts=[0, text.index("\f") + 1] if "\f" in text else [0],
            meta=DocumentMeta(title="A long letter"),
        )
        self.readable = readable

    def document(self, doc_id):
        return self.doc if doc_id == "d" else None

    def readable_text(self, doc_id):
        import numpy as np

        if self.readable is None:
            return self.doc.text, np.arange(len(self.doc.text))
        start = self.doc.text.index(self.readable)  # what cleaning kept: the original's tail
        return self.readable, np.arange(len(self.readable)) + start


def _cite(text: str, needle: str, hash_: str) -> Citation:
    start = text.index(needle)
    return Citation(
        n=1, doc_id="d", source="/srv/x.txt", title="T", force=None, date=None, page=1,
        start=start, end=start + len(needle), quote=needle, score=1.0,
    )  # fmt: skip


def test_a_long_document_is_shown_around_its_quote():
    from assistant.web import components

    paragraphs = [f"Paragraph {i} " + "words " * 100 for i in range(400)]
    paragraphs[200] = "The Zephyr desk reviews every report within a day."
    text = "\n\n".join(paragraphs[:100]) + "\f" + "\n\n".join(paragraphs[100:])
    stub = _StubAssistant(text)
    stub.doc.content_hash = "long" + "0" * 60
    page = components.source_html(stub, _cite(text, "The Zephyr desk", "long"))
    assert "A long document: pages" in page and len(page) < 2 * components.WINDOW_CHARS
    assert re.search(r'<mark class="cited" id="cited-passage">The Zephyr desk</mark>', page)
    assert "long.txt" in page and "/srv/" not in page


def test_a_quote_that_cleaning_removed_is_put_back_where_it_stood():
    from assistant.web import components

    text = "Heddlu Gwent Police letterhead line\n\nDear Home Secretary\n\nWe trained officers."
    stub = _StubAssistant(text, readable="Dear Home Secretary\n\nWe trained officers.")
    stub.doc.content_hash = "gone" + "0" * 60
    page = components.source_html(stub, _cite(text, "Gwent Police letterhead", "gone"))
    assert '<mark class="cited" id="cited-passage">Gwent Police letterhead</mark>' in page


def test_an_answer_that_fails_says_why_beside_the_question_box_and_keeps_the_chat():
    from types import SimpleNamespace

    from assistant.web.chat import ChatTab
    from ingest.errors import IngestError

    def unreachable(*args, **kwargs):
        raise IngestError("the Chroma server at 127.0.0.1:8000 cannot be reached; start it and ask again")

    stub = SimpleNamespace(settings=Settings(), ask=unreachable)
    tab = ChatTab(stub, None, None)  # type: ignore[arg-type]
    session = ChatSession()
    updates = tab.respond("Which forces audited breach recording?", session, [], [], "", "")
    assert len(updates) == 9 and updates[0] == updates[1]  # the conversation and the question box: skipped
    assert "127.0.0.1:8000 cannot be reached" in updates[-1] and 'role="alert"' in updates[-1]
    assert session.turns == [], "the chat is as it was"
