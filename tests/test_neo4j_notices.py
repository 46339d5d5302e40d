"""The Neo4j server's notifications end a command as one line (issue 26), on a real server.

Before, each notification the driver received was printed as a raw block of its own
(twelve after a neo4j-admin import and ``export graph --neo4j``).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from biocluster_kg.cli import cli
from biocluster_kg.cli.notices import NotificationSummary
from biocluster_kg.cypher.neo4j_connection import Neo4jSettings


@pytest.mark.neo4j
def test_notifications_are_summed_up_in_one_line(neo4j_settings: Neo4jSettings) -> None:
    env = {
        "NEO4J_URI": neo4j_settings.uri,
        "NEO4J_USERNAME": neo4j_settings.username,
        "NEO4J_PASSWORD": neo4j_settings.password,
        "NEO4J_DATABASE": neo4j_settings.database or "",
    }
    statement = "MATCH (n:NoSuchLabelForIssue26) RETURN n"
    result = CliRunner().invoke(cli, ["cypher", "--neo4j", statement], env=env)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert "Received notification" not in result.stderr
    notes = [line for line in lines if line.startswith("note: the Neo4j server sent")]
    assert len(notes) == 1, result.stderr
    assert "NoSuchLabelForIssue26" in notes[0] and "(advice, not errors)" in notes[0]


def test_a_command_with_no_notification_prints_no_note() -> None:
    assert NotificationSummary().line() is None
    result = CliRunner().invoke(cli, ["queries", "--format", "json"])
    assert result.exit_code == 0 and "note:" not in result.stderr
