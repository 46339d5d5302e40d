"""The demo: the whole main job on the zero-setup embedded store, reported step by step.

Its status lines are for people: Japanese by default, English with ``lang="en"``; the page
it writes is in the same language (as ``biocluster viz --lang``).

>>> print(STATUS["ja"]["loaded"].format(location="kb.lbug", seconds=1.5, change="変更あり"))
kb.lbug に読み込みました（1.50秒、変更あり）
>>> sorted(STATUS["ja"]) == sorted(STATUS["en"])
True
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from biocluster_kg.app.session import Session
from biocluster_kg.cypher.backend import QueryResult
from biocluster_kg.kernel.errors import RenderError

__all__ = ["run_demo", "STATUS", "QUESTION", "SHOWN"]

#: The library question the demo asks, and how many of its rows it shows.
QUESTION = "bridges_companies_to_institute"
SHOWN = 5

#: What the demo says at each step, by language.
STATUS: dict[str, dict[str, str]] = {
    "ja": {
        "checked": (
            "{source} を検査しました：ノード{nodes:,}件、関係{relationships:,}件。"
            "出典の{lines:,}行のうち{cited:,}行を引用、"
            "どの事実にも載っていない金額・件数・日付は{uncited:,}件"
        ),
        "loaded": "{location} に読み込みました（{seconds:.2f}秒、{change}）",
        "changed": "変更あり",
        "unchanged": "変更なし",
        "question": "企業と研究所を橋渡ししているのは誰か（質問 {query}、上位{shown}件まで）：",
        "page": "ネットワーク図：{path}",
    },
    "en": {
        "checked": (
            "checked {source}: {nodes} nodes, {relationships} relationships; "
            "{cited}/{lines} source lines cited; {uncited} amounts, counts or dates uncited"
        ),
        "loaded": "loaded into {location} in {seconds:.2f} s ({change})",
        "changed": "changed",
        "unchanged": "no changes",
        "question": "who bridges companies to the institute (query {query}, top {shown}):",
        "page": "network page: {path}",
    },
}


def run_demo(
    session: Session,
    output: Path,
    echo: Callable[[str], None],
    table: Callable[[QueryResult], str],
    *,
    lang: str = "ja",
) -> Path:
    """Check the data, load it with its measures into the session's store, ask the store who
    bridges companies to the institute, and write the network page; returns its path.

    Each step is reported through ``echo`` in ``lang`` (``ja`` or ``en``) as it ends;
    ``table`` formats the answer (the face decides how a table looks, and in which
    language its titles are). The data pass the same gate as ``biocluster check`` before
    anything is written.
    """
    if lang not in STATUS:
        # Refused before the store is touched, in the words the page uses for it.
        raise RenderError(f"unknown language {lang!r}; expected ja or en")
    says = STATUS[lang]
    kb = session.knowledge_base()
    report = session.check_report
    assert report is not None  # set by the gate that knowledge_base() passed
    for coverage in report.coverage:
        echo(
            says["checked"].format(
                source=coverage.source_id,
                nodes=len(kb.nodes),
                relationships=len(kb.relationships),
                lines=coverage.content_lines,
                cited=coverage.cited_lines,
                uncited=len(coverage.uncited_values),
            )
        )
    load_report = session.load()
    change = says["changed" if load_report.changed else "unchanged"]
    echo(
        says["loaded"].format(location=session.location, seconds=load_report.seconds, change=change)
    )
    result = session.query(QUESTION)
    echo(says["question"].format(query=QUESTION, shown=SHOWN))
    echo(table(QueryResult(result.columns, result.rows[:SHOWN])))
    path = session.write_page(output, lang=lang)
    echo(says["page"].format(path=path.resolve()))
    return path
