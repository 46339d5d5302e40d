"""How a fact is known, said to people: the basis's name from the schema's vocabulary
(:data:`~biocluster_kg.kernel.schema.BASIS_TERMS`) with the curator's reason for anything
not stated, one text for the page's card, the report and the stakeholder lists.

The reason is the curator's own line, quoted as written (the data gives it in one
language); only the basis's name follows ``lang``.

>>> basis_text("layout", "listed in the council's box")
"図の配置（listed in the council's box）"
>>> basis_text("layout", "listed in the council's box", "en")
"layout (listed in the council's box)"
>>> basis_text("stated", None), basis_text(None, None)
('記載', None)
"""

from __future__ import annotations

from typing import Any

from biocluster_kg.kernel.schema import SCHEMA

__all__ = ["basis_name", "basis_reason", "basis_text", "reasons_in_japanese"]


def basis_name(code: str, lang: str = "ja") -> str:
    """The basis's name in ``lang`` (記載, 図の配置, 推論 / stated, layout, inferred); the code
    itself when the vocabulary does not know it."""
    return SCHEMA.term_name("basis", code, lang)


def basis_text(code: Any, reason: Any, lang: str = "ja") -> str | None:
    """The basis's name, with the reason in brackets when there is one; None without a
    basis."""
    if not code:
        return None
    name = basis_name(str(code), lang)
    if not reason:
        return name
    return f"{name}（{reason}）" if lang == "ja" else f"{name} ({reason})"


def basis_reason(record: Any, lang: str = "ja") -> Any:
    """The reason for a record's basis in ``lang``: in Japanese ``basis_reason_ja`` where the
    data gives it (else the curator's ``basis_reason``), in English ``basis_reason``.

    >>> basis_reason({"basis_reason": "in the box", "basis_reason_ja": "枠の中"})
    '枠の中'
    >>> basis_reason({"basis_reason": "in the box", "basis_reason_ja": "枠の中"}, "en")
    'in the box'
    """
    if lang == "ja":
        return record.get("basis_reason_ja") or record.get("basis_reason")
    return record.get("basis_reason")


def reasons_in_japanese(records: Any) -> dict[str, str]:
    """English reason -> the data's Japanese one, over ``records`` (a knowledge base's
    nodes and relationships): what a store's answer, which carries the English
    ``basis_reason``, shows a Japanese reader.

    >>> reasons_in_japanese([{"basis_reason": "in the box", "basis_reason_ja": "枠の中"}])
    {'in the box': '枠の中'}
    """
    found: dict[str, str] = {}
    for record in records:
        english, japanese = record.get("basis_reason"), record.get("basis_reason_ja")
        if english and japanese:
            found.setdefault(str(english), str(japanese))
    return found
