"""The use-case layer: one session that the command line, the notebooks and the demo call.

A :class:`Session` knows a workspace (its data folder and cluster profile) and a store (the
embedded Ladybug file or a Neo4j server, :class:`StoreSettings`). It reads the data files
through the one gate (:func:`biocluster_kg.loaders.check.gate`), adds the network measures
as an overlay computed in one place (:meth:`Session.knowledge_base`), and loads, queries,
analyses, exports and renders. Every face makes the same calls, so what a store holds and
what an export writes do not depend on the entry point:

- a load stores the facts WITH the measures unless told ``measures=False``
  (``--no-measures`` on the command line, the same name everywhere);
- an export writes the same: from the data files the facts with the measures, from a store
  what it holds, and with ``measures=False`` the facts alone from either.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     with Session(store=StoreSettings(store_path=Path(folder) / "kb.lbug")) as session:
...         report = session.load()
...         answer = session.query("council_and_committee")
...         stored = session.cypher("MATCH (n:Organization) WHERE n.id = 'org:iab' "
...                                 "RETURN n.bridge_score IS NOT NULL AS measured")
>>> answer.rows[0][answer.columns.index("member_name_ja")], stored.rows
('山形県知事', [[True]])
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from biocluster_kg.kernel.cluster import ClusterProfile, default_data_dir, load_cluster_profile
from biocluster_kg.kernel.errors import ExportError, WorkspaceMismatchError

if TYPE_CHECKING:
    from biocluster_kg.cypher.backend import Backend, LoadReport, QueryResult
    from biocluster_kg.cypher.library import Library
    from biocluster_kg.cypher.loading import WorkspaceRecord
    from biocluster_kg.graph.brokerage import BrokerageAnalysis
    from biocluster_kg.graph.exports.stakeholders import StakeholderFilter
    from biocluster_kg.kernel.model import KnowledgeBase
    from biocluster_kg.loaders.check import CheckReport

__all__ = ["SOURCES", "StoreSettings", "Session", "recorded_workspace"]

#: Where an export reads the knowledge base: the data files, the embedded store, Neo4j.
SOURCES: tuple[str, ...] = ("data", "embedded", "neo4j")


@dataclass(frozen=True)
class StoreSettings:
    """Which store to use: the embedded file (default) or a Neo4j server.

    Unset Neo4j fields fall back to ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``
    and ``NEO4J_DATABASE``; an unset embedded path to ``.biocluster/knowledge.lbug``.
    """

    use_neo4j: bool = False
    store_path: Path | None = None
    uri: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None

    def open(self) -> Backend:
        """A backend for these settings; the caller closes it."""
        from biocluster_kg.cypher.open import open_backend

        return open_backend(
            self.use_neo4j, self.store_path, self.uri, self.username, self.password, self.database
        )


def recorded_workspace(store_path: str | os.PathLike[str] | None = None) -> Path | None:
    """The workspace folder the embedded store records (``store_path``, else
    ``BIOCLUSTER_STORE``, else the default file), for a command that reads the data files
    and was given no ``--data``: it then draws what the store holds. None when there is no
    store, no record, or the recorded folder is gone; a store that cannot be read now (in
    use, damaged) is no reason to fail a command that does not need it.
    """
    from biocluster_kg.cypher.ladybug_backend import DEFAULT_STORE, LadybugBackend
    from biocluster_kg.cypher.loading import read_workspace_record
    from biocluster_kg.kernel.errors import BioclusterError

    path = Path(store_path or os.environ.get("BIOCLUSTER_STORE") or DEFAULT_STORE)
    if not path.is_file():
        return None
    try:
        with LadybugBackend(path) as backend:
            record = read_workspace_record(backend)
    except BioclusterError:
        return None
    if record is None or not Path(record.data_dir).is_dir():
        return None
    return Path(record.data_dir)


class Session:
    """A workspace and a store, opened lazily; close it (or use ``with``) when done.

    Parameters
    ----------
    data_dir : path, optional
        The workspace: ``sources/``, ``kb/`` and ``cluster.yaml`` (default: the shipped one).
    store : StoreSettings, optional
        The store (default: the embedded file at its default path).
    profile : ClusterProfile, optional
        The cluster's anchors (default: read from ``data_dir``); passed to every analysis.

    A load records the workspace in the store (its folder and profile). What reads the
    store (questions, ad-hoc Cypher, exports from the store) then answers for that
    workspace without ``data_dir``; given a ``data_dir`` that is not the store's, it fails
    with :class:`~biocluster_kg.kernel.errors.WorkspaceMismatchError` rather than mix two.
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None = None,
        store: StoreSettings | None = None,
        *,
        profile: ClusterProfile | None = None,
        allow_empty: bool = False,
    ) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else None
        # An empty kb/ would empty the store on load: only on purpose (load --allow-empty).
        self.allow_empty = allow_empty
        self.store = store if store is not None else StoreSettings()
        self._profile = profile
        # A profile handed in is the caller's choice; one read from data_dir is the default.
        self._profile_given = profile is not None
        self.check_report: CheckReport | None = None
        self._facts: KnowledgeBase | None = None
        self._measured: KnowledgeBase | None = None
        self._backend: Backend | None = None
        self._stored: tuple[WorkspaceRecord | None] | None = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def profile(self) -> ClusterProfile:
        """The workspace's cluster profile, read on first use (ad-hoc Cypher needs none)."""
        if self._profile is None:
            self._profile = load_cluster_profile(self.data_dir)
        return self._profile

    @property
    def workspace(self) -> Path:
        """The workspace's folder, absolute (the shipped one when none was given)."""
        folder = self.data_dir if self.data_dir is not None else default_data_dir()
        return folder.resolve()

    def stored_workspace(self) -> WorkspaceRecord | None:
        """The workspace the store records (None for a store loaded before stores recorded
        it); read once. A ``data_dir`` given to the session must be that workspace."""
        if self._stored is None:
            from biocluster_kg.cypher.loading import read_workspace_record

            record = read_workspace_record(self.backend)
            self._stored = (record,)
            if record is not None and self.data_dir is not None:
                given = self.workspace
                if Path(record.data_dir) != given:
                    raise WorkspaceMismatchError(
                        f"the store {self.location} holds the workspace {record.data_dir} "
                        f"({record.profile.title_ja}), not --data {given} "
                        f"({self.profile.title_ja}); leave out --data to use the store's, "
                        f"or load this one first: biocluster load --data {self.data_dir}"
                    )
        return self._stored[0]

    def store_profile(self) -> ClusterProfile:
        """The profile of the workspace the store holds: its record's, else the session's."""
        record = self.stored_workspace()
        if record is not None and self.data_dir is None and not self._profile_given:
            return record.profile
        if record is not None and self.profile.company_group is None:
            # The same workspace (stored_workspace checked it): the anchors its load read
            # from the data.
            return replace(self.profile, company_group=record.profile.company_group)
        return self.profile

    # -- the knowledge base -----------------------------------------------------------------

    def facts(self) -> KnowledgeBase:
        """The data files' knowledge base, validated and through the gate; read once.

        Raises :class:`~biocluster_kg.kernel.errors.ValidationError` for invalid data and
        :class:`~biocluster_kg.kernel.errors.CheckError` for what ``check`` refuses.
        """
        if self._facts is None:
            from biocluster_kg.loaders import load_knowledge_base
            from biocluster_kg.loaders.check import gate

            kb = load_knowledge_base(self.data_dir, allow_empty=self.allow_empty)
            self.check_report = gate(kb, self.profile)
            self._facts = kb
        return self._facts

    def knowledge_base(self, *, measures: bool = True) -> KnowledgeBase:
        """The facts, with the network measures on the nodes unless ``measures`` is false.

        The one place the overlay is computed (with the session's profile); a workspace the
        analysis does not apply to (no institute) gets the facts alone.
        """
        facts = self.facts()
        if not measures:
            return facts
        if self._measured is None:
            self._measured = self.with_measures(facts)
        return self._measured

    def with_measures(
        self,
        kb: KnowledgeBase,
        analysis: BrokerageAnalysis | None = None,
        *,
        profile: ClusterProfile | None = None,
    ) -> KnowledgeBase:
        """``kb`` with the measures of ``analysis`` (default: the session's default analysis)."""
        from biocluster_kg.graph.brokerage import measured, write_measures

        if analysis is not None:
            return write_measures(kb, analysis=analysis)
        return measured(kb, profile=profile if profile is not None else self.profile)

    def measurement_note(self) -> str | None:
        """How the measures were computed, when they are not exact (a large knowledge base
        gets sampled betweenness), for the command to say so; None when exact."""
        from biocluster_kg.graph.brokerage import measurement_note

        return measurement_note(self.facts())

    # -- the store --------------------------------------------------------------------------

    @property
    def backend(self) -> Backend:
        """The store, opened on first use."""
        if self._backend is None:
            self._backend = self.store.open()
        return self._backend

    @property
    def location(self) -> str:
        """Where the store is: the embedded file or the server's URI (never a password)."""
        backend = self.backend
        return str(getattr(backend, "location", backend.name))

    @property
    def load_was_batched(self) -> bool:
        """True if the last load was too large for one transaction (Neo4j only)."""
        return bool(getattr(self._backend, "last_load_batched", False))

    def load(
        self,
        kb: KnowledgeBase | None = None,
        *,
        measures: bool = True,
        progress: bool = False,
    ) -> LoadReport:
        """Make the store hold exactly the knowledge base, and report what changed.

        ``kb`` defaults to the data files' knowledge base (through the gate, before the
        store is touched). With ``measures`` the network measures are stored with it (a
        ``kb`` that already carries some keeps its own); without, the facts alone.
        """
        from biocluster_kg.graph.brokerage import without_measures

        if kb is None:
            kb = self.knowledge_base(measures=measures)
        elif measures:
            kb = self.with_measures(kb)
        else:
            kb = without_measures(kb)
        from biocluster_kg.cypher.loading import (
            WorkspaceRecord,
            read_workspace_record,
            write_workspace_record,
        )

        report = self.backend.load(kb, progress=progress)
        # The anchors cluster.yaml leaves out, read from the data where it names one: a
        # question on this store then needs no parameter the workspace never had to write.
        record = WorkspaceRecord(str(self.workspace), self.profile.with_anchors_from(kb))
        # A reload that changed nothing leaves the store's file alone, record included.
        if read_workspace_record(self.backend) != record:
            write_workspace_record(self.backend, record)
        self._stored = (record,)
        return report

    def query(self, name: str, parameters: Mapping[str, Any] | None = None) -> QueryResult:
        """Answer a library question for the workspace the store holds; its parameters are
        checked before the store is opened."""
        values = dict(parameters or {})
        if self.profile.company_group is not None:
            self.library().prepare(name, values)
        # else an anchor the data names may come from the store's record: checked there.
        prepared = self.library(self.store_profile()).prepare(name, values)
        return prepared.run(self.backend)

    def library(self, profile: ClusterProfile | None = None) -> Library:
        """The query library with its ``cluster.`` defaults from ``profile`` (default: this
        workspace's)."""
        from biocluster_kg.cypher.library import default_library

        return default_library().for_profile(profile if profile is not None else self.profile)

    def cypher(
        self, statement: str, parameters: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> QueryResult:
        """Run one ad-hoc statement, read-only unless ``write``; values only as parameters.

        Written in Neo4j's Cypher: the embedded store gives Neo4j's rows or refuses with a
        hint (:func:`biocluster_kg.cypher.adhoc.run_adhoc`)."""
        from biocluster_kg.cypher.adhoc import run_adhoc

        if self.data_dir is not None:
            self.stored_workspace()
        return run_adhoc(self.backend, statement, dict(parameters or {}), write=write)

    def stored_knowledge_base(self) -> KnowledgeBase:
        """What the store holds, read back as a knowledge base."""
        from biocluster_kg.cypher.readback import read_knowledge_base

        return read_knowledge_base(self.backend)

    # -- analysis, pages, exports -----------------------------------------------------------

    def brokers(
        self, ties: Iterable[str] | None = None, *, sample: int | None = None, seed: int = 0
    ) -> BrokerageAnalysis:
        """Who bridges the companies to the institute, on the data files' facts."""
        from biocluster_kg.graph.brokerage import analyze_brokers
        from biocluster_kg.graph.tie_graph import DEFAULT_TIES

        chosen = DEFAULT_TIES if ties is None else ties
        return analyze_brokers(self.facts(), chosen, sample=sample, seed=seed, profile=self.profile)

    def page(self, kb: KnowledgeBase | None = None, **options: Any) -> str:
        """The network page's HTML; nodes are sized by the measures (computed if missing).

        ``options`` are those of
        :func:`biocluster_kg.graph.network_page.render_network_page`.
        """
        from biocluster_kg.graph.network_page import render_network_page

        options.setdefault("profile", self.profile)
        return render_network_page(self._page_kb(kb, options), **options)

    def write_page(
        self, output: str | Path, kb: KnowledgeBase | None = None, **options: Any
    ) -> Path:
        """Write the network page (its folder is created) and return its path."""
        from biocluster_kg.graph.network_page import write_network_page

        # The page's title, search hints and legend are the workspace's.
        options.setdefault("profile", self.profile)
        return write_network_page(self._page_kb(kb, options), output, **options)

    def _page_kb(self, kb: KnowledgeBase | None, options: Mapping[str, Any]) -> KnowledgeBase:
        if kb is None:
            return self.knowledge_base(measures=options.get("measures") is None)
        return self.with_measures(kb) if options.get("measures") is None else kb

    def export_knowledge_base(
        self, source: str = "data", *, measures: bool = True
    ) -> KnowledgeBase:
        """The knowledge base an export writes, from ``source`` (one of :data:`SOURCES`).

        The same for every source after a default load: the facts with the measures; with
        ``measures`` false, the facts alone.
        """
        from biocluster_kg.graph.brokerage import has_measures, without_measures

        if source not in SOURCES:
            raise ExportError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
        if source == "data":
            return self.knowledge_base(measures=measures)
        profile = self.store_profile()
        kb = self.stored_knowledge_base()
        if not measures:
            return without_measures(kb)
        # A store loaded without the measures exports them all the same: computed here, the
        # one place, so every source gives the same bytes.
        return kb if has_measures(kb) else self.with_measures(kb, profile=profile)

    def export_graph(
        self,
        output_format: str,
        output: Path | None,
        stream: BinaryIO,
        *,
        source: str = "data",
        measures: bool = True,
    ) -> list[Path]:
        """Export the whole graph; returns the files written (none when writing to ``stream``).

        ``csv`` writes a folder (``output`` is required); the other formats one file, or
        ``stream`` when ``output`` is None.
        """
        from biocluster_kg.app.exporting import write_graph_export

        kb = self.export_knowledge_base(source, measures=measures)
        profile = self.profile if source == "data" else self.store_profile()
        return write_graph_export(
            kb, output_format, output, stream, measures=measures, profile=profile
        )

    def export_stakeholders(
        self,
        filters: StakeholderFilter,
        output_format: str,
        output: Path | None,
        stream: BinaryIO,
        *,
        source: str = "data",
        bom: bool = False,
        lang: str = "en",
    ) -> int:
        """Export the stakeholder list; returns the number of rows written (``lang``: see
        :func:`biocluster_kg.app.exporting.write_stakeholder_export`)."""
        from biocluster_kg.app.exporting import write_stakeholder_export

        kb = self.export_knowledge_base(source, measures=False)
        return write_stakeholder_export(
            kb, filters, output_format, output, stream, bom=bom, lang=lang
        )

    def close(self) -> None:
        """Close the store if it was opened."""
        backend, self._backend = self._backend, None
        if backend is not None:
            backend.close()
