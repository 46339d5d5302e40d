"""The library as Markdown: ``docs/queries.md`` is this text (a test keeps it current).

For each question: its English and Japanese question, its parameters (a ``cluster.``
default shown with the value the shipped workspace gives it), its columns, a command that
runs it and the statement to paste into Neo4j Browser.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from biocluster_kg.cypher.parameters import CLUSTER_PREFIX, Parameter

if TYPE_CHECKING:
    from biocluster_kg.cypher.library import Library

__all__ = ["catalogue_markdown"]


def _default(parameter: Parameter) -> str:
    value = f"`{json.dumps(parameter.default, ensure_ascii=False)}`"
    if parameter.default_from is not None:
        source = f"`{parameter.default_from}`"
        if not parameter.default_from.startswith(CLUSTER_PREFIX):
            return source
        return f"{source} ({value} here)" if not parameter.required else f"{source} (none here)"
    return "required" if parameter.required else value


def catalogue_markdown(library: Library | None = None) -> str:
    """The library as Markdown (docs/queries.md is this text; a test keeps it current)."""
    if library is None:
        from biocluster_kg.cypher.library import default_library

        library = default_library()
    out = [
        "# The query library",
        "",
        "Generated from `cypher/*.cypher` by",
        "`biocluster_kg.cypher.library.catalogue_markdown()`; do not edit by hand",
        "(`python -m biocluster_kg.cypher.library > docs/queries.md` rewrites it).",
        "Run any of them with `biocluster query NAME -p key=value` (add `--neo4j` for the server).",
        "Queries marked *analytics* compute over the whole graph and are exempt from the",
        "latency targets. A default `cluster.KEY` comes from the workspace's `cluster.yaml`",
        "(the value shown is the shipped workspace's).",
        "",
        "Each question's Neo4j text is below it, ready to paste into Neo4j Browser; also",
        "`python -m biocluster_kg.cypher.library --neo4j NAME` prints it.",
        "",
    ]
    for query in library:
        tags = []
        if query.analytics:
            tags.append("analytics")
        tags.append("ordered" if query.ordered else "unordered (rows sorted by value)")
        if query.variants:
            tags.append("dialect blocks: " + ", ".join(query.variants))
        out += [
            f"## `{query.name}`",
            "",
            f"{query.question}  ",
            f"{query.question_ja}",
            "",
            f"*{'; '.join(tags)}*",
            "",
        ]
        if query.parameters:
            out += ["| parameter | type | default | description |", "|---|---|---|---|"]
            for parameter in query.parameters:
                description = parameter.description.replace("|", "\\|")
                out.append(
                    f"| `{parameter.name}` | {parameter.type} | {_default(parameter)} "
                    f"| {description} |"
                )
            out.append("")
        out += [f"Columns: {', '.join(f'`{c}`' for c in query.columns)}", ""]
        out += ["```", query.example_command(), "```", ""]
        out += [
            "<details><summary>Neo4j Browser</summary>",
            "",
            "```cypher",
            query.neo4j_statement().rstrip("\n"),
            "```",
            "",
            "</details>",
            "",
        ]
    return "\n".join(out).rstrip("\n") + "\n"
