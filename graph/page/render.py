"""The page as one self-contained HTML document: template, inlined assets, CSP.

The page comes from this package's own template (``graph/templates/network_page.html``),
because pyvis's templates link bootstrap, tom-select and vis-network from CDNs.
vis-network's standalone build is read at render time from the pyvis wheel
(``pyvis/lib/vis-9.1.2``) and inlined, with this package's script and style
(``graph/assets/``). The page makes no request at all: a Content Security Policy of
``default-src 'none'`` with hashed scripts enforces it, which also stops inline event
handlers (``onerror=...``) from running even if markup ever slipped through.

Data text never reaches the page as markup: it travels in one JSON block
(:func:`_script_json`) and the template is rendered with autoescaping on.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from biocluster_kg.graph.page import styles as page_styles
from biocluster_kg.graph.page.cards import PageBuilder
from biocluster_kg.graph.page.options import (
    EDGE_LABEL_LIMIT,
    LAYOUT_BUDGET_MS,
    NODE_CAP,
    Focus,
    View,
    check_options,
    is_big,
    vis_options,
)
from biocluster_kg.graph.page.selection import select_subgraph
from biocluster_kg.graph.page.views import aggregated_view, full_view
from biocluster_kg.kernel.cluster import ClusterProfile
from biocluster_kg.kernel.errors import RenderError
from biocluster_kg.kernel.files import atomic_write
from biocluster_kg.kernel.fiscal import fiscal_year_text
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.names import CLOSE_CUTOFF, HEAD_MIN_CHARS, HEAD_WEIGHT
from biocluster_kg.kernel.schema import SCHEMA

__all__ = ["VIS_VERSION", "render_network_page", "search_hint", "write_network_page"]

#: The vis-network build inlined from the pyvis wheel.
VIS_VERSION = "9.1.2"

_VIS_FILES = ("vis-network.min.js", "vis-network.css")


def _package_text(folder: str, name: str) -> str:
    try:
        return (resources.files("biocluster_kg.graph") / folder / name).read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise RenderError(f"the page's {folder}/{name} is missing from the package") from error


def _vis_assets() -> tuple[str, str]:
    """vis-network's standalone script and style, from the pyvis wheel."""
    try:
        folder = resources.files("pyvis") / "lib" / f"vis-{VIS_VERSION}"
        script, style = ((folder / name).read_text(encoding="utf-8") for name in _VIS_FILES)
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise RenderError(
            f"vis-network {VIS_VERSION} was not found in the pyvis package (pyvis==0.3.2 ships "
            f"it in pyvis/lib/vis-{VIS_VERSION}); reinstall pyvis"
        ) from error
    return script, style


def _inline(text: str, tag: str) -> str:
    """Text that cannot end its ``<script>``/``<style>`` element early.

    >>> _inline('a = "</SCRIPT>";', "script")
    'a = "<\\\\/SCRIPT>";'
    """
    closing = f"</{tag}"
    lowered = text.lower()
    pieces, start = [], 0
    while (found := lowered.find(closing, start)) != -1:
        pieces.append(text[start:found] + "<\\/" + text[found + 2 : found + len(closing)])
        start = found + len(closing)
    pieces.append(text[start:])
    return "".join(pieces)


