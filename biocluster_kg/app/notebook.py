"""The helpers behind the analyst notebooks in ``notebooks/``.

The notebooks teach the knowledge base by using it, one short cell at a time; the work those
cells need lives here, where it is typed, tested and shared by all three:

* **A session** (:func:`open_session`): the knowledge base read from the data files and
  loaded into a store, the embedded Ladybug file by default or the Neo4j server named by
  ``NEO4J_URI``/``NEO4J_PASSWORD``, with library questions and ad-hoc Cypher answered as
  pandas DataFrames (:meth:`Session.query`, :meth:`Session.cypher`).
* **The network page inline** (:func:`show_network`): the page ``biocluster viz`` writes,
  shown in the notebook inside a sandboxed ``<iframe srcdoc>``.
* **Brokerage tables and a chart** (:func:`broker_table`, :func:`role_table`,
  :func:`plot_top_bridges`, ...), read from :func:`biocluster_kg.graph.brokerage.analyze_brokers`.
* **The FY2013 budget** as a tree, its reconciliation against the source's own totals and
  the funding routes of its lines (:func:`budget_tree`, :func:`budget_checks`,
  :func:`funding_flows`, :func:`plot_budget`), computed from the store and the knowledge
  base each time, never typed in.

Charts label actors in Japanese when a CJK font is installed (:func:`find_cjk_font`) and in
English otherwise, so a machine without one still draws every chart.

>>> tie_kinds_table().loc[0, "tie_kind"]
'membership'
>>> roles_explained().loc[0, "role"]
'coordinator'
"""

from __future__ import annotations

import html
import os
import tempfile
import warnings
import weakref
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from biocluster_kg.graph.tie_graph import DEFAULT_TIES, TIE_KINDS
from biocluster_kg.kernel.errors import AnalysisError, BackendError, BioclusterError, RenderError
from biocluster_kg.kernel.schema import SCHEMA, SECTOR_STYLE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from biocluster_kg.cypher.backend import Backend, LoadReport, QueryResult
    from biocluster_kg.graph.brokerage import BrokerageAnalysis
    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = [
    "BUDGET_ROOT",
    "CJK_FONT_CANDIDATES",
    "ROLE_MEANINGS",
    "Session",
    "open_session",
    "frame",
    "query_catalogue",
    "network_html",
    "show_network",
    "with_measures",
    "tie_kinds_table",
    "tie_graph_summary",
    "ties_of",
    "company_routes",
    "broker_table",
    "compare_with_cypher",
    "roles_explained",
    "role_table",
    "find_cjk_font",
    "chart_language",
    "Chart",
    "plot_top_bridges",
    "budget_tree",
    "budget_text_tree",
    "budget_checks",
    "funding_flows",
    "plot_budget",
    "strip_outputs",
]

#: The FY2013 budget (平成25年度予算), the root of the budget tree.
BUDGET_ROOT = "prog:fy2013-budget"

#: Fonts that draw Japanese, most preferred first; the first one installed is used.
CJK_FONT_CANDIDATES: tuple[str, ...] = (
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "Source Han Sans JP",
    "IPAexGothic",
    "IPAGothic",
    "IPAPGothic",
    "TakaoPGothic",
    "VL PGothic",
    "Hiragino Sans",
    "Hiragino Kaku Gothic ProN",
    "Yu Gothic",
    "Meiryo",
    "MS Gothic",
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Source Han Sans SC",
)

#: Gould and Fernandez's five roles: who the broker B stands between (A -> B -> C, A and C
#: not tied), what that means here, and a Japanese term.
ROLE_MEANINGS: dict[str, tuple[str, str, str]] = {
    "coordinator": (
        "A, B and C in one sector",
        "mediates between two members of its own sector",
        "コーディネーター（同じセクター内の調整役）",
    ),
    "itinerant": (
        "A and C in one sector, B in another",
        "an outsider who links two members of another sector (also called consultant)",
        "コンサルタント（外部からの仲介役）",
    ),
    "representative": (
        "A and B in one sector, C in another",
        "speaks for its own sector to another sector",
        "代表者（自セクターの対外窓口）",
    ),
    "gatekeeper": (
        "B and C in one sector, A in another",
        "lets an outsider into its own sector",
        "ゲートキーパー（門番・受け入れ窓口）",
    ),
    "liaison": (
        "A, B and C in three different sectors",
        "links two sectors, belonging to neither",
        "リエゾン（異なるセクター間の連絡役）",
    ),
}

_ENVIRONMENT_STORE = "BIOCLUSTER_STORE"
_NEO4J_REQUIRED = ("NEO4J_URI", "NEO4J_PASSWORD")
_STRUCTURE_TYPES = ("PART_OF", "BREAKDOWN_OF")
_NOT_STATED = "(not stated)"


# -- the session --------------------------------------------------------------------------


