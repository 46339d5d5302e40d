"""Connection settings for a Neo4j server and a checked way to open a driver on them.

Everything that talks to Neo4j starts here: :class:`Neo4jSettings` says where the server is
and who to log in as (from the environment, with explicit overrides from the CLI), and
:func:`connect` returns an official ``neo4j`` driver only once the server has answered, the
login has been accepted and the database exists. Driver failures come back as the project's
own errors (:mod:`biocluster_kg.kernel.errors`) with messages that never contain the password.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, NoReturn
from urllib.parse import quote, quote_plus, urlsplit

import neo4j
from neo4j import exceptions as neo4j_errors

from biocluster_kg.kernel.errors import (
    BackendError,
    BioclusterError,
    DatabaseNotFoundError,
    Neo4jAuthError,
    Neo4jUnavailableError,
)

# The driver logs what it then raises ("Unable to retrieve routing information", "Transaction
# failed and will be retried"); with no handler configured anywhere, Python's last-resort
# handler printed those lines on stderr before the command's own one-line error. A library's
# logger gets a NullHandler; an application that configures logging still sees every record.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

__all__ = [
    "ACCEPTED_SCHEMES",
    "DEFAULT_TIMEOUT",
    "Neo4jSettings",
    "connect",
    "scrub_password",
]

ACCEPTED_SCHEMES: tuple[str, ...] = (
    "bolt",
    "bolt+s",
    "bolt+ssc",
    "neo4j",
    "neo4j+s",
    "neo4j+ssc",
)
"""URI schemes the official driver speaks Bolt over; the driver's HTTP preview is not used."""

DEFAULT_TIMEOUT = 10.0
"""Seconds :func:`connect` waits for a TCP connection before giving up on a server."""

_ENVIRONMENT_NAMES = {
    "uri": "NEO4J_URI",
    "username": "NEO4J_USERNAME",
    "password": "NEO4J_PASSWORD",
    "database": "NEO4J_DATABASE",
}

_DATABASE_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"
_AUTHENTICATION_RATE_LIMIT = "Neo.ClientError.Security.AuthenticationRateLimit"
# Greedy up to the authority's last "@", so that a raw "@" inside a password is covered too.
_URI_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s]*@")
# The driver words a refused TCP connection as "... (reason [Errno 111] Connection refused)".
_SOCKET_REASON = re.compile(r"\(reason (?P<reason>.+)\)$")