def _script_json(data: Any) -> str:
    """JSON safe inside an HTML ``<script>`` element: no ``<``, ``>``, ``&`` or U+2028/9.

    >>> _script_json({"name": "</script><!--"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def search_hint(kb: KnowledgeBase, profile: ClusterProfile, lang: str) -> str:
    """The search box's example: the shortest Japanese and the shortest Latin name of the
    cluster's institute (``慶應先端研``, ``IAB``), so the hint is this cluster's own; empty
    when the workspace names no institute the knowledge base has.

    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:lab", "Organization", {"name_ja": "白砂研究所",
    ...     "name_en": "Shirasuna Lab", "aliases": ["白砂研"], "known_as": ["SL"]}))
    >>> search_hint(kb, ClusterProfile(institute_id="org:lab"), "ja")
    '例: 白砂研、SL'
    >>> search_hint(kb, ClusterProfile(), "en")
    ''
    """
    node = kb.nodes.get(profile.institute_id) if profile.institute_id else None
    if node is None:
        return ""
    names = [
        str(name)
        for name in (
            node.get("name_ja"),
            node.get("name_en"),
            *(node.get("aliases") or []),
            *(node.get("known_as") or []),
        )
        if name
    ]
    japanese = sorted((n for n in names if not n.isascii()), key=len)[:1]
    latin = sorted((n for n in names if n.isascii()), key=len)[:1]
    examples = [*japanese, *latin]
    if not examples:
        return ""
    return ("例: " + "、".join(examples)) if lang == "ja" else ("e.g. " + ", ".join(examples))


def render_network_page(
    kb: KnowledgeBase,
    *,
    lang: str = "ja",
    around: str | None = None,
    depth: int = 1,
    sectors: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    measures: Mapping[str, float] | None = None,
    view: View = "auto",
    focus: Focus = "actors",
    max_nodes: int = NODE_CAP,
    layout_budget_ms: int = LAYOUT_BUDGET_MS,
    profile: ClusterProfile | None = None,
) -> str:
    """The collaboration network as one self-contained HTML document.

    Parameters
    ----------
    kb : KnowledgeBase
        The knowledge base to draw.
    lang : {'ja', 'en'}
        Language of labels, legend and controls (tooltips show both names).
    around, depth : str, int
        Ego view: only nodes within ``depth`` steps of the node ``around`` names
        (id, Japanese or English name, or alias; NFKC, case-insensitive).
    sectors, types : iterable of str
        Keep only these sectors (:data:`biocluster_kg.kernel.schema.SECTORS`) and relationship
        types.
    measures : mapping of node id to float, optional
        Brokerage scores that size the nodes; by default the nodes' ``betweenness``
        (else ``bridge_score``) properties.
    view : {'auto', 'full', 'aggregated'}
        ``auto`` aggregates above ``max_nodes`` nodes.
    focus : {'actors', 'all'}
        What the page shows first: the actors (the schema's actor labels) and the centre of
        an ego view, with a switch that shows the other kinds; or every node. The page
        holds every node either way.
    max_nodes : int
        The size cap.
    layout_budget_ms : int
        The page stops the layout this long after its script starts, done or not.
    profile : ClusterProfile, optional
        The cluster whose title heads the page and whose institute the search box offers
        as an example (the session passes its workspace's). Without one the page names no
        cluster: it never borrows the shipped workspace's.

    Returns
    -------
    str
        The page. It loads nothing from anywhere.

    Raises
    ------
    RenderError
        For an unknown language, sector, type or name, or a bad depth or view.

    Examples
    --------
    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:x", "Organization", {"name_ja": "<b>社</b>", "name_en": "X",
    ...     "sector": "industry", "kind": "company"}))
    >>> page = render_network_page(kb, lang="en")
    >>> "<b>社</b>" in page, "\\\\u003cb\\\\u003e社" in page
    (False, True)
    """
    check_options(lang, view, max_nodes, layout_budget_ms, focus)
    if profile is None:
        profile = ClusterProfile()
    subgraph = select_subgraph(kb, around=around, depth=depth, sectors=sectors, types=types)
    builder = PageBuilder(kb, subgraph, lang, measures, profile)
    texts = builder.texts
    texts["search_placeholder"] = search_hint(kb, profile, lang)
    node_count, edge_count = len(subgraph.nodes), len(subgraph.relationships)
    aggregated = view == "aggregated" or (view == "auto" and node_count > max_nodes)
    shown = aggregated_view(builder) if aggregated else full_view(builder)
    big = is_big(len(shown.nodes), len(shown.edges))

    notices = []
    if aggregated and node_count > max_nodes:
        notices.append(texts["notice_aggregated"].format(nodes=node_count, cap=max_nodes))
    elif aggregated:
        # Asked for, not forced by the cap: say so, not that a cap was passed.
        notices.append(
            texts["notice_aggregated_chosen"].format(nodes=node_count, groups=len(shown.nodes))
        )
    elif node_count > max_nodes:
        notices.append(
            texts["notice_large"].format(
                nodes=node_count, cap=max_nodes, seconds=layout_budget_ms / 1000
            )
        )
    if big:
        notices.append(texts["notice_simplified"])
    summary = texts["summary"].format(nodes=node_count, edges=edge_count)
    if (node_count, edge_count) != (len(kb.nodes), len(kb.relationships)):
        summary += texts["summary_of"].format(nodes=len(kb.nodes), edges=len(kb.relationships))
    ego = None
    if subgraph.center is not None:
        wording = texts["ego_one"] if depth == 1 else texts["ego"]
        ego = wording.format(name=builder.name(subgraph.center), depth=depth)
    if aggregated:
        size_text = texts["size_count"]
    elif builder.measure_name:
        size_text = texts["size_measure"].format(measure=builder.measure_title)
    else:
        size_text = texts["size_none"]
    legend = page_styles.legend(builder, shown)
    years = [(year, fiscal_year_text(year, lang)) for year in legend["years"]]
    others = sum(1 for n in shown.nodes if not n.get("actor") and n["id"] != subgraph.center)
    actor_names = "、" if lang == "ja" else ", "
    texts["actors_only"] = texts["actors_only"].replace(
        "{labels}", actor_names.join(builder.label_name(label) for label in SCHEMA.actor_labels)
    )

    edge_labels = len(shown.edges) <= EDGE_LABEL_LIMIT
    source_titles = builder.source_titles()
    page_data: dict[str, Any] = {
        "lang": lang,
        "mode": shown.mode,
        "texts": {key: value for key, value in texts.items() if not key.startswith("notice_")},
        "nodes": shown.nodes,
        "edges": shown.edges,
        "edgeStyles": page_styles.edge_styles(builder, big),
        "sources": source_titles,
        "search": shown.search,
        "center": subgraph.center,
        "counts": {"nodes": node_count, "edges": edge_count},
        "options": vis_options(shown),
        "layoutBudgetMs": layout_budget_ms,
        "edgeLabels": edge_labels,
        "focus": focus,
        # The name layer's floor for a close spelling: the page's did-you-mean uses it too.
        "closeCutoff": CLOSE_CUTOFF,
        "headWeight": HEAD_WEIGHT,
        "headMinChars": HEAD_MIN_CHARS,
    }
    vis_script, vis_style = _vis_assets()
    scripts = [
        _inline(vis_script, "script"),
        _inline(_package_text("assets", "network_page.js"), "script"),
    ]
    styles = [
        _inline(vis_style, "style"),
        _inline(_package_text("assets", "network_page.css"), "style"),
    ]
    csp = "; ".join(
        (
            "default-src 'none'",
            "script-src " + " ".join(_sha256(script) for script in scripts),
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )

    from jinja2 import Environment

    environment = Environment(autoescape=True, keep_trailing_newline=True)
    template = environment.from_string(_package_text("templates", "network_page.html"))
    return template.render(
        lang=lang,
        texts=texts,
        csp=csp,
        styles=styles,
        scripts=scripts,
        data_json=_script_json(page_data),
        summary=summary,
        ego=ego,
        notices=notices,
        legend=legend,
        size_text=size_text,
        sources=[title for title in source_titles if title],
        mode=shown.mode,
        edge_labels=edge_labels,
        years=years,
        others=others,
        focus=focus,
    )


def write_network_page(kb: KnowledgeBase, path: str | Path, **options: Any) -> Path:
    """Render the page (see :func:`render_network_page` for ``options``) and write it as
    UTF-8 to ``path``, creating its folder. Returns the path written.

    >>> import tempfile
    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:x", "Organization", {"name_ja": "鶴岡市", "name_en": "Tsuruoka",
    ...     "sector": "government"}))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = write_network_page(kb, Path(folder) / "out" / "network.html")
    ...     "鶴岡市" in written.read_text(encoding="utf-8")
    True
    """
    page = render_network_page(kb, **options)
    # Written whole or not at all: a full disk keeps the old page, never a truncated one.
    return atomic_write(Path(path), page.encode("utf-8"), error=RenderError, what="network page")