class Session:
    """The knowledge base and the store it is loaded into; close it when done.

    Made by :func:`open_session`. ``kb`` is what was loaded last; ``backend`` the store
    (:class:`biocluster_kg.cypher.ladybug_backend.LadybugBackend` or
    :class:`biocluster_kg.cypher.neo4j_backend.Neo4jBackend`).
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        backend: Backend,
        *,
        temporary: tempfile.TemporaryDirectory[str] | None = None,
    ) -> None:
        self.kb = kb
        self.backend = backend
        self.report: LoadReport | None = None
        # The store closes and a temporary folder goes away even if close() is never called.
        self._finalizer = weakref.finalize(self, _release, backend, temporary)

    def __repr__(self) -> str:
        nodes, relationships = len(self.kb.nodes), len(self.kb.relationships)
        return (
            f"<Session {self.backend.name} at {self.location}: "
            f"{nodes} nodes, {relationships} relationships>"
        )

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def location(self) -> str:
        """Where the store is: the embedded file or the server's URI (never a password)."""
        return str(getattr(self.backend, "location", self.backend.name))

    def load(self, kb: KnowledgeBase | None = None) -> LoadReport:
        """Make the store hold exactly ``kb`` (default: the session's knowledge base).

        A knowledge base with the network measures on its nodes (:func:`with_measures`)
        makes them queryable with Cypher.
        """
        if kb is not None:
            self.kb = kb
        self.report = self.backend.load(self.kb)
        return self.report

    def query(self, query_name: str, /, **parameters: Any) -> pd.DataFrame:
        """Answer a question of the query library (``query_catalogue()`` lists them).

        Parameters are checked against the query's header before the store is touched.
        """
        from biocluster_kg.cypher.library import run_query

        return frame(run_query(self.backend, query_name, parameters))

    def cypher(self, statement: str, /, **parameters: Any) -> pd.DataFrame:
        """Run one read-only Cypher statement; values travel only as ``$parameters``.

        Write the dialect both stores share (see ``docs/queries.md``): backtick-quoted
        labels, no ``labels(n)``/``label(n)``, no list comprehensions.
        """
        return frame(self.backend.run(statement, parameters))

    def counts(self) -> pd.DataFrame:
        """Nodes per label and relationships per type: in the data files and in the store."""
        stored = self.backend.counts()
        in_files = self.kb.counts()
        rows = []
        for name in sorted(set(stored) | set(in_files)):
            what = "node label" if SCHEMA.has_label(name) else "relationship type"
            rows.append([what, name, in_files.get(name, 0), stored.get(name, 0)])
        table = pd.DataFrame(rows, columns=["kind", "name", "in_data_files", "in_store"])
        return table.sort_values(["kind", "name"], ignore_index=True)

    def close(self) -> None:
        """Close the store and remove a temporary one."""
        self._finalizer()


def _release(backend: Backend, temporary: tempfile.TemporaryDirectory[str] | None) -> None:
    try:
        backend.close()
    finally:
        if temporary is not None:
            temporary.cleanup()


def open_session(
    use_neo4j: bool = False,
    store: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    *,
    load: bool = True,
) -> Session:
    """Read and check the knowledge base, and load it into a store.

    Parameters
    ----------
    use_neo4j : bool
        Use the Neo4j server named by ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``
        and ``NEO4J_DATABASE`` (both of the first and third must be set). Its database is
        replaced by the knowledge base when ``load`` is true.
    store : path, optional
        The embedded store file. Default: ``$BIOCLUSTER_STORE`` if set, else a file in a
        new temporary folder that :meth:`Session.close` removes.
    data_dir : path, optional
        The data folder (default: the project's ``data/``).
    load : bool
        Load the knowledge base now (an embedded store always needs it once).

    Returns
    -------
    Session

    Raises
    ------
    BackendError
        If ``use_neo4j`` is set without ``NEO4J_URI`` and ``NEO4J_PASSWORD``, the server
        cannot be reached, or the store cannot be opened or written.
    ValidationError
        If a data file is invalid (nothing is loaded).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with open_session(store=Path(folder) / "kb.lbug") as session:
    ...         members = session.query("council_and_committee")
    ...         stored = session.backend.name
    >>> stored, members.loc[0, "member_name_ja"], members.loc[0, "role_ja"]
    ('ladybug', '山形県知事', '会長')
    """
    from biocluster_kg.cypher.open import open_backend
    from biocluster_kg.loaders import load_knowledge_base

    kb = load_knowledge_base(Path(data_dir) if data_dir is not None else None)
    temporary: tempfile.TemporaryDirectory[str] | None = None
    if use_neo4j:
        missing = [name for name in _NEO4J_REQUIRED if not os.environ.get(name)]
        if missing:
            raise BackendError(
                f"use_neo4j is set but {' and '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not: set NEO4J_URI and "
                "NEO4J_PASSWORD in the environment Jupyter starts from, or use the "
                "embedded store"
            )
        backend: Backend = open_backend(use_neo4j=True)
    else:
        if store is None and os.environ.get(_ENVIRONMENT_STORE):
            store = os.environ[_ENVIRONMENT_STORE]
        if store is None:
            temporary = tempfile.TemporaryDirectory(prefix="biocluster-notebook-")
            store = Path(temporary.name) / "knowledge.lbug"
        backend = open_backend(store_path=store)
    session = Session(kb, backend, temporary=temporary)
    if load:
        try:
            session.load()
        except BaseException:
            session.close()
            raise
    return session


def frame(result: QueryResult) -> pd.DataFrame:
    """A query result as a DataFrame; whole numbers stay whole even beside missing values.

    >>> from biocluster_kg.cypher.backend import QueryResult
    >>> frame(QueryResult(["id", "amount"], [["a", 380067], ["b", None]]))["amount"].tolist()
    [380067, <NA>]
    """
    table = pd.DataFrame(result.rows, columns=list(result.columns))
    return table.convert_dtypes(dtype_backend="numpy_nullable")


def query_catalogue() -> pd.DataFrame:
    """Every question of the query library, with its parameters and columns.

    >>> "budget_tree" in query_catalogue()["name"].tolist()
    True
    """
    from biocluster_kg.cypher.library import default_library

    rows = [
        [
            query.name,
            query.question,
            query.question_ja,
            ", ".join(parameter.signature() for parameter in query.parameters),
            ", ".join(query.columns),
        ]
        for query in default_library()
    ]
    return pd.DataFrame(rows, columns=["name", "question", "question_ja", "parameters", "columns"])


# -- the network page ---------------------------------------------------------------------


def with_measures(kb: KnowledgeBase, analysis: BrokerageAnalysis | None = None) -> KnowledgeBase:
    """A copy of ``kb`` with the brokerage measures on its nodes (``kb`` if they are there).

    A knowledge base without the institute, which the analysis needs, comes back unchanged.
    """
    from biocluster_kg.graph.brokerage import measured, write_measures

    if analysis is None:
        return measured(kb)
    return write_measures(kb, analysis=analysis)


