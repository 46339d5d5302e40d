"""biocluster figure: real matplotlib renders of the shipped data, read back with fontTools,
poppler's pdffonts/pdftotext and pixel counts; the CLI through CliRunner."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from poppler_support import embedded_fonts, pdf_text

from biocluster_kg.app.report import write_figure
from biocluster_kg.cli import cli
from biocluster_kg.graph.figures import figure_bytes_for
from biocluster_kg.graph.figures.data import budget_leaves, budget_lines, year_series
from biocluster_kg.graph.figures.fonts import figure_font
from biocluster_kg.kernel.cluster import load_cluster_profile

PROFILE = load_cluster_profile()


def _ink(png: bytes) -> float:
    """Share of pixels that are not white."""
    from matplotlib import image

    pixels = image.imread(io.BytesIO(png), format="png")[..., :3]
    return float((pixels.sum(axis=2) < 2.9).mean())


@pytest.mark.parametrize(
    ("kind", "options"),
    [("network", {}), ("network", {"by_sector": True}), ("budget", {}), ("education", {})],
)
@pytest.mark.parametrize("file_format", ["svg", "pdf"])
def test_same_data_gives_the_same_bytes(shipped_kb, kind, options, file_format):
    first = figure_bytes_for(kind, shipped_kb, profile=PROFILE, file_format=file_format, **options)
    second = figure_bytes_for(kind, shipped_kb, profile=PROFILE, file_format=file_format, **options)
    assert first == second
    assert b"CreationDate" not in first and b"<dc:date>" not in first


def test_svg_text_is_drawn_as_paths(shipped_kb):
    svg = figure_bytes_for("budget", shipped_kb, profile=PROFILE, file_format="svg")
    assert b"<text" not in svg and b"<path" in svg


def test_budget_pieces_add_up_to_the_stated_total(shipped_kb):
    lines = budget_lines(shipped_kb, PROFILE.budget_root)
    assert lines[0].stated == 380067
    assert sum(leaf.total or 0 for leaf in budget_leaves(lines)) == 380067


def test_pdf_figures_embed_a_cjk_truetype_font_and_their_text_reads_back(shipped_kb, tmp_path):
    for kind in ("network", "budget", "education"):
        target = write_figure(kind, tmp_path / f"{kind}.pdf", kb=shipped_kb, profile=PROFILE)
        fonts = embedded_fonts(target)
        cjk = [f for f in fonts if "IPAex" in f["name"] or "CJK" in f["name"]]
        assert cjk and all(f["embedded"] == "yes" for f in fonts), fonts
        assert all(f["type"] != "Type 3" for f in cjk), fonts
        text = pdf_text(target)
        # The text extracts as Japanese: the glyphs map back to characters, no tofu boxes.
        expected = {
            "network": "協働ネットワーク",
            "budget": "380,067 千円",
            "education": "平成23年度",
        }
        assert expected[kind] in text, (kind, text[:400])


def test_every_japanese_character_drawn_is_in_the_font(shipped_kb):
    from fontTools.ttLib import TTFont

    font = figure_font("ja", for_pdf=True)
    assert font.path is not None
    covered = set(TTFont(font.path, lazy=True).getBestCmap())
    names = [line.name_ja for line in budget_lines(shipped_kb, PROFILE.budget_root)]
    names += [series.name_ja for series in year_series(shipped_kb)]
    names += [str(n.get("name_ja")) for n in shipped_kb.nodes.values() if n.label != "Program"]
    missing = {ch for name in names for ch in name if ord(ch) > 0x2000 and ord(ch) not in covered}
    assert not missing, sorted(missing)


def test_png_figures_are_not_blank_and_japanese_is_wider_than_english(shipped_kb):
    japanese = figure_bytes_for("education", shipped_kb, profile=PROFILE, file_format="png")
    english = figure_bytes_for(
        "education", shipped_kb, profile=PROFILE, file_format="png", lang="en"
    )
    assert 0.02 < _ink(japanese) < 0.6
    assert japanese != english


def test_around_draws_fewer_actors_than_the_whole(shipped_kb):
    whole = figure_bytes_for("network", shipped_kb, profile=PROFILE, file_format="svg")
    around = figure_bytes_for(
        "network", shipped_kb, profile=PROFILE, file_format="svg", around="慶應先端研", depth=1
    )
    assert len(around) < len(whole)


def test_cli_writes_a_figure_and_prints_its_path(tmp_path):
    target = tmp_path / "out" / "sectors.svg"
    result = CliRunner().invoke(
        cli, ["figure", "network", "--by-sector", "-o", str(target)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(target)
    assert target.read_bytes().startswith(b"<?xml")


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["budget", "-o", "x.jpg"], 1, "cannot tell the figure format of 'x.jpg'"),
        (["network", "--depth", "2", "-o", "x.svg"], 2, "--depth needs --around NAME"),
        (["budget", "--by-sector", "-o", "x.svg"], 2, "apply to the network figure"),
        (
            ["network", "--around", "どこにもない", "-o", "x.svg"],
            1,
            "no actor is called 'どこにもない'",
        ),
    ],
)
def test_cli_errors_name_what_is_wrong(tmp_path, arguments, code, message):
    result = CliRunner().invoke(cli, ["figure", *arguments], catch_exceptions=False)
    assert result.exit_code == code
    assert message in result.output
    assert not (tmp_path / "x.svg").exists()