@dataclass(frozen=True)
class Neo4jSettings:
    """Where a Neo4j server is and how to log in to it.

    Parameters
    ----------
    uri : str
        Bolt URI of the server, with one of :data:`ACCEPTED_SCHEMES`; ``neo4j://`` and its
        TLS variants use routing, which a single server answers too. It must not carry a
        user name or password.
    username : str
        User to log in as.
    password : str
        That user's password. Left out of ``repr`` and ``str`` so that it cannot leak into
        logs or error messages.
    database : str or None
        Database to use; None means the server's default database (``neo4j`` on a fresh
        community server).

    Raises
    ------
    Neo4jUnavailableError
        If ``uri`` has another scheme, no host, or embedded credentials.

    Examples
    --------
    >>> settings = Neo4jSettings(uri="bolt://127.0.0.1:7687", password="s3cret-pass")
    >>> settings
    Neo4jSettings(uri='bolt://127.0.0.1:7687', username='neo4j', database=None)
    >>> "s3cret-pass" in str(settings)
    False
    """

    uri: str = "bolt://localhost:7687"
    username: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str | None = None

    def __post_init__(self) -> None:
        # Checked on the raw text, before anything echoes the URI: a password holding '/', '?'
        # or '#' ends urlsplit's netloc early and would slip past a check of the netloc.
        if "@" in self.uri:
            raise Neo4jUnavailableError(
                "the Neo4j URI must not carry a user name or password; give them as "
                "NEO4J_USERNAME and NEO4J_PASSWORD instead"
            )
        try:
            parts = urlsplit(self.uri)
            host = parts.hostname
            _ = parts.port  # reading it checks it: a port that is no number raises here
        except ValueError:
            # urlsplit's own message quotes the URI (a password typed as the port, say);
            # 'bolt://[x]:7687' (not an IPv6 address) and 'host:secret' (no number) land here.
            raise Neo4jUnavailableError(
                "the Neo4j URI is not valid: expected SCHEME://HOST:PORT with a numeric port "
                "and an IPv6 address in [brackets] (the URI is not repeated here: it may hold "
                "a secret)"
            ) from None
        scheme = parts.scheme.lower()
        if scheme not in ACCEPTED_SCHEMES:
            accepted = ", ".join(f"{name}://" for name in ACCEPTED_SCHEMES)
            raise Neo4jUnavailableError(
                f"unsupported Neo4j URI scheme {parts.scheme[:20]!r}: "
                f"the scheme must be one of {accepted}"
            )
        if not host:
            raise Neo4jUnavailableError("the Neo4j URI names no host")
        if parts.path.strip("/") or parts.fragment:
            # The driver ignores both and warns with the whole URI quoted: refuse them here.
            raise Neo4jUnavailableError(
                "the Neo4j URI must not have a path or a #fragment: give SCHEME://HOST:PORT "
                "(the URI is not repeated here: it may hold a secret)"
            )

    @property
    def display_uri(self) -> str:
        """The URI for messages: scheme, host and port only, so that nothing typed into the
        path, query or fragment (a password, say) is ever shown.

        >>> Neo4jSettings(uri="neo4j://db:7687?policy=x&password=oops").display_uri
        'neo4j://db:7687'
        """
        parts = urlsplit(self.uri)  # checked by __post_init__: cannot fail here
        host, port = parts.hostname or "", parts.port
        shown_host = f"[{host}]" if ":" in host else host
        return f"{parts.scheme.lower()}://{shown_host}" + (f":{port}" if port is not None else "")

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] = os.environ, **overrides: str | None
    ) -> Neo4jSettings:
        """Settings from ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and
        ``NEO4J_DATABASE``, with explicit values taking precedence.

        Parameters
        ----------
        environ : Mapping[str, str]
            Where to read the variables (default: the process environment). Empty values
            count as unset.
        **overrides : str or None
            ``uri``, ``username``, ``password`` or ``database``; each given value beats the
            environment, and None means "not given" (what an unset CLI option passes).

        Returns
        -------
        Neo4jSettings

        Raises
        ------
        TypeError
            If an override names no setting.
        Neo4jUnavailableError
            If the resulting URI is not acceptable (see :class:`Neo4jSettings`).

        Examples
        --------
        >>> environ = {"NEO4J_URI": "neo4j://db.example:7687", "NEO4J_PASSWORD": "from-env"}
        >>> Neo4jSettings.from_env(environ, username="reader", database=None)
        Neo4jSettings(uri='neo4j://db.example:7687', username='reader', database=None)
        """
        unknown = sorted(set(overrides) - set(_ENVIRONMENT_NAMES))
        if unknown:
            raise TypeError(f"unknown Neo4j setting(s): {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for setting in fields(cls):
            override = overrides.get(setting.name)
            if override is not None:
                values[setting.name] = override
            elif environ.get(_ENVIRONMENT_NAMES[setting.name]):
                values[setting.name] = environ[_ENVIRONMENT_NAMES[setting.name]]
        return cls(**values)

    @property
    def database_label(self) -> str:
        """The database name for messages: the given name or ``(server default)``."""
        return self.database if self.database is not None else "(server default)"


def scrub_password(text: str, password: str | None) -> str:
    """Remove a password, and any credentials written into a URI, from a message.

    Drivers sometimes echo what they were given (a URI with ``user:password@`` in it, say);
    every message built from a driver error passes through here before it is shown.

    Parameters
    ----------
    text : str
        The message to clean.
    password : str or None
        The secret to remove, also in its percent-encoded forms. Empty or None removes only
        URI credentials.

    Returns
    -------
    str
        ``text`` with each occurrence replaced by ``***``.

    Examples
    --------
    >>> scrub_password("bad URI 'bolt://neo4j:hunter22@db:7687'; hunter22 refused", "hunter22")
    "bad URI 'bolt://***@db:7687'; *** refused"
    """
    text = _without_userinfo(text)
    if password:
        for form in sorted(
            {password, quote(password, safe=""), quote(password), quote_plus(password)},
            key=len,
            reverse=True,
        ):
            text = text.replace(form, "***")
    return text


def connect(settings: Neo4jSettings, *, timeout: float = DEFAULT_TIMEOUT) -> neo4j.Driver:
    """Open a driver on a Neo4j server, checking the server, the login and the database.

    Parameters
    ----------
    settings : Neo4jSettings
        Where to connect and as whom.
    timeout : float
        Seconds to wait for each TCP connection (the driver's ``connection_timeout``).

    Returns
    -------
    neo4j.Driver
        A driver that has logged in and run ``CALL db.ping()`` on ``settings.database``. The
        caller owns it and must close it (it is a context manager).

    Raises
    ------
    Neo4jUnavailableError
        If no server answers at the URI, or the database is not available.
    Neo4jAuthError
        If the server refuses the user name or password.
    DatabaseNotFoundError
        If the database does not exist on the server.
    BackendError
        For any other driver failure.
    """
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri,
            auth=(settings.username, settings.password),
            connection_timeout=timeout,
            user_agent="biocluster-kg",
        )
    except (neo4j_errors.DriverError, neo4j_errors.Neo4jError, ValueError) as error:
        _raise_translated(error, settings)
    try:
        driver.verify_connectivity()
        # verify_connectivity() on a bolt:// URI does not look at the database, so a missing
        # one would only show at the first query: ask for it now. db.ping() also works on the
        # system database, where RETURN 1 is refused. Auto-commit, so the driver never retries.
        with driver.session(
            database=settings.database, default_access_mode=neo4j.READ_ACCESS
        ) as session:
            session.run("CALL db.ping()").consume()
    except (neo4j_errors.DriverError, neo4j_errors.Neo4jError, OSError, ValueError) as error:
        # ValueError: the driver could not resolve the host it was given.
        driver.close()
        _raise_translated(error, settings)
    except BaseException:
        driver.close()
        raise
    return driver