def network_html(kb: KnowledgeBase, *, height: int = 650, **options: Any) -> str:
    """The network page inside an ``<iframe srcdoc>``, ready for ``IPython.display.HTML``.

    ``options`` are those of :func:`biocluster_kg.graph.page.render_network_page` (``lang``,
    ``around``, ``depth``, ``sectors``, ``types``, ``view``). Nodes are sized by the
    brokerage measures, computed if the knowledge base does not carry them.

    The frame is sandboxed with scripts allowed but no origin of its own, so the page
    cannot reach the notebook server; the page keeps its own Content Security Policy and
    loads nothing from the network.

    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:x", "Organization", {"name_ja": "鶴岡市", "name_en": "Tsuruoka",
    ...     "kind": "municipality", "sector": "government"}))
    >>> markup = network_html(kb, height=300)
    >>> "<iframe srcdoc=" in markup, 'sandbox="allow-scripts"' in markup, "鶴岡市" in markup
    (True, True, True)
    """
    from biocluster_kg.graph.page import render_network_page

    if isinstance(height, bool) or not isinstance(height, int) or height < 100:
        raise RenderError(f"height must be a whole number of pixels, at least 100: {height!r}")
    if options.get("measures") is None:
        kb = with_measures(kb)
    page = render_network_page(kb, **options)
    title = "協働ネットワーク / Collaboration network"
    # The wrapping <div> keeps IPython from suggesting its IFrame, which has no srcdoc.
    return (
        '<div class="biocluster-network">'
        f'<iframe srcdoc="{html.escape(page, quote=True)}" sandbox="allow-scripts" '
        f'title="{title}" style="width: 100%; height: {height}px; border: 1px solid #ccc;">'
        "</iframe></div>"
    )


def show_network(kb: KnowledgeBase, *, height: int = 650, **options: Any) -> Any:
    """The network page, shown inline when it is a cell's last value (see :func:`network_html`).

    Returns an ``IPython.display.HTML`` object.
    """
    from IPython.display import HTML

    return HTML(network_html(kb, height=height, **options))


# -- brokerage ----------------------------------------------------------------------------


def tie_kinds_table(ties: Iterable[str] = DEFAULT_TIES) -> pd.DataFrame:
    """Every tie kind: counted or not, and the relationship types it groups.

    >>> table = tie_kinds_table(["funding"])
    >>> table.loc[table["counted"], "tie_kind"].tolist()
    ['funding']
    """
    from biocluster_kg.graph.tie_graph import parse_ties

    chosen = set(parse_ties(list(ties)))
    rows = []
    for kind in TIE_KINDS:
        types = [rel for rel in SCHEMA.relationships if rel.tie == kind]
        rows.append(
            [
                kind,
                kind in chosen,
                ", ".join(rel.name for rel in types),
                "、".join(rel.label_ja for rel in types),
                ", ".join(rel.label_en for rel in types),
            ]
        )
    return pd.DataFrame(
        rows, columns=["tie_kind", "counted", "relationship_types", "labels_ja", "labels_en"]
    )


def tie_graph_summary(analysis: BrokerageAnalysis) -> pd.DataFrame:
    """Size of the actor graph the measures run on, and of the company routes.

    One row per figure, so that it reads top to bottom. A tie can be both direct and
    through a shared node, so the two kinds of tie can add up to more than all ties.
    """
    graph = analysis.graph
    direct = sum(1 for _, _, data in graph.edges(data=True) if data["direct"])
    shared = sum(1 for _, _, data in graph.edges(data=True) if data["mediators"])
    companies = analysis.bridges.companies
    rows = [
        ("actors (organisations, groups, bodies, posts)", graph.number_of_nodes()),
        ("ties between actors", graph.number_of_edges()),
        ("... with a direct relationship", direct),
        ("... through a shared function, programme, project or event", shared),
        ("companies (named or anonymous)", len(companies)),
        ("companies with a route to the institute", len(analysis.bridges.reachable)),
    ]
    return pd.DataFrame(rows, columns=["figure", "value"])


def _node_name(kb_or_graph: Any, node_id: str, lang: str = "ja") -> str:
    data = kb_or_graph.nodes[node_id]  # a Node or a networkx attribute dict: both have get()
    return str(data.get(f"name_{lang}") or data.get("name_ja") or node_id)


def ties_of(analysis: BrokerageAnalysis, kb: KnowledgeBase, actor: str) -> pd.DataFrame:
    """An actor's ties in the actor graph: to whom, of which kinds, and through what.

    ``actor`` is an id, a Japanese or English name or an alias.
    """
    from biocluster_kg.kernel.names import resolve_actor

    actor_id = resolve_actor(kb, actor)
    graph = analysis.graph
    if actor_id not in graph:
        raise AnalysisError(f"{actor!r} ({actor_id}) is not an actor of the analysis")
    rows = []
    for other in sorted(graph[actor_id]):
        data = graph.edges[actor_id, other]
        rows.append(
            [
                other,
                _node_name(graph, other, "ja"),
                _node_name(graph, other, "en"),
                ", ".join(data["kinds"]),
                ", ".join(data["direct"]),
                "、".join(_node_name(kb, mediator) for mediator in data["mediators"]),
            ]
        )
    return pd.DataFrame(
        rows, columns=["other_id", "name_ja", "name_en", "tie_kinds", "direct", "through"]
    )


