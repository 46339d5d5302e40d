"""Japanese fiscal years, written in the era the cluster's documents use.

A Japanese fiscal year (年度) runs from April to March and is named by the year it starts in.
Documents write it in an era: 平成N年度 starts in April 1988+N, 令和N年度 in April 2018+N
(元年 is year 1). Heisei ended on 30 April 2019, a month into FY2019, so FY2019 is written both
平成31年度 (budgets drafted before May 2019) and 令和元年度 (afterwards): both read as 2019, and
2019 prints as 令和元年度. The knowledge base stores the Gregorian starting year.

>>> era_label(2013), era_label(2019), era_label(2023)
('平成25年度', '令和元年度', '令和5年度')
>>> parse_fiscal_year("H24"), parse_fiscal_year("平成25年度"), parse_fiscal_year(2011)
(2012, 2013, 2011)
>>> parse_fiscal_year("平成31年度"), parse_fiscal_year("令和元年度"), parse_fiscal_year("R5")
(2019, 2019, 2023)
>>> parse_fiscal_year("2013年度"), parse_fiscal_year("FY2013"), parse_fiscal_year("西暦2013年度")
(2013, 2013, 2013)
>>> fiscal_year_text(2013), fiscal_year_text(2013, "en")
('平成25年度（2013年度）', 'FY2013 (H25)')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "ERAS",
    "ERA_BY_NAME",
    "HEISEI_OFFSET",
    "Era",
    "era_label",
    "era_short",
    "fiscal_year_text",
    "heisei_label",
    "parse_fiscal_year",
]


@dataclass(frozen=True)
class Era:
    """A Japanese era: its names and the Gregorian years of its first and last fiscal year."""

    name_ja: str
    letter: str
    name_en: str
    first: int
    last: int | None

    @property
    def offset(self) -> int:
        """Gregorian year = era year + offset."""
        return self.first - 1


#: The eras fiscal years are written in, oldest first. Showa's last fiscal year is 1988
#: (昭和63年度); Heisei's is 2019 (平成31年度), which Reiwa's first (令和元年度) also names.
ERAS: tuple[Era, ...] = (
    Era("昭和", "S", "Showa", 1926, 1988),
    Era("平成", "H", "Heisei", 1989, 2019),
    Era("令和", "R", "Reiwa", 2019, None),
)
#: Each era by its Japanese name and by its letter: 平成 and H name the same era.
ERA_BY_NAME = {era.name_ja: era for era in ERAS} | {era.letter: era for era in ERAS}

HEISEI_OFFSET = 1988
#: The range of Gregorian fiscal years accepted (a sanity bound, not a calendar fact).
EARLIEST, LATEST = 1926, 2100

_ERA_PATTERN = re.compile(r"^(昭和|平成|令和|[SHR])\s*(元|\d{1,2})\s*(?:年度?)?$", re.IGNORECASE)
_GREGORIAN_PATTERN = re.compile(r"^(?:西暦|FY)?\s*(\d{4})\s*(?:年度?)?$", re.IGNORECASE)


def _era_of(year: int) -> Era:
    # The newest era that covers the year: 2019 is Reiwa's first fiscal year.
    for era in reversed(ERAS):
        if year >= era.first and (era.last is None or year <= era.last):
            return era
    raise ValueError(f"{year} is before the Showa era (from 1926)")


def era_label(year: int) -> str:
    """The era label of a Gregorian fiscal year: ``平成25年度``, ``令和元年度``."""
    era = _era_of(year)
    number = year - era.offset
    return f"{era.name_ja}{'元' if number == 1 else number}年度"


def era_short(year: int) -> str:
    """The short form documents use in tables: ``H25``, ``R1``."""
    era = _era_of(year)
    return f"{era.letter}{year - era.offset}"


def heisei_label(year: int) -> str:
    """The label a stored fiscal year is written with (kept under its old name: the stored
    ``*_ja`` properties); every era, not only Heisei, since Reiwa documents arrive."""
    return era_label(year)


def fiscal_year_text(year: int, lang: str = "ja") -> str:
    """A fiscal year for people: era first with the Gregorian year beside it (ja), or the
    Gregorian year with the era's short form (en)."""
    if lang == "ja":
        return f"{era_label(year)}（{year}年度）"
    return f"FY{year} ({era_short(year)})"


def _check_range(year: int) -> int:
    if not EARLIEST <= year <= LATEST:
        raise ValueError(f"{year} is not a fiscal year between {EARLIEST} and {LATEST}")
    return year


def parse_fiscal_year(value: object) -> int:
    """A fiscal year written as 2013, ``'2013年度'``, ``'FY2013'``, ``'H25'``,
    ``'平成25年度'``, ``'R5'`` or ``'令和元年度'``, as its Gregorian starting year."""
    if isinstance(value, bool):
        raise ValueError("expected a year, not true/false")
    if isinstance(value, int):
        return _check_range(value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        match = _ERA_PATTERN.match(text)
        if match:
            era = ERA_BY_NAME[
                match.group(1).upper() if len(match.group(1)) == 1 else match.group(1)
            ]
            number = 1 if match.group(2) == "元" else int(match.group(2))
            year = number + era.offset
            last = era.last if era.last is not None else LATEST
            if number < 1:
                raise ValueError(
                    f"{value!r} names year 0 of the {era.name_en} era, which does not exist: "
                    f"an era's first year is 元年 (1), as in {era.name_ja}元年度"
                )
            if year <= last:
                return year
            raise ValueError(f"{value!r} is past the end of the {era.name_en} era")
        match = _GREGORIAN_PATTERN.match(text)
        if match:
            return _check_range(int(match.group(1)))
    raise ValueError(
        "expected a fiscal year like 2013, 'H25', '平成25年度', 'R5' or '令和元年度', "
        f"got {value!r}"
    )
