"""Numbers in one line of Japanese text, each with its exact span: amounts, counts, years
and dates, told apart as the source writes them.

- **amounts** in thousand yen (千円, 万円 and 億円 converted) and **ranges** (500万円～3億円);
- **counts** (名, 人, 件, 社, 校, 機関, 団体) with the counter as written;
- **fiscal years** (令和6年度, 2024年度, and the slides' short forms H25, R6) apart from
  **calendar years** (令和4年, 2019年);
- **dates**: a month joined to the year written before it (令和5年4月 -> 2023-04); a month
  written alone takes the year the reader passes (the document's own year), and is left
  out when there is none rather than proposed without a year;
- **as-of dates** (令和5年4月現在, 2024年3月末時点) as ``as_of``.

>>> [(n.kind, n.value) for n in find_numbers("令和5年4月現在、R6：企業5社、3000万円～3億円")]
[('as_of', '2023-04'), ('fiscal_year', 2024), ('count', 5), ('amount_range', [30000, 300000])]
>>> [(n.kind, n.value) for n in find_numbers("2019年から、令和6年度予算 1,200千円（6月）", 2024)]
[('calendar_year', 2019), ('fiscal_year', 2024), ('amount', 1200), ('date', '2024-06')]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from biocluster_kg.kernel.fiscal import parse_fiscal_year

__all__ = ["Number", "find_numbers", "era_year"]

_NUMBER = r"(\d[\d,，]*(?:[.．]\d+)?)"
_YEN_UNITS = {"千円": 1, "万円": 10, "億円": 100_000}
_OKU_MAN = re.compile(rf"{_NUMBER}\s*億\s*{_NUMBER}\s*万円")  # 1億2,000万円
_AMOUNT = re.compile(rf"{_NUMBER}\s*(千円|万円|億円)")
_RANGE = re.compile(rf"{_NUMBER}\s*(千円|万円|億円)?\s*[～〜~\-－]\s*{_NUMBER}\s*(千円|万円|億円)")
_COUNT = re.compile(rf"(?<![\d第]){_NUMBER}\s*(名|人|件|社|校|機関|団体)(?!長)")
_ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
_ERA = r"(?:明治|大正|昭和|平成|令和)\s*(?:元|\d{1,2})"
_YEAR = rf"(?:{_ERA}|(?:19|20)\d{{2}})"
_FISCAL = re.compile(rf"{_YEAR}\s*年度|(?<![A-Za-z])[HRＨＲ]\s*\d{{1,2}}(?![\d年])(?:\s*年度)?")
_DATE = re.compile(
    rf"(?:(?P<year>{_YEAR})\s*年\s*)?(?P<month>\d{{1,2}})\s*月(?:\s*(?P<day>\d{{1,2}})\s*日)?"
    r"(?P<asof>\s*(?:末|初め|初)?\s*(?:現在|時点))?"
)
_CALENDAR = re.compile(rf"(?P<year>{_YEAR})\s*年(?!度|\s*\d{{1,2}}\s*月)")


@dataclass(frozen=True)
class Number:
    """A number of the line: kind, value, span as written and where it starts."""

    kind: str
    value: Any
    span: str
    start: int


def _number(text: str) -> float:
    return float(unicodedata.normalize("NFKC", text).replace(",", "").replace("，", ""))


def _thousand_yen(number: str, unit: str) -> int:
    return round(_number(number) * _YEN_UNITS[unit])


def era_year(text: str) -> int:
    """The Gregorian year of 令和5, 平成元, 2019 (a year as the patterns above read it)."""
    text = unicodedata.normalize("NFKC", text).replace(" ", "")
    for era, offset in _ERAS.items():
        if text.startswith(era):
            number = text[len(era) :]
            return offset + (1 if number == "元" else int(number))
    return int(text)


def find_numbers(line: str, year: int | None = None) -> list[Number]:
    """Every number of ``line`` in order; ``year`` is the fiscal year a month written alone
    belongs to (January to March fall in the next calendar year)."""
    found: list[Number] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, value: Any, match: re.Match[str], group: int | str = 0) -> None:
        start, end = match.start(group), match.end(group)
        if all(end <= s or start >= e for s, e in taken):
            taken.append((start, end))
            found.append(Number(kind, value, match.group(group), start))

    for match in _OKU_MAN.finditer(line):
        oku, man = _number(match.group(1)), _number(match.group(2))
        add("amount", round(oku * 100_000 + man * 10), match)
    for match in _RANGE.finditer(line):
        low_unit = match.group(2) or match.group(4)
        bounds = [
            _thousand_yen(match.group(1), low_unit),
            _thousand_yen(match.group(3), match.group(4)),
        ]
        add("amount_range", bounds, match)
    for match in _AMOUNT.finditer(line):
        add("amount", _thousand_yen(match.group(1), match.group(2)), match)
    for match in _DATE.finditer(line):
        month, day = int(match.group("month")), match.group("day")
        if not 1 <= month <= 12 or (day is not None and not 1 <= int(day) <= 31):
            continue
        if match.group("year"):
            written_year: int | None = era_year(match.group("year"))
        elif year is not None:
            written_year = year + 1 if month <= 3 else year
        else:
            continue  # a month with no year to join it to: no half a date
        date = f"{written_year}-{month:02d}" + (f"-{int(day):02d}" if day else "")
        add("as_of" if match.group("asof") else "date", date, match)
    for match in _FISCAL.finditer(line):
        try:
            value = parse_fiscal_year(re.sub(r"\s", "", match.group(0)))
        except ValueError:
            continue
        add("fiscal_year", value, match)
    for match in _CALENDAR.finditer(line):
        add("calendar_year", era_year(match.group("year")), match)
    for match in _COUNT.finditer(line):
        add("count", round(_number(match.group(1))), match)
    return sorted(found, key=lambda n: n.start)