def company_routes(analysis: BrokerageAnalysis, kb: KnowledgeBase) -> pd.DataFrame:
    """Every company: steps of its shortest routes to the institute and what lies on them.

    ``steps`` is missing for a company with no route. ``brokers`` lists the actors inside
    its shortest routes, ``through`` the other nodes there (functions, programmes,
    projects); both most depended on first.
    """
    bridges, actors = analysis.bridges, analysis.actors
    on_route: dict[str, list[str]] = defaultdict(list)
    for node, via in bridges.via.items():
        for company in via:
            on_route[company].append(node)

    def names(nodes: Iterable[str]) -> str:
        ranked = sorted(nodes, key=lambda node: (-bridges.dependency.get(node, 0.0), node))
        return "、".join(_node_name(kb, node) for node in ranked)

    rows = []
    for company in bridges.companies:
        inside = on_route[company]
        rows.append(
            [
                company,
                _node_name(kb, company, "ja"),
                _node_name(kb, company, "en"),
                bridges.distance.get(company),
                names(node for node in inside if node in actors),
                names(node for node in inside if node not in actors),
            ]
        )
    columns = ["company_id", "name_ja", "name_en", "steps", "brokers", "through"]
    return pd.DataFrame(rows, columns=columns).convert_dtypes(dtype_backend="numpy_nullable")


def broker_table(analysis: BrokerageAnalysis, top: int | None = None) -> pd.DataFrame:
    """The ranking of :meth:`~biocluster_kg.graph.brokerage.BrokerageAnalysis.table` as a
    DataFrame."""
    from biocluster_kg.graph.brokerage import COLUMNS

    table = pd.DataFrame(analysis.table(top), columns=list(COLUMNS))
    table["roles"] = table["roles"].map(", ".join)
    return table.convert_dtypes(dtype_backend="numpy_nullable")


def compare_with_cypher(analysis: BrokerageAnalysis, bridges: pd.DataFrame) -> pd.DataFrame:
    """Python's and the store's answer to "who bridges companies to the institute", side by side.

    ``bridges`` is the result of the library question ``bridges_companies_to_institute``.
    ``agrees`` is true where both give the broker the same dependency (to 1e-9).
    """
    python = {
        node: round(value, 9)
        for node, value in analysis.bridges.dependency.items()
        if node in analysis.actors and value
    }
    stored = {
        str(broker): round(float(dependency), 9)
        for broker, dependency in zip(bridges["broker_id"], bridges["dependency"], strict=True)
    }
    rows = []
    for node in sorted(set(python) | set(stored), key=lambda n: (-python.get(n, 0.0), n)):
        ours, theirs = python.get(node), stored.get(node)
        agrees = ours is not None and theirs is not None and abs(ours - theirs) < 1e-9
        rows.append([node, _node_name(analysis.graph, node), ours, theirs, agrees])
    table = pd.DataFrame(
        rows, columns=["broker_id", "name_ja", "dependency_python", "dependency_cypher", "agrees"]
    )
    return table.convert_dtypes(dtype_backend="numpy_nullable")


def roles_explained() -> pd.DataFrame:
    """The five Gould–Fernandez roles: who is in which sector, and what it means."""
    rows = [[role, *ROLE_MEANINGS[role]] for role in ROLE_MEANINGS]
    return pd.DataFrame(rows, columns=["role", "sectors_on_A_to_B_to_C", "meaning", "term_ja"])


def role_table(analysis: BrokerageAnalysis, top: int | None = 10) -> pd.DataFrame:
    """Open two-paths per role for the actors who broker most, most two-paths first."""
    from biocluster_kg.graph.brokerage_roles import ROLES

    rows = []
    for actor in analysis.actors.values():
        counts = [actor.roles[role] for role in ROLES]
        rows.append([actor.id, actor.name_ja, actor.name_en, actor.sector, *counts, sum(counts)])
    table = pd.DataFrame(
        rows, columns=["id", "name_ja", "name_en", "sector", *ROLES, "two_paths"]
    ).sort_values(["two_paths", "id"], ascending=[False, True], ignore_index=True)
    return table if top is None else table.head(top)


# -- charts -------------------------------------------------------------------------------


def find_cjk_font(candidates: Iterable[str] = CJK_FONT_CANDIDATES) -> str | None:
    """The first of ``candidates`` that matplotlib can use, or None.

    >>> find_cjk_font(["No Such Font"]) is None
    True
    """
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in candidates if name in installed), None)


def chart_language(
    lang: Literal["auto", "ja", "en"] = "auto",
    candidates: Iterable[str] = CJK_FONT_CANDIDATES,
) -> tuple[str, str | None]:
    """The language to label a chart in and the CJK font to draw it with.

    ``auto`` is Japanese when a CJK font is installed, else English. Japanese without such
    a font falls back to English with a warning instead of drawing empty boxes.

    >>> chart_language("en")
    ('en', None)
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     chart_language("ja", candidates=["No Such Font"])
    ('en', None)
    """
    if lang not in ("auto", "ja", "en"):
        raise BioclusterError(f"unknown chart language {lang!r}; expected auto, ja or en")
    if lang == "en":
        return "en", None
    font = find_cjk_font(candidates)
    if font is None:
        if lang == "ja":
            warnings.warn(
                "no font that draws Japanese is installed (e.g. fonts-noto-cjk): "
                "labelling the chart in English",
                stacklevel=2,
            )
        return "en", None
    return "ja", font


def _wrap(text: str, columns: int = 36) -> str:
    """``text`` broken into lines of at most ``columns`` display columns (CJK counts two).

    >>> print(_wrap("Support for the institute's education and research", 24))
    Support for the
    institute's education
    and research
    >>> _wrap("慶應先端研の教育研究活動への支援", 16).splitlines()[0]
    '慶應先端研の教育'
    """
    from biocluster_kg.cli.output import display_width

    lines: list[str] = []
    current = ""
    # Latin text breaks at spaces; Japanese, which has none, between any two characters.
    tokens = text.split(" ") if display_width(text) == len(text) else list(text)
    joiner = " " if display_width(text) == len(text) else ""
    for token in tokens:
        candidate = f"{current}{joiner}{token}" if current else token
        if current and display_width(candidate) > columns:
            lines.append(current)
            current = token
        else:
            current = candidate
    lines.append(current)
    return "\n".join(lines)


