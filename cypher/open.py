"""Open the store the user asked for: the embedded Ladybug file or a Neo4j server.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as folder:
...     backend = open_backend(store_path=pathlib.Path(folder) / "kb.lbug")
...     backend.name
'ladybug'
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from biocluster_kg.cypher.ladybug_backend import LadybugBackend
    from biocluster_kg.cypher.neo4j_backend import Neo4jBackend

__all__ = ["open_backend"]


def open_backend(
    use_neo4j: bool = False,
    store_path: str | os.PathLike[str] | None = None,
    uri: str | None = None,
    username: str | None = None,
    password: str | None = None,
    database: str | None = None,
) -> LadybugBackend | Neo4jBackend:
    """A backend ready to use; the caller closes it (both are context managers).

    With ``use_neo4j`` the Neo4j settings come from ``uri``/``username``/``password``/
    ``database`` where given, else from ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``
    and ``NEO4J_DATABASE``, and the server is checked before this returns. Every call gives
    up after ``NEO4J_READ_TIMEOUT`` seconds of server silence (see
    :mod:`~biocluster_kg.cypher.neo4j_timeouts`). Otherwise the
    embedded store at ``store_path`` (default ``.biocluster/knowledge.lbug``) is used; it is
    opened lazily, by the first query or load.
    """
    if use_neo4j:
        from biocluster_kg.cypher.neo4j_backend import Neo4jBackend
        from biocluster_kg.cypher.neo4j_connection import Neo4jSettings, connect
        from biocluster_kg.cypher.neo4j_timeouts import (
            read_timeout_from_env,
            server_watch,
            transaction_timeout_from_env,
        )

        settings = Neo4jSettings.from_env(
            uri=uri, username=username, password=password, database=database
        )
        read_timeout = read_timeout_from_env()
        # The driver's connection timeout covers the TCP connect only; a server that accepts
        # and then says nothing is bounded here.
        with server_watch(read_timeout, settings.display_uri):
            driver = connect(settings)
        try:
            return Neo4jBackend(
                driver,
                settings.database,
                description=settings.display_uri,
                read_timeout=read_timeout,
                transaction_timeout=transaction_timeout_from_env(),
            )
        except BaseException:
            driver.close()
            raise
    from biocluster_kg.cypher.ladybug_backend import LadybugBackend

    return LadybugBackend(store_path)
