"""The helpers behind the analyst notebooks in ``notebooks/``.

The notebooks teach the knowledge base by using it, one short cell at a time; the work those
cells need lives here, where it is typed, tested and shared by all three:

* **A session** (:func:`open_session`): the notebook's face of the one session of
  :mod:`biocluster_kg.app.session` (same gate, same measures as ``biocluster load``): the
  knowledge base read from the data files and loaded into a store, the embedded Ladybug
  file by default or the Neo4j server named by
  ``NEO4J_URI``/``NEO4J_PASSWORD``, with library questions and ad-hoc Cypher answered as
  pandas DataFrames (:meth:`Session.query`, :meth:`Session.cypher`).
* **The network page inline** (:func:`show_network`): the page ``biocluster viz`` writes,
  shown in the notebook inside a sandboxed ``<iframe srcdoc>``.
* **Brokerage tables and a chart** (:func:`broker_table`, :func:`role_table`,
  :func:`plot_top_bridges`, ...), read from :func:`biocluster_kg.graph.brokerage.analyze_brokers`.
* **The FY2013 budget** as a tree, its reconciliation against the source's own totals and
  the funding routes of its lines (:func:`budget_tree`, :func:`budget_checks`,
  :func:`funding_flows`, :func:`plot_budget`), computed from the store and the knowledge
  base each time, never typed in; the arithmetic is :mod:`biocluster_kg.graph.budget`'s,
  the charts :mod:`biocluster_kg.graph.charts`' (re-exported here for the notebooks).

>>> tie_kinds_table().loc[0, "tie_kind"]
'membership'
>>> roles_explained().loc[0, "role"]
'coordinator'
"""

from __future__ import annotations

import html
import os
import tempfile
import weakref
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from biocluster_kg.app.session import Session as UseCaseSession
from biocluster_kg.app.session import StoreSettings

# The budget and chart helpers live in the graph floor; the notebooks reach them here.
from biocluster_kg.graph.budget import (
    budget_checks,
    budget_text_tree,
    funding_flows,
    order_budget_tree,
)
from biocluster_kg.graph.budget import node_name as _node_name
from biocluster_kg.graph.charts import (
    CJK_FONT_CANDIDATES,
    Chart,
    chart_language,
    find_cjk_font,
    plot_budget,
    plot_top_bridges,
)
from biocluster_kg.graph.tie_graph import DEFAULT_TIES, TIE_KINDS
from biocluster_kg.kernel.errors import AnalysisError, BackendError, RenderError
from biocluster_kg.kernel.schema import SCHEMA

if TYPE_CHECKING:
    from biocluster_kg.cypher.backend import Backend, LoadReport, QueryResult
    from biocluster_kg.graph.brokerage import BrokerageAnalysis
    from biocluster_kg.kernel.cluster import ClusterProfile
    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = [
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
]

#: Gould and Fernandez's five roles: who the broker B stands between (A -> B -> C, A and C
#: not tied), what that means here, and the Japanese name: the schema's own
#: (``brokerage_roles`` terms), the one the CLI, the page and the report show too.
ROLE_MEANINGS: dict[str, tuple[str, str, str]] = {
    code: (pattern, meaning, SCHEMA.term_name("brokerage_roles", code, "ja"))
    for code, pattern, meaning in (
        (
            "coordinator",
            "A, B and C in one sector",
            "mediates between two members of its own sector",
        ),
        (
            "itinerant",
            "A and C in one sector, B in another",
            "an outsider who links two members of another sector (also called consultant)",
        ),
        (
            "representative",
            "A and B in one sector, C in another",
            "speaks for its own sector to another sector",
        ),
        (
            "gatekeeper",
            "B and C in one sector, A in another",
            "lets an outsider into its own sector",
        ),
        (
            "liaison",
            "A, B and C in three different sectors",
            "links two sectors, belonging to neither",
        ),
    )
}

_ENVIRONMENT_STORE = "BIOCLUSTER_STORE"
_NEO4J_REQUIRED = ("NEO4J_URI", "NEO4J_PASSWORD")


# -- the session --------------------------------------------------------------------------