class Chart:
    """A matplotlib figure that a notebook shows as a PNG image whatever the backend.

    The figure is not registered with ``pyplot``, so re-running a cell leaves nothing open;
    ``chart.figure`` is there to adjust or save (``chart.figure.savefig("bridges.png")``).
    """

    def __init__(self, figure: Figure, dpi: int = 100) -> None:
        self.figure = figure
        self.dpi = dpi

    def __repr__(self) -> str:
        width, height = self.figure.get_size_inches()
        return f"<Chart {width:.0f}x{height:.0f} in, {len(self.figure.axes)} axes>"

    def png(self) -> bytes:
        """The chart as PNG bytes."""
        import io

        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=self.dpi)
        return buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.png()


def _join_lines(pieces: list[str], columns: int) -> str:
    """``pieces`` joined by spaces, starting a new line where one would pass ``columns``.

    >>> pieces = ["7,081", "→ バイオクラスター形成促進事業", "（庄内地域産業振興センター）"]
    >>> print(_join_lines(pieces, 40))
    7,081 → バイオクラスター形成促進事業
    （庄内地域産業振興センター）
    """
    from biocluster_kg.cli.output import display_width

    lines = [pieces[0]] if pieces else [""]
    for piece in pieces[1:]:
        candidate = f"{lines[-1]} {piece}"
        if display_width(candidate) > columns:
            lines.append(piece)
        else:
            lines[-1] = candidate
    return "\n".join(lines)


def _font_family(font: str | None) -> list[str]:
    return [font, "DejaVu Sans"] if font else ["DejaVu Sans"]


