"""The Neo4j server's notifications, summed up in one line instead of a block each.

The driver logs every notification the server sends (an unknown label in a statement, an
index it would rather have, a deprecated form) on the ``neo4j.notifications`` logger, and
with no logging set up Python prints each one as a long raw block: a ``neo4j-admin``
import followed by ``export graph --neo4j`` printed twelve. A notification is advice, not
an error, and the answer is still right, so the command line collects them while a command
runs and ends with one line: how many, and the first one's code and description.

>>> summary = NotificationSummary()
>>> summary.line() is None
True
"""

from __future__ import annotations

import logging
from collections import Counter

__all__ = ["NotificationSummary", "collecting"]

_LOGGER = "neo4j.notifications"
_DESCRIPTION_LIMIT = 160


class NotificationSummary(logging.Handler):
    """A handler that counts the notifications and keeps each kind's description."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.kinds: Counter[tuple[str, str]] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        printer = record.args[0] if isinstance(record.args, tuple) and record.args else None
        notification = getattr(printer, "notification", None)
        code = str(getattr(notification, "gql_status", "") or "")
        description = str(getattr(notification, "status_description", "") or "")
        if not description:
            description = record.getMessage()
        self.kinds[(code, " ".join(description.split()))] += 1

    def line(self) -> str | None:
        """One line for the end of a command, or None when the server sent nothing."""
        count = sum(self.kinds.values())
        if not count:
            return None
        (code, description), _ = self.kinds.most_common(1)[0]
        if len(description) > _DESCRIPTION_LIMIT:
            description = description[: _DESCRIPTION_LIMIT - 1] + "…"
        kinds = len(self.kinds)
        noun = "notification" if count == 1 else "notifications"
        of = f" of {kinds} kinds" if kinds > 1 else ""
        first = f"{code}: {description}" if code else description
        return f"note: the Neo4j server sent {count} {noun}{of} (advice, not errors), e.g. {first}"


def collecting() -> tuple[NotificationSummary, logging.Logger, bool]:
    """Start collecting: the handler, the logger and whether it propagated before."""
    logger = logging.getLogger(_LOGGER)
    summary = NotificationSummary()
    propagated = logger.propagate
    logger.addHandler(summary)
    logger.propagate = False
    return summary, logger, propagated
