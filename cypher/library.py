"""The query library: one question per ``NAME.cypher`` file beside this module.

This module holds the catalogue of questions (:class:`Library`) and the way to answer one
(:func:`run_query`). The pieces live in modules named for what they hold:

- :mod:`biocluster_kg.cypher.query_file`: the file format (header syntax, dialect blocks)
  and its loader, which names file and line for every rejection;
- :mod:`biocluster_kg.cypher.dialects`: the adapter step that renders a question's text for
  each engine (schema placeholders, mechanical rewrites);
- :mod:`biocluster_kg.cypher.parameters`: declared parameters, ``cluster.`` defaults and the
  checking of given values;
- :mod:`biocluster_kg.cypher.query`: one question and a question with checked values;
- :mod:`biocluster_kg.cypher.catalogue`: the Markdown catalogue (``docs/queries.md``).

Their public names are importable from here too, as callers have always imported them.

Parameters. :meth:`Query.bind` checks given values against the header (unknown, missing or
of the wrong type -> :class:`~biocluster_kg.kernel.errors.QueryParameterError`), applies defaults,
and keeps ``name`` parameters as typed (the question folds them: Neo4j in its text, the
client for Ladybug, :mod:`biocluster_kg.cypher.dialects`). Before a question runs, every
``id`` and ``id[]`` value is checked against the store and names given for ids become ids
(:mod:`biocluster_kg.cypher.resolve`); ``name`` values are checked when the answer is
empty (a question answers nothing for a name no actor has). An unknown name raises
:class:`~biocluster_kg.kernel.errors.UnknownNameError` with suggestions, never an empty
answer. A ``string[]`` given as text is split on commas (``-p kinds=company,venture``);
a ``float`` takes an integer too.
Values only ever reach the database as ``$parameters``. Defaults written ``cluster.KEY`` come
from the cluster profile of the workspace in use (:meth:`Library.for_profile`; the shipped
one unless told).

>>> library = load_library()
>>> query = library.get("council_and_committee")
>>> query.question_ja
'推進会議・委員会の構成員は誰で、どの役職・役割で座っているか？'
>>> query.bind({})["body_ids"]  # no ids: every council and committee of the data
[]
>>> from biocluster_kg.kernel.cluster import ClusterProfile
>>> other = library.for_profile(ClusterProfile(institute_id="org:lab"))
>>> other.get("ventures_and_partners").bind({})["institute_id"]
'org:lab'
>>> normalize_name("ＩＡＢ")
'iab'
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from biocluster_kg.cypher.catalogue import catalogue_markdown
from biocluster_kg.cypher.dialects import BACKENDS
from biocluster_kg.cypher.parameters import PARAMETER_TYPES, Parameter, normalize_name
from biocluster_kg.cypher.query import PreparedQuery, Query, sort_rows
from biocluster_kg.cypher.query_file import LIBRARY_DIR, parse_query_file, shipped_defaults
from biocluster_kg.kernel.errors import QueryError

if TYPE_CHECKING:
    from biocluster_kg.cypher.backend import Backend, QueryResult
    from biocluster_kg.kernel.cluster import ClusterProfile

__all__ = [
    "BACKENDS",
    "PARAMETER_TYPES",
    "LIBRARY_DIR",
    "Parameter",
    "Query",
    "Library",
    "PreparedQuery",
    "normalize_name",
    "parse_query_file",
    "load_library",
    "default_library",
    "run_query",
    "sort_rows",
    "catalogue_markdown",
]


class Library:
    """The queries of a folder, by name, with defaults from one cluster profile."""

    def __init__(self, queries: Iterable[Query]) -> None:
        self._queries = {query.name: query for query in queries}

    def names(self) -> list[str]:
        return sorted(self._queries)

    def __iter__(self) -> Iterator[Query]:
        return iter([self._queries[name] for name in self.names()])

    def __len__(self) -> int:
        return len(self._queries)

    def __contains__(self, name: object) -> bool:
        return name in self._queries

    def get(self, name: str) -> Query:
        """The query called ``name``; :class:`QueryError` with suggestions if none is."""
        try:
            return self._queries[name]
        except KeyError:
            close = _similar(name, self.names())
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise QueryError(
                f"no query named {name!r}{hint}; `biocluster queries` lists them"
            ) from None

    def prepare(self, name: str, parameters: Mapping[str, Any] | None = None) -> PreparedQuery:
        """Look up ``name`` and check ``parameters``, before any store is opened."""
        query = self.get(name)
        return PreparedQuery(query, query.bind(parameters))

    def for_profile(self, profile: ClusterProfile) -> Library:
        """The same questions with their ``cluster.`` defaults from ``profile``.

        The headers' example values name the shipped cluster's actors (慶應先端研); for
        another cluster they become placeholders (``-p name=NAME``), so that no help text or
        error of that cluster suggests another's names.

        >>> from biocluster_kg.kernel.cluster import ClusterProfile
        >>> other = default_library().for_profile(ClusterProfile(institute_id="org:lab"))
        >>> other.get("actor_profile").example_command()
        'biocluster query actor_profile -p name=NAME'
        """
        defaults = profile.query_defaults()
        library = Library(query.with_defaults(defaults) for query in self)
        if defaults == shipped_defaults():
            return library
        return Library(
            replace(query, examples={key: key.upper() for key in query.examples})
            for query in library
        )


def _similar(wanted: str, names: list[str]) -> list[str]:
    """Up to three names like ``wanted``, whole or by one of their words (``councl``).

    >>> _similar("councl", ["budget_tree", "council_and_committee"])
    ['council_and_committee']
    """

    def score(name: str) -> float:
        parts = [name, *name.split("_")]
        return max(difflib.SequenceMatcher(None, wanted, part).ratio() for part in parts)

    scored = sorted((-score(name), name) for name in names)
    return [name for negative, name in scored[:3] if -negative >= 0.75]


def load_library(
    directory: Path | None = None, *, profile: ClusterProfile | None = None
) -> Library:
    """Parse every ``*.cypher`` file of ``directory`` (default: the shipped library), with
    ``cluster.`` defaults from ``profile`` (default: the shipped workspace's)."""
    directory = Path(directory) if directory is not None else LIBRARY_DIR
    defaults = profile.query_defaults() if profile is not None else shipped_defaults()
    # A name must equal its file's stem, so two queries can never share one.
    return Library(
        parse_query_file(path, defaults=defaults) for path in sorted(directory.glob("*.cypher"))
    )


@lru_cache(maxsize=1)
def default_library() -> Library:
    """The shipped library with the shipped profile's defaults, parsed once per process."""
    return load_library()


def run_query(
    backend: Backend,
    name: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    library: Library | None = None,
    profile: ClusterProfile | None = None,
) -> QueryResult:
    """Run library query ``name`` on ``backend`` with checked ``parameters``; ``cluster.``
    defaults come from ``profile`` (default: those ``library`` was loaded with, the shipped
    workspace's for the default library).

    Raises :class:`QueryError` for an unknown query, :class:`QueryParameterError` for bad
    parameters (before the store is touched) and whatever the backend raises for Cypher.

    >>> import tempfile, pathlib
    >>> from biocluster_kg.cypher.ladybug_backend import LadybugBackend
    >>> from biocluster_kg.loaders import load_knowledge_base
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with LadybugBackend(pathlib.Path(folder) / "kb.lbug") as store:
    ...         _ = store.load(load_knowledge_base())
    ...         result = run_query(store, "council_and_committee")
    >>> result.records()[0]["member_name_ja"], result.records()[0]["role_ja"]
    ('山形県知事', '会長')
    """
    library = library or default_library()
    if profile is not None:
        library = library.for_profile(profile)
    return library.prepare(name, parameters).run(backend)


def _main(arguments: list[str]) -> int:
    """``python -m biocluster_kg.cypher.library``: the catalogue (docs/queries.md);
    ``... --neo4j NAME``: the Neo4j Browser statement of one question."""
    import sys

    if not arguments:
        sys.stdout.write(catalogue_markdown())
        return 0
    if len(arguments) == 2 and arguments[0] == "--neo4j":
        try:
            sys.stdout.write(default_library().get(arguments[1]).neo4j_statement())
        except QueryError as error:
            print(f"Error: {error}", file=sys.stderr)
            return 1
        return 0
    print("usage: python -m biocluster_kg.cypher.library [--neo4j NAME]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    import sys

    sys.exit(_main(sys.argv[1:]))