def plot_top_bridges(
    analysis: BrokerageAnalysis,
    top: int = 10,
    *,
    measure: Literal["bridge_score", "betweenness"] = "bridge_score",
    lang: Literal["auto", "ja", "en"] = "auto",
    font_candidates: Iterable[str] = CJK_FONT_CANDIDATES,
) -> Chart:
    """A horizontal bar chart of the actors with the highest ``measure``, coloured by sector.

    Only actors with a positive value are drawn (at most ``top``), best at the top; each
    bar carries its value and, for the bridge score, the number of companies bridged.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    if measure not in ("bridge_score", "betweenness"):
        raise BioclusterError(f"unknown measure {measure!r}; expected bridge_score or betweenness")
    language, font = chart_language(lang, font_candidates)
    family = _font_family(font)
    actors = sorted(
        (actor for actor in analysis.actors.values() if getattr(actor, measure) > 0),
        key=lambda actor: (-getattr(actor, measure), actor.id),
    )[:top]
    figure = Figure(figsize=(9, 0.45 * max(len(actors), 2) + 1.6), layout="constrained")
    axes = figure.add_subplot()
    names = [actor.name_ja if language == "ja" else actor.name_en for actor in actors]
    values = [getattr(actor, measure) for actor in actors]
    colours = [SECTOR_STYLE[actor.sector]["color"] for actor in actors]
    positions = list(range(len(actors)))[::-1]
    axes.barh(positions, values, color=colours)
    axes.set_yticks(positions, labels=names, fontfamily=family)
    for position, actor, value in zip(positions, actors, values, strict=True):
        text = f"{value:.2f}"
        if measure == "bridge_score":
            unit = (
                "社"
                if language == "ja"
                else (" company" if len(actor.companies) == 1 else " companies")
            )
            text += f"  ({len(actor.companies)}{unit})"
        axes.text(value, position, " " + text, va="center", fontsize=9, fontfamily=family)
    limit = max(values, default=1.0)
    axes.set_xlim(0, limit * 1.3 if limit > 0 else 1)
    if measure == "bridge_score":
        title = (
            "企業と慶應先端研の橋渡し（ブリッジスコア）"
            if language == "ja"
            else "Who bridges companies to the institute (bridge score)"
        )
        xlabel = (
            "企業から先端研への最短経路のうち、その主体を通る割合（企業平均）"
            if language == "ja"
            else "share of the companies' shortest routes to the institute through the actor"
        )
    else:
        title = "媒介中心性（主体間）" if language == "ja" else "Betweenness between all actors"
        xlabel = "正規化した媒介中心性" if language == "ja" else "normalised betweenness"
    axes.set_title(title, fontfamily=family)
    axes.set_xlabel(xlabel, fontfamily=family)
    sectors = sorted({actor.sector for actor in actors}, key=list(SECTOR_STYLE).index)
    handles = [
        Patch(color=SECTOR_STYLE[sector]["color"], label=SECTOR_STYLE[sector][language])
        for sector in sectors
    ]
    if handles:
        axes.legend(handles=handles, loc="lower right", prop={"family": family})
    if not actors:
        empty = "該当なし" if language == "ja" else "no actor has a positive value"
        axes.text(0.5, 0.5, empty, ha="center", transform=axes.transAxes, fontfamily=family)
    return Chart(figure)


# -- the budget ---------------------------------------------------------------------------


def budget_tree(session: Session, root_id: str = BUDGET_ROOT) -> pd.DataFrame:
    """Every line of the budget under ``root_id``, in the source's order, from the store.

    Rows come from the library question ``budget_tree``; they are put in the order of the
    source (each line under its parent, parts before the alternative breakdowns) using
    the cited line numbers of the knowledge base. ``line`` is the name indented by depth,
    with the outline number; ``link`` says whether a line is a ``part`` of its parent or
    one item of a ``breakdown`` (内訳) of it; ``total_thousand_yen`` is the stated amount
    or, failing that, the sum of the parts.
    """
    rows = session.query("budget_tree", root_id=root_id)
    if rows.empty:
        raise BioclusterError(f"no budget line {root_id!r} in the store")
    records = {str(record["line_id"]): record for record in rows.to_dict("records")}
    children: dict[str | None, list[str]] = defaultdict(list)
    for line_id, record in records.items():
        parent = record["parent_id"]
        children[None if pd.isna(parent) else str(parent)].append(line_id)

    def order(line_id: str) -> tuple[bool, int, str]:
        node = session.kb.nodes.get(line_id)
        span_line = node.get("span_line") if node is not None else None
        breakdown = records[line_id]["link"] == "breakdown"
        return (breakdown, span_line if isinstance(span_line, int) else 1 << 30, line_id)

    ordered: list[str] = []
    seen: set[str] = set()
    stack = [root_id]
    while stack:
        line_id = stack.pop()
        if line_id in seen:
            continue
        seen.add(line_id)
        ordered.append(line_id)
        stack.extend(sorted(children.get(line_id, []), key=order, reverse=True))

    table = rows.set_index("line_id").loc[ordered].reset_index()

    def label(record: Mapping[Any, Any]) -> str:
        number = record["number_label"]
        prefix = "" if pd.isna(number) else f"{number} "
        breakdown = record["link"] == "breakdown" and not str(record["name_ja"]).startswith("内訳")
        marker = "［内訳］" if breakdown else ""
        return "\u3000" * int(record["depth"]) + marker + prefix + str(record["name_ja"])

    table.insert(1, "line", [label(record) for record in table.to_dict("records")])
    return table


def _amount(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def budget_text_tree(tree: pd.DataFrame, lang: Literal["ja", "en"] = "ja") -> str:
    """The budget tree as text: amounts in 千円 on the left, the outline on the right.

    A stated amount is printed as is; ``(…)`` is the sum of the parts where the source
    states none; ``内訳``/``breakdown`` marks an alternative split of its parent.
    """
    if lang not in ("ja", "en"):
        raise BioclusterError(f"unknown language {lang!r}; expected ja or en")
    records = tree.to_dict("records")
    index = {str(record["line_id"]): record for record in records}
    last_child: dict[str, str] = {}
    for record in records:
        if not pd.isna(record["parent_id"]):
            last_child[str(record["parent_id"])] = str(record["line_id"])

    def is_last(line_id: str) -> bool:
        parent = index[line_id]["parent_id"]
        return pd.isna(parent) or last_child.get(str(parent)) == line_id

    lines = []
    for record in records:
        line_id = str(record["line_id"])
        stated, total = (
            _amount(record["stated_thousand_yen"]),
            _amount(record["total_thousand_yen"]),
        )
        # Digits line up: a sum of parts is the same number in brackets.
        if stated is not None:
            amount = f"{stated:>9,} "
        elif total is not None:
            amount = f"{f'({total:,})':>10}"
        else:
            amount = " " * 10
        ancestors = []
        current = record["parent_id"]
        while not pd.isna(current) and str(current) in index:
            ancestors.append(str(current))
            current = index[str(current)]["parent_id"]
        # One column per ancestor below the root: a bar while that ancestor has more children.
        trunk = "".join("   " if is_last(a) else "│  " for a in reversed(ancestors[:-1]))
        branch = "" if pd.isna(record["parent_id"]) else ("└─ " if is_last(line_id) else "├─ ")
        number = "" if pd.isna(record["number_label"]) else f"{record['number_label']} "
        name = record["name_ja"] if lang == "ja" else record["name_en"]
        marker = ""
        if record["link"] == "breakdown" and not str(name).startswith("内訳"):
            marker = "内訳: " if lang == "ja" else "breakdown: "
        lines.append(f"{amount}  {trunk}{branch}{marker}{number}{name}")
    unit = "千円" if lang == "ja" else "thousand yen"
    return f"{unit:>10}\n" + "\n".join(lines)


def budget_checks(tree: pd.DataFrame) -> pd.DataFrame:
    """Reconcile the budget against the source's own totals, from the tree's amounts.

    Two rules, applied to every line:

    ``parts``
        A line with a stated amount equals the sum of its nearest parts with a stated
        amount (the outline below it). The store's ``parts_total_thousand_yen`` must
        agree with the sum computed here.
    ``breakdown``
        Each alternative breakdown (内訳) of a line totals what the line totals.

    Returns one row per check, with the amounts added (``parts``) and ``agrees``.
    """
    records = {str(record["line_id"]): record for record in tree.to_dict("records")}
    parts: dict[str, list[str]] = defaultdict(list)
    breakdowns: dict[str, list[str]] = defaultdict(list)
    for line_id, record in records.items():
        if pd.isna(record["parent_id"]):
            continue
        target = breakdowns if record["link"] == "breakdown" else parts
        target[str(record["parent_id"])].append(line_id)

    def stated(line_id: str) -> int | None:
        return _amount(records[line_id]["stated_thousand_yen"])

    def nearest_stated(line_id: str) -> list[str]:
        found = []
        for child in parts.get(line_id, []):
            found.extend([child] if stated(child) is not None else nearest_stated(child))
        return found

    def total(line_id: str) -> tuple[int | None, list[str]]:
        own = stated(line_id)
        if own is not None:
            return own, [line_id]
        below = nearest_stated(line_id)
        if not below:
            return None, []
        return sum(stated(line) or 0 for line in below), below

    rows = []
    for line_id, record in records.items():
        own = stated(line_id)
        below = nearest_stated(line_id)
        if own is not None and below:
            computed = sum(stated(line) or 0 for line in below)
            from_store = _amount(record["parts_total_thousand_yen"])
            rows.append(
                [
                    line_id,
                    record["name_ja"],
                    "parts",
                    own,
                    computed,
                    " + ".join(f"{stated(line):,}" for line in below),
                    own - computed,
                    own == computed and from_store == computed,
                ]
            )
        for breakdown in breakdowns.get(line_id, []):
            expected, lines = total(line_id)
            got, _ = total(breakdown)
            if expected is None or got is None:
                continue
            rows.append(
                [
                    breakdown,
                    f"{records[breakdown]['name_ja']} ⇔ {record['name_ja']}",
                    "breakdown",
                    got,
                    expected,
                    " + ".join(f"{stated(line):,}" for line in lines),
                    got - expected,
                    got == expected,
                ]
            )
    columns = ["line_id", "line", "check", "stated", "computed", "parts", "difference", "agrees"]
    table = pd.DataFrame(rows, columns=columns)
    return table.convert_dtypes(dtype_backend="numpy_nullable")


def _budget_structure(
    kb: KnowledgeBase, root_id: str
) -> tuple[dict[str, list], dict[str, tuple[str, str]]]:
    """Children (with link) and parent of every programme in the tree under ``root_id``."""
    children: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for rel in kb.relationships.values():
        if rel.type in _STRUCTURE_TYPES:
            link = "breakdown" if rel.type == "BREAKDOWN_OF" else "part"
            children[rel.end].append((rel.start, link))
    parent: dict[str, tuple[str, str]] = {}
    stack = [root_id]
    while stack:
        line = stack.pop()
        for child, link in children.get(line, []):
            if child not in parent and child != root_id:
                parent[child] = (line, link)
                stack.append(child)
    return children, parent


def funding_flows(
    kb: KnowledgeBase,
    root_id: str = BUDGET_ROOT,
    *,
    view: Literal["outline", "programme"] = "outline",
    lang: Literal["ja", "en"] = "ja",
) -> pd.DataFrame:
    """Who funds what, through which programme: one row per budget line with an amount.

    ``view="outline"`` takes, on every path down the slide's outline (PART_OF), the first
    line that states an amount (the numbered lines ①–④). ``view="programme"`` takes the
    alternative breakdowns instead where a line has one (section 1's named total, section
    2's split by programme, 内訳) down to their lines with amounts. Both views add up to
    the budget's total when the source's figures reconcile.

    For each line, the columns name (in ``lang``) what the knowledge base records:

    ``funded_by``
        who FUNDS the line (or, failing that, the nearest budget line above it);
    ``pays_for``
        the programmes the line FUNDS;
    ``carried_out_by``
        who IMPLEMENTS the line or a line above it, else the programme it pays for or the
        programme that one is part of (実施主体);
    ``supports``
        what the line, or the nearest line above it, SUPPORTS (the beneficiary).

    Empty means the source does not say.
    """
    if view not in ("outline", "programme"):
        raise BioclusterError(f"unknown view {view!r}; expected outline or programme")
    if root_id not in kb.nodes:
        raise BioclusterError(f"no budget line {root_id!r} in the knowledge base")
    children, parent = _budget_structure(kb, root_id)
    incoming: dict[tuple[str, str], list[str]] = defaultdict(list)
    outgoing: dict[tuple[str, str], list[str]] = defaultdict(list)
    part_of: dict[str, list[str]] = defaultdict(list)
    for rel in kb.relationships.values():
        incoming[(rel.type, rel.end)].append(rel.start)
        outgoing[(rel.type, rel.start)].append(rel.end)
        if rel.type == "PART_OF":
            part_of[rel.start].append(rel.end)

    def amount(line: str) -> int | None:
        value = kb.nodes[line].get("amount_thousand_yen")
        return value if isinstance(value, int) else None

    def up(line: str) -> list[str]:
        """The line and the budget lines above it, nearest first, without the root."""
        chain = [line]
        while chain[-1] in parent and parent[chain[-1]][0] != root_id:
            chain.append(parent[chain[-1]][0])
        return chain

    def nearest(lines: list[str], type_: str, direction: str) -> list[str]:
        table = incoming if direction == "in" else outgoing
        for line in lines:
            found = sorted(set(table.get((type_, line), [])))
            if found:
                return found
        return []

    def programme_ancestors(programme: str) -> list[str]:
        chain, frontier = [programme], [programme]
        while frontier:
            frontier = sorted(
                {up for node in frontier for up in part_of.get(node, [])} - set(chain)
            )
            chain.extend(frontier)
        return chain

    def stated_leaves(line: str) -> list[str]:
        below = [child for child, link in children.get(line, []) if link == "part"]
        found = [leaf for child in below for leaf in stated_leaves(child)]
        if found:
            return found
        return [line] if amount(line) is not None else []

    def pick(line: str) -> list[str]:
        if view == "programme":
            splits = [child for child, link in children.get(line, []) if link == "breakdown"]
            if splits:
                return [leaf for split in splits for leaf in stated_leaves(split)]
        if line != root_id and amount(line) is not None:
            return [line]
        return [
            chosen
            for child, link in children.get(line, [])
            if link == "part"
            for chosen in pick(child)
        ]

    def names(ids: Iterable[str]) -> str:
        return "、".join(_node_name(kb, node, lang) for node in ids)

    def section(line: str) -> str:
        top = up(line)[-1]
        number = kb.nodes[top].get("number_label")
        return str(number) if number else _node_name(kb, top, lang)

    rows = []
    for line in pick(root_id):
        chain = up(line)
        pays_for = sorted(set(outgoing.get(("FUNDS", line), [])))
        carried_out_by = nearest(chain, "IMPLEMENTS", "in")
        if not carried_out_by:
            for programme in pays_for:
                carried_out_by = nearest(programme_ancestors(programme), "IMPLEMENTS", "in")
                if carried_out_by:
                    break
        node = kb.nodes[line]
        rows.append(
            [
                section(line),
                node.get("number_label") or "",
                _node_name(kb, line, lang),
                amount(line),
                names(nearest(chain, "FUNDS", "in")),
                names(pays_for),
                names(carried_out_by),
                names(nearest(chain, "SUPPORTS", "out")),
                line,
            ]
        )
    columns = [
        "section",
        "number",
        "line",
        "amount_thousand_yen",
        "funded_by",
        "pays_for",
        "carried_out_by",
        "supports",
        "line_id",
    ]
    return pd.DataFrame(rows, columns=columns).convert_dtypes(dtype_backend="numpy_nullable")


def plot_budget(
    kb: KnowledgeBase,
    root_id: str = BUDGET_ROOT,
    *,
    lang: Literal["auto", "ja", "en"] = "auto",
    font_candidates: Iterable[str] = CJK_FONT_CANDIDATES,
) -> Chart:
    """The budget's lines two ways (outline and by programme), coloured by beneficiary.

    Bars are on a logarithmic scale, since one line is a thousand times another; each bar
    is labelled with its amount in 千円 and, where the knowledge base says, the programme
    it pays for and who carries it out. Each panel's title gives its total beside the
    budget's stated total.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    language, font = chart_language(lang, font_candidates)
    family = _font_family(font)
    text_lang: Literal["ja", "en"] = "ja" if language == "ja" else "en"
    if root_id not in kb.nodes:
        raise BioclusterError(f"no budget line {root_id!r} in the knowledge base")
    stated_total = kb.nodes[root_id].get("amount_thousand_yen")
    stated_text = "—" if stated_total is None else f"{stated_total:,}"
    views: tuple[Literal["outline", "programme"], ...] = ("outline", "programme")
    flows = {view: funding_flows(kb, root_id, view=view, lang=text_lang) for view in views}
    unknown = "記載なし" if language == "ja" else _NOT_STATED
    beneficiaries = sorted(
        {str(value) or unknown for table in flows.values() for value in table["supports"]},
        key=lambda name: (name == unknown, name),
    )
    palette = ["#009E73", "#0072B2", "#E69F00", "#CC79A7", "#56B4E9", "#D55E00"]
    colour = {
        name: ("#bbbbbb" if name == unknown else palette[position % len(palette)])
        for position, name in enumerate(beneficiaries)
    }
    heights = [len(flows[view]) for view in views]
    figure = Figure(figsize=(12, 0.62 * sum(heights) + 3.0), layout="constrained")
    grid = figure.add_gridspec(len(views), 1, height_ratios=[max(h, 1) for h in heights])
    titles = {
        "outline": ("事業体系（番号付きの各事業）", "Outline (numbered lines)"),
        "programme": ("事業別（事業費・内訳の記載）", "By programme (named totals, breakdowns)"),
    }
    for row, view in enumerate(views):
        axes = figure.add_subplot(grid[row])
        records = flows[view].to_dict("records")
        positions = list(range(len(records)))[::-1]
        amounts = [int(record["amount_thousand_yen"]) for record in records]
        colours = [colour[str(record["supports"]) or unknown] for record in records]
        axes.barh(positions, amounts, color=colours)
        labels = [
            _wrap(f"{record['section']}-{record['number']} {record['line']}".replace("- ", " "), 44)
            for record in records
        ]
        axes.set_yticks(positions, labels=labels, fontfamily=family, fontsize=9)
        axes.set_xscale("log")
        axes.set_xlim(100, max(amounts, default=1000) * 120)
        for position, record in zip(positions, records, strict=True):
            pieces = [f"{int(record['amount_thousand_yen']):,}"]
            if record["pays_for"]:
                pieces.append(f"→ {record['pays_for']}")
                if record["carried_out_by"]:
                    by = record["carried_out_by"]
                    pieces.append(f"（{by}）" if language == "ja" else f"({by})")
            if record["funded_by"]:
                lead = "／財源: " if language == "ja" else "; funded by "
                pieces.append(f"{lead}{record['funded_by']}")
            axes.text(
                record["amount_thousand_yen"] * 1.15,
                position,
                _join_lines(pieces, 60),
                va="center",
                fontsize=8,
                fontfamily=family,
            )
        title_ja, title_en = titles[view]
        total = sum(amounts)
        if language == "ja":
            title = f"{title_ja}：合計 {total:,} 千円（予算額 {stated_text} 千円）"
        else:
            title = f"{title_en}: total {total:,} (budget {stated_text}), thousand yen"
        axes.set_title(title, fontfamily=family, loc="left", fontsize=10)
        axes.set_xlabel(
            "千円（対数目盛）" if language == "ja" else "thousand yen (log scale)",
            fontfamily=family,
        )
    handles = [Patch(color=colour[name], label=name) for name in beneficiaries]
    legend_title = "支援の対象" if language == "ja" else "supports"
    figure.legend(
        handles=handles,
        title=legend_title,
        loc="outside lower center",
        ncols=2,
        prop={"family": family},
        title_fontproperties={"family": family},
    )
    return Chart(figure)


# -- keeping notebooks clean in git -------------------------------------------------------


def strip_outputs(path: str | os.PathLike[str]) -> bool:
    """Remove every output and execution count from a notebook file; True if it changed.

    The notebooks are committed without outputs (a test checks it): outputs hold a whole
    network page per view and change on every run.
    """
    import nbformat

    target = Path(path)
    notebook = nbformat.read(target, as_version=4)
    changed = False
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count") is not None:
            changed = True
        cell.outputs = []
        cell.execution_count = None
        for key in ("execution", "collapsed", "scrolled"):
            if key in cell.metadata:
                del cell.metadata[key]
                changed = True
    if changed:
        nbformat.write(notebook, target)
    return changed


if __name__ == "__main__":
    import sys

    # python -m biocluster_kg.app.notebook strip notebooks/*.ipynb
    if len(sys.argv) < 3 or sys.argv[1] != "strip":
        sys.exit("usage: python -m biocluster_kg.app.notebook strip NOTEBOOK.ipynb ...")
    for name in sys.argv[2:]:
        print(f"{name}: {'stripped' if strip_outputs(name) else 'already clean'}")
