"""Japanese fiscal years: 平成N年度 is the year from April (1988+N) to March (1989+N).

>>> heisei_label(2013)
'平成25年度'
>>> parse_fiscal_year("H24"), parse_fiscal_year("平成25年度"), parse_fiscal_year(2011)
(2012, 2013, 2011)
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["HEISEI_OFFSET", "heisei_label", "parse_fiscal_year"]

HEISEI_OFFSET = 1988
_HEISEI = re.compile(r"^(?:H|平成)\s*(\d{1,2})(?:年度?)?$")


def heisei_label(year: int) -> str:
    """The 平成 label of a Gregorian fiscal year (Heisei ran from 1989 to 2019)."""
    if not 1989 <= year <= 2019:
        raise ValueError(f"{year} is outside the Heisei era (1989-2019)")
    return f"平成{year - HEISEI_OFFSET}年度"


def parse_fiscal_year(value: object) -> int:
    """A fiscal year written as 2013, 'H25' or '平成25年度', as its Gregorian start year."""
    if isinstance(value, bool):
        raise ValueError("expected a year, not true/false")
    if isinstance(value, int):
        if not 1989 <= value <= 2019:
            raise ValueError(f"{value} is not a Heisei-era fiscal year (1989-2019)")
        return value
    if isinstance(value, str):
        match = _HEISEI.match(unicodedata.normalize("NFKC", value).strip())
        if match and 1 <= int(match.group(1)) <= 31:
            return int(match.group(1)) + HEISEI_OFFSET
    raise ValueError(f"expected a fiscal year like 2013, 'H25' or '平成25年度', got {value!r}")
