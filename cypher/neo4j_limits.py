"""How much one Neo4j transaction may carry: the server's transaction memory cap, read from
``SHOW SETTINGS``, divided by what one written record takes (:data:`BYTES_PER_RECORD`).
A load whose change fits is written in one transaction; a larger one in batches.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from biocluster_kg.kernel.errors import BackendError

__all__ = [
    "DEFAULT_TRANSACTION_LIMIT",
    "BYTES_PER_RECORD",
    "MEMORY_SETTINGS",
    "transaction_limit_for",
]

#: Changed records (written or deleted) one transaction may carry when the server's
#: transaction memory cap cannot be read. Measured on Neo4j 5.26 with a 1 GiB heap (cap 70%
#: of it): 122k new records fit in one transaction, 183k did not.
DEFAULT_TRANSACTION_LIMIT = 100_000

#: Transaction memory one written record takes on the server, with room to spare: Neo4j
#: 5.26 estimated 4.6 KiB per record (SHOW TRANSACTIONS, peak of one-transaction loads of
#: 122k and 610k synthetic records). The limit is the server's cap divided by this.
BYTES_PER_RECORD = 5 * 1024

#: The settings that cap one transaction's memory; 0 means no cap of that kind.
MEMORY_SETTINGS = (
    "db.memory.transaction.max",
    "db.memory.transaction.total.max",
    "dbms.memory.transaction.total.max",
)
_UNITS = {"B": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}


def transaction_limit_for(settings: Mapping[str, str]) -> int:
    """Records one transaction may carry under the server's memory settings (``SHOW
    SETTINGS`` values); the smallest non-zero cap counts, and with none there is no limit.

    >>> transaction_limit_for({"dbms.memory.transaction.total.max": "716.80MiB",
    ...                        "db.memory.transaction.max": "0B"})
    146800
    >>> transaction_limit_for({"dbms.memory.transaction.total.max": "0B"}) > 10**12
    True
    """
    caps = [_bytes(settings[name]) for name in MEMORY_SETTINGS if name in settings]
    caps = [cap for cap in caps if cap > 0]
    if not caps:
        return sys.maxsize
    return int(min(caps) // BYTES_PER_RECORD)


def _bytes(value: str) -> float:
    """``'4.20GiB'`` -> bytes, as Neo4j prints a memory setting."""
    number = value.rstrip("KMGTiB")
    unit = value[len(number) :] or "B"
    try:
        return float(number) * _UNITS[unit]
    except (KeyError, ValueError):
        raise BackendError(f"unexpected Neo4j memory setting {value!r}") from None
