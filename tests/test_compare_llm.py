"""Optional LLM status classification for compare cells: used when it verifies, ignored when not."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.compare import compare

TOPIC = "audited how breaches of orders are recorded"


def _by_force(comparison):
    return {c.force: c for c in comparison.cells}


@pytest.fixture(scope="module")
def cue_cells(assistant):
    return _by_force(compare(assistant, [TOPIC]))


def test_a_verified_model_answer_sets_the_status_and_its_citations(assistant, cue_cells):
    mentioned = [f for f, c in cue_cells.items() if c.status.value != "not_mentioned"]
    model = FakeListChatModel(responses=['{"status": "declined", "cite": [1]}'] * len(mentioned))
    cells = _by_force(compare(assistant, [TOPIC], model=model))
    for force in mentioned:
        assert cells[force].status.value == "declined"
        assert len(cells[force].citations) == 1
        doc = assistant.index.document(cells[force].citations[0].doc_id)
        c = cells[force].citations[0]
        assert " ".join(doc.text[c.start : c.end].split()) == c.quote


@pytest.mark.parametrize(
    "reply",
    [
        '{"status": "finished", "cite": [1]}',
        '{"status": "done", "cite": [9]}',
        "I think it is done.",
        '{"status": "not_mentioned", "cite": [1]}',
    ],
)
def test_a_model_answer_that_does_not_verify_keeps_the_cue_status(assistant, cue_cells, reply):
    model = FakeListChatModel(responses=[reply] * 10)
    cells = _by_force(compare(assistant, [TOPIC], model=model))
    assert {f: c.status for f, c in cells.items()} == {f: c.status for f, c in cue_cells.items()}


def test_not_mentioned_cells_never_ask_the_model(assistant, cue_cells):
    model = FakeListChatModel(responses=['{"status": "done", "cite": [1]}'] * 10)
    cells = _by_force(compare(assistant, ["published a roads policing strategy"], model=model))
    assert all(c.status.value == "not_mentioned" and not c.citations for c in cells.values())