class Session:
    """The notebook's face of the one session (:class:`biocluster_kg.app.session.Session`):
    the same store, gate and measures as the command line, answers as DataFrames.

    Made by :func:`open_session`; close it when done. ``kb`` is the knowledge base of the
    data files (the facts; the store holds them with the network measures unless loaded
    with ``measures=False``); ``backend`` the store; ``profile`` the workspace's anchors.
    """

    def __init__(
        self,
        session: UseCaseSession,
        *,
        temporary: tempfile.TemporaryDirectory[str] | None = None,
    ) -> None:
        self.session = session
        self.kb: KnowledgeBase = session.facts()
        self.report: LoadReport | None = None
        # The store closes and a temporary folder goes away even if close() is never called.
        self._finalizer = weakref.finalize(self, _release, session, temporary)

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
    def backend(self) -> Backend:
        """The store (Ladybug or Neo4j)."""
        return self.session.backend

    @property
    def profile(self) -> ClusterProfile:
        """The workspace's cluster profile (institute, company kinds, budget root)."""
        return self.session.profile

    @property
    def location(self) -> str:
        """Where the store is: the embedded file or the server's URI (never a password)."""
        return self.session.location

    def load(self, kb: KnowledgeBase | None = None, *, measures: bool = True) -> LoadReport:
        """Make the store hold exactly ``kb`` (default: the data files' knowledge base).

        The network measures are stored with it (so Cypher can sort by them) unless
        ``measures`` is false; a ``kb`` that carries its own (:func:`with_measures`)
        keeps them.
        """
        if kb is not None:
            self.kb = kb
        self.report = self.session.load(kb, measures=measures)
        return self.report

    def query(self, query_name: str, /, **parameters: Any) -> pd.DataFrame:
        """Answer a question of the query library (``query_catalogue()`` lists them).

        Parameters are checked against the query's header before the store is touched.
        """
        return frame(self.session.query(query_name, parameters))

    def cypher(self, statement: str, /, **parameters: Any) -> pd.DataFrame:
        """Run one read-only Cypher statement; values travel only as ``$parameters``.

        Write Neo4j's Cypher: the embedded store gives Neo4j's rows or refuses the statement
        with a ``hint:`` naming the form to write (``docs/adhoc-cypher.md``).
        """
        return frame(self.session.cypher(statement, parameters))

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


def _release(session: UseCaseSession, temporary: tempfile.TemporaryDirectory[str] | None) -> None:
    try:
        session.close()
    finally:
        if temporary is not None:
            temporary.cleanup()


def open_session(
    use_neo4j: bool = False,
    store: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    *,
    load: bool = True,
    measures: bool = True,
) -> Session:
    """Read and check the knowledge base, and load it into a store.

    The data files pass the same gate as ``biocluster check`` (nothing is loaded if
    anything is refused), and the store holds what ``biocluster load`` stores.

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
        The data folder (default: the project's ``data/``); its ``cluster.yaml`` gives
        the profile the analysis and the budget use.
    load : bool
        Load the knowledge base now (an embedded store always needs it once).
    measures : bool
        Store the network measures with the facts (the default, as ``biocluster load``);
        false stores the facts alone (``--no-measures``).

    Returns
    -------
    Session

    Raises
    ------
    BackendError
        If ``use_neo4j`` is set without ``NEO4J_URI`` and ``NEO4J_PASSWORD``, the server
        cannot be reached, or the store cannot be opened or written.
    ValidationError
        If a data file is invalid, or ``biocluster check`` refuses it (nothing is loaded).

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
        settings = StoreSettings(use_neo4j=True)
    else:
        if store is None and os.environ.get(_ENVIRONMENT_STORE):
            store = os.environ[_ENVIRONMENT_STORE]
        if store is None:
            temporary = tempfile.TemporaryDirectory(prefix="biocluster-notebook-")
            store = Path(temporary.name) / "knowledge.lbug"
        settings = StoreSettings(store_path=Path(store))
    core = UseCaseSession(data_dir, settings)
    try:
        # The gate runs here, before any store is opened or written.
        session = Session(core, temporary=temporary)
        if use_neo4j:
            core.backend  # noqa: B018 -- reach the server now, as before, not at first query
    except BaseException:
        _release(core, temporary)
        raise
    if load:
        try:
            session.load(measures=measures)
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


def with_measures(
    kb: KnowledgeBase,
    analysis: BrokerageAnalysis | None = None,
    *,
    profile: ClusterProfile | None = None,
) -> KnowledgeBase:
    """A copy of ``kb`` with the brokerage measures on its nodes (``kb`` if they are there):
    those of ``analysis``, or computed for ``profile``'s cluster (``session.profile``).

    A knowledge base without the institute, which the analysis needs, comes back unchanged;
    so does one given no ``profile`` (no cluster), never measured for the shipped workspace.
    """
    from biocluster_kg.graph.brokerage import measured, write_measures
    from biocluster_kg.kernel.cluster import ClusterProfile

    if analysis is None:
        # No profile means no cluster (no institute to measure from), never the shipped one.
        return measured(kb, profile=profile if profile is not None else ClusterProfile())
    return write_measures(kb, analysis=analysis)


def network_html(kb: KnowledgeBase, *, height: int = 650, **options: Any) -> str:
    """The network page inside an ``<iframe srcdoc>``, ready for ``IPython.display.HTML``.

    ``options`` are those of :func:`biocluster_kg.graph.page.render_network_page` (``lang``,
    ``around``, ``depth``, ``sectors``, ``types``, ``view``, ``focus``: the actors first, as
    on the page, unless ``focus="all"``). Nodes are sized by the
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
        kb = with_measures(kb, profile=options.get("profile"))
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


# -- the budget ---------------------------------------------------------------------------


def budget_tree(session: Session, root_id: str | None = None) -> pd.DataFrame:
    """Every line of the budget under ``root_id`` (default: the profile's ``budget_root``),
    in the source's order, from the store's answer to the library question ``budget_tree``.

    See :func:`biocluster_kg.graph.budget.order_budget_tree` for the columns.
    """
    from biocluster_kg.graph.budget import budget_root

    root = budget_root(root_id, session.profile)
    return order_budget_tree(session.query("budget_tree", root_id=root), session.kb, root)
