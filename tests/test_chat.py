"""`assistant chat`: a terminal conversation with commands."""

from __future__ import annotations

from typer.testing import CliRunner

from assistant.cli import app


def test_chat_answers_follow_ups_and_obeys_its_commands(seed_index):
    session = (
        "\n".join(
            [
                "Which forces audited breach recording?",
                "And what about Cambridgeshire?",
                "/sources",
                "/filter force=Narnia",
                "/filter force=Gwent",
                "/reset",
                "/quit",
            ]
        )
        + "\n"
    )
    result = CliRunner().invoke(app, ["chat"], input=session, env={"ASSISTANT_INDEX_DIR": str(seed_index.index_dir)})
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "Devon and Cornwall" in output and "commission an audit" in output
    assert "corpus/cambridgeshire-pcc-letter-2019-05-28.txt" in output  # /sources after the follow-up
    assert "unknown force 'narnia'" in output.lower()
    assert "Filters: force: Gwent" in output
    assert "New conversation." in output