def _without_userinfo(text: str) -> str:
    return _URI_USERINFO.sub(r"\g<scheme>***@", text)


def _raise_translated(error: BaseException, settings: Neo4jSettings) -> NoReturn:
    translated = _translate(error, settings)
    raw = str(error)
    if _scrub_uri(scrub_password(raw, settings.password), settings) != raw:
        # The driver's own text holds the secret: keep it out of tracebacks as well.
        raise translated from None
    raise translated from error


def _translate(error: BaseException, settings: Neo4jSettings) -> BioclusterError:
    uri = settings.display_uri
    detail = _scrub_uri(scrub_password(_describe(error), settings.password), settings)
    code = getattr(error, "code", None)
    if isinstance(error, neo4j_errors.AuthError):
        return Neo4jAuthError(
            f"Neo4j refused user '{settings.username}' at {uri}: wrong user name or password"
        )
    if code == _AUTHENTICATION_RATE_LIMIT:
        return Neo4jAuthError(
            f"Neo4j refused user '{settings.username}' at {uri}: too many failed logins, "
            "the user is locked for a few seconds"
        )
    if code == _DATABASE_NOT_FOUND:
        return DatabaseNotFoundError(
            f"database '{settings.database_label}' does not exist on {uri}"
        )
    if isinstance(error, neo4j_errors.DatabaseUnavailable):
        return Neo4jUnavailableError(
            f"database '{settings.database_label}' on {uri} is not available: {detail}"
        )
    if isinstance(error, neo4j_errors.ServiceUnavailable | OSError):
        return Neo4jUnavailableError(f"no Neo4j server answers at {uri}: {detail}")
    return BackendError(f"cannot use Neo4j at {uri}: {detail}")


def _scrub_uri(text: str, settings: Neo4jSettings) -> str:
    # A driver message may quote the URI as given, query and all: show only its safe form.
    text = text.replace(settings.uri, settings.display_uri)
    parts = urlsplit(settings.uri)
    for secret_part in (parts.query, parts.fragment, parts.path.strip("/")):
        if secret_part:
            text = text.replace(secret_part, "***")
    return text


def _describe(error: BaseException) -> str:
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    text = " ".join(str(message).split())
    reason = _SOCKET_REASON.search(text)
    return reason.group("reason") if reason else text
