"""The font a figure is drawn in, chosen so that Japanese really reaches the page.

A figure in Japanese needs a font that has the glyphs (else matplotlib draws empty boxes,
"tofu") and, for PDF, one whose outlines matplotlib can embed: it embeds TrueType
(``glyf``) outlines as a Type 42 font, while the CFF outlines of OpenType fonts such as
Noto Sans CJK would be turned into Type 3 bitmaps-of-paths that some printers and text
extractors mishandle. So TrueType CJK fonts come first (Debian ``fonts-ipaexfont-gothic``),
CFF ones after them for SVG and PNG, where text is drawn as paths or pixels anyway.

>>> chosen = figure_font("en")
>>> chosen.lang, chosen.family[0]
('en', 'DejaVu Sans')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from biocluster_kg.kernel.errors import RenderError

__all__ = [
    "BUNDLED_FONT_FAMILY",
    "CJK_FONTS",
    "FigureFont",
    "bundled_font_path",
    "cjk_font",
    "figure_font",
    "has_truetype_outlines",
]

#: Fonts that draw Japanese, TrueType-outline ones first (see the module docstring).
CJK_FONTS: tuple[str, ...] = (
    "IPAexGothic",
    "IPAGothic",
    "IPAPGothic",
    "TakaoPGothic",
    "VL PGothic",
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "Source Han Sans JP",
    # The usual macOS and Windows Japanese fonts, for notebooks run there.
    "Hiragino Sans",
    "Hiragino Kaku Gothic ProN",
    "Yu Gothic",
    "Meiryo",
    "MS Gothic",
)

#: The Debian package named when no Japanese font is installed.
FONT_PACKAGE = "fonts-ipaexfont-gothic"

#: The PyPI package whose IPAexGothic is used when the system has no Japanese font.
BUNDLED_FONT_PACKAGE = "japanize-matplotlib"
#: The family name of the bundled font (as its ``name`` table gives it).
BUNDLED_FONT_FAMILY = "IPAexGothic"
_BUNDLED_FONT_FILE = ("fonts", "ipaexg.ttf")


@dataclass(frozen=True)
class FigureFont:
    """The language a figure is labelled in, the font family list and the font's file."""

    lang: str
    family: tuple[str, ...]
    path: str | None

    @property
    def embeddable(self) -> bool:
        """True if matplotlib can embed the font's outlines in a PDF (TrueType outlines)."""
        return self.path is None or has_truetype_outlines(self.path)


@lru_cache(maxsize=16)
def has_truetype_outlines(path: str) -> bool:
    """True if the font file at ``path`` (the first face of a collection) has ``glyf`` outlines.

    >>> import matplotlib.font_manager as fm
    >>> has_truetype_outlines(fm.findfont("DejaVu Sans"))
    True
    """
    from fontTools.ttLib import TTCollection, TTFont

    if Path(path).suffix.lower() == ".ttc":
        with TTCollection(path, lazy=True) as collection:
            return "glyf" in collection.fonts[0]
    with TTFont(path, lazy=True) as font:
        return "glyf" in font


@lru_cache(maxsize=1)
def bundled_font_path() -> str | None:
    """The file of the IPAexGothic that ``japanize-matplotlib`` ships, or None.

    Found from the package's import spec, so the package itself is never imported.

    >>> path = bundled_font_path()
    >>> path is None or path.endswith("ipaexg.ttf")
    True
    """
    import importlib.util

    try:
        spec = importlib.util.find_spec("japanize_matplotlib")
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder).joinpath(*_BUNDLED_FONT_FILE)
        if candidate.is_file():
            return str(candidate)
    return None


def _register_bundled() -> str | None:
    """The bundled font's file, added to matplotlib's font list (once) so its name resolves."""
    path = bundled_font_path()
    if path is None:
        return None
    from matplotlib import font_manager

    if all(entry.fname != path for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    return path


def _installed(*, refresh: bool = False) -> dict[str, str]:
    from matplotlib import font_manager

    if refresh:
        # matplotlib caches the font list on first use, so a font installed since then is
        # unknown to it until its files are added (public API; only files it lacks).
        known = {entry.fname for entry in font_manager.fontManager.ttflist}
        for path in sorted(font_manager.findSystemFonts()):
            if path not in known and path.lower().endswith((".ttf", ".otf", ".ttc")):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
    # Sorted so that two files declaring one family always resolve to the same file.
    found: dict[str, str] = {}
    for entry in sorted(font_manager.fontManager.ttflist, key=lambda e: (e.name, e.fname)):
        if entry.style == "normal" and entry.weight in (400, "normal", "regular"):
            found.setdefault(entry.name, entry.fname)
    return found


def cjk_font(
    *,
    for_pdf: bool = False,
    candidates: Iterable[str] = CJK_FONTS,
    bundled: bool = True,
) -> tuple[str, str] | None:
    """The family name and file of the Japanese font to use, or None if there is none.

    The first installed of ``candidates`` (for PDF, the first with TrueType outlines), else,
    with ``bundled``, the IPAexGothic of :func:`bundled_font_path`. The one place that
    chooses a Japanese font: figures, the notebooks' charts and the PDF report all ask here.
    """
    names = tuple(candidates)
    for refresh in (False, True):
        installed = _installed(refresh=refresh)
        for name in names:
            path = installed.get(name)
            if path is None or (for_pdf and not has_truetype_outlines(path)):
                continue
            return name, path
    if bundled:
        path = _register_bundled()
        if path is not None:
            return BUNDLED_FONT_FAMILY, path
    return None


def figure_font(
    lang: str, *, for_pdf: bool = False, candidates: Iterable[str] = CJK_FONTS
) -> FigureFont:
    """The font to draw a figure in ``lang`` with.

    English figures use matplotlib's own DejaVu Sans. Japanese ones use :func:`cjk_font`:
    the first installed of ``candidates`` (for PDF, the first with TrueType outlines), else
    the IPAexGothic that comes with the ``japanize-matplotlib`` dependency.

    Raises
    ------
    RenderError
        If ``lang`` is not ja or en, or no suitable Japanese font is installed nor bundled:
        the message names the Debian and PyPI packages that provide one. Nothing is drawn in
        boxes instead.
    """
    if lang not in ("ja", "en"):
        raise RenderError(f"unknown language {lang!r}; expected ja or en")
    if lang == "en":
        return FigureFont("en", ("DejaVu Sans",), None)
    names = tuple(candidates)
    found = cjk_font(for_pdf=for_pdf, candidates=names)
    if found is not None:
        name, path = found
        return FigureFont("ja", (name, "DejaVu Sans"), path)
    need = "with TrueType outlines, which a PDF can embed, " if for_pdf else ""
    raise RenderError(
        f"no font {need}that draws Japanese is installed (looked for {', '.join(names)}): "
        f"reinstall biocluster-kg with its dependency {BUNDLED_FONT_PACKAGE} "
        f"(pip install {BUNDLED_FONT_PACKAGE}), or install the Debian package {FONT_PACKAGE} "
        f"(apt-get install {FONT_PACKAGE}), or draw the figure with --lang en"
    )
