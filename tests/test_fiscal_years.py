"""Heisei and Reiwa fiscal years round-trip through every place a fiscal year is read or
printed: the parser, the stored ``*_ja`` labels a load computes, and the CLI's options."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from biocluster_kg.cli import cli
from biocluster_kg.kernel.fiscal import (
    era_label,
    era_short,
    fiscal_year_text,
    parse_fiscal_year,
)


@pytest.mark.parametrize("year", range(1926, 2101))
def test_every_label_reads_back_as_its_year(year: int) -> None:
    assert parse_fiscal_year(era_label(year)) == year
    assert parse_fiscal_year(era_short(year)) == year
    assert parse_fiscal_year(str(year)) == year
    assert parse_fiscal_year(f"{year}年度") == year


@pytest.mark.parametrize(
    ("written", "year"),
    [
        ("平成元年度", 1989),
        ("平成24年度", 2012),
        ("H25", 2013),
        ("Ｈ２５", 2013),  # full-width, as typed on a Japanese keyboard
        ("平成31年度", 2019),  # FY2019 budgets drafted before May 2019
        ("令和元年度", 2019),
        ("R1", 2019),
        ("令和5年度", 2023),
        ("r7", 2025),
        ("昭和63年度", 1988),
        ("西暦2013年度", 2013),
        ("FY2013", 2013),
    ],
)
def test_forms_people_write(written: str, year: int) -> None:
    assert parse_fiscal_year(written) == year


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("平成32年度", "past the end of the Heisei era"),
        ("昭和64年度", "past the end of the Showa era"),
        ("令和0年度", "year 0 of the Reiwa era, which does not exist"),
        ("R5年度度", "expected a fiscal year like"),
        ("2200", "not a fiscal year between 1926 and 2100"),
    ],
)
def test_impossible_years_are_refused(written: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_fiscal_year(written)


def test_fiscal_year_2019_prints_as_reiwa_gannen_with_the_gregorian_year() -> None:
    assert era_label(2019) == "令和元年度"
    assert era_label(2018) == "平成30年度"
    assert fiscal_year_text(2019) == "令和元年度（2019年度）"
    assert fiscal_year_text(2024, "en") == "FY2024 (R6)"


@pytest.mark.parametrize("written", ["令和5年度", "R5", "2023"])
def test_the_cli_takes_reiwa_years(written: str) -> None:
    # No fact of the shipped knowledge base is of FY2023: the filter is accepted and finds none.
    result = CliRunner().invoke(
        cli,
        ["export", "stakeholders", "--fiscal-year", written, "--format", "json"],
        catch_exceptions=False,
    )
    assert "Invalid value" not in result.output, result.output
