"""The budget as a tree: its lines, their totals, its reconciliation and its funding routes.

The one place Python computes budget totals from the knowledge base and from the store's
``budget_tree`` answer (the notebooks, the charts). A line's total is its stated amount or,
failing that, the sum of its nearest parts that state one; a breakdown (内訳) is a second,
independent split of its line and must total what the line totals. The root is the
workspace's ``budget_root`` (the cluster profile its caller passes) unless one is given.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> for node_id, amount in (("prog:b", 30), ("prog:x", 10), ("prog:y", 20)):
...     kb.add_node(Node(node_id, "Program", {"name_ja": node_id, "amount_thousand_yen": amount}))
>>> for part in ("prog:x", "prog:y"):
...     kb.add_relationship(Relationship(f"p:{part}", "PART_OF", part, "prog:b", {}))
>>> funding_flows(kb, "prog:b")["amount_thousand_yen"].tolist()
[10, 20]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from biocluster_kg.kernel.errors import BioclusterError
from biocluster_kg.kernel.schema import SCHEMA

if TYPE_CHECKING:
    from biocluster_kg.kernel.cluster import ClusterProfile
    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = [
    "budget_root",
    "order_budget_tree",
    "budget_text_tree",
    "budget_checks",
    "funding_flows",
    "node_name",
]

# What the schema says a part-of and a breakdown are, rather than type names typed here.
_PART_TYPES = frozenset(SCHEMA.types_meaning("part_of"))
_BREAKDOWN_TYPES = frozenset(SCHEMA.types_meaning("breakdown"))


def budget_root(root_id: str | None, profile: ClusterProfile | None) -> str:
    """``root_id``, else ``profile``'s budget root; an error if there is neither.

    ``profile`` None means no cluster (never the shipped workspace's): the caller must
    then name the root.

    >>> from biocluster_kg.kernel.cluster import ClusterProfile
    >>> budget_root(None, ClusterProfile(budget_root="prog:b"))
    'prog:b'
    >>> budget_root(None, None)
    Traceback (most recent call last):
    ...
    biocluster_kg.kernel.errors.BioclusterError: the cluster profile names no budget_root; \
give the root line's id
    """
    if root_id is not None:
        return root_id
    root = profile.budget_root if profile is not None else None
    if root is None:
        raise BioclusterError("the cluster profile names no budget_root; give the root line's id")
    return root


def node_name(kb_or_graph: Any, node_id: str, lang: str = "ja") -> str:
    """A node's name in ``lang`` (a Node or a networkx attribute dict: both have get())."""
    data = kb_or_graph.nodes[node_id]
    return str(data.get(f"name_{lang}") or data.get("name_ja") or node_id)


def order_budget_tree(rows: pd.DataFrame, kb: KnowledgeBase, root_id: str) -> pd.DataFrame:
    """The rows of the library question ``budget_tree`` in the source's order.

    Each line comes under its parent, parts before the alternative breakdowns, by the cited
    line numbers of ``kb``. ``line`` is the name indented by depth, with the outline number;
    ``link`` says whether a line is a ``part`` of its parent or one item of a ``breakdown``
    (内訳) of it; ``total_thousand_yen`` is the stated amount or, failing that, the sum of
    the parts.
    """
    if rows.empty:
        raise BioclusterError(f"no budget line {root_id!r} in the store")
    records = {str(record["line_id"]): record for record in rows.to_dict("records")}
    children: dict[str | None, list[str]] = defaultdict(list)
    for line_id, record in records.items():
        parent = record["parent_id"]
        children[None if pd.isna(parent) else str(parent)].append(line_id)

    def order(line_id: str) -> tuple[bool, int, str]:
        node = kb.nodes.get(line_id)
        span_line = node.get("span_line") if node is not None else None
        breakdown = records[line_id]["link"] == "breakdown"
        return (breakdown, span_line if isinstance(span_line, int) else 1 << 30, line_id)

    ordered: list[str] = []
    seen: set[str] = set()
    stack = [root_id]
    while stack:
        line_id = stack.pop()
        if line_id in seen:
            continue
        seen.add(line_id)
        ordered.append(line_id)
        stack.extend(sorted(children.get(line_id, []), key=order, reverse=True))

    table = rows.set_index("line_id").loc[ordered].reset_index()

    def label(record: Mapping[Any, Any]) -> str:
        number = record["number_label"]
        prefix = "" if pd.isna(number) else f"{number} "
        breakdown = record["link"] == "breakdown" and not str(record["name_ja"]).startswith("内訳")
        marker = "［内訳］" if breakdown else ""
        return "\u3000" * int(record["depth"]) + marker + prefix + str(record["name_ja"])

    table.insert(1, "line", [label(record) for record in table.to_dict("records")])
    return table


def _amount(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def budget_text_tree(tree: pd.DataFrame, lang: Literal["ja", "en"] = "ja") -> str:
    """The budget tree as text: amounts in 千円 on the left, the outline on the right.

    A stated amount is printed as is; ``(…)`` is the sum of the parts where the source
    states none; ``内訳``/``breakdown`` marks an alternative split of its parent.
    """
    if lang not in ("ja", "en"):
        raise BioclusterError(f"unknown language {lang!r}; expected ja or en")
    records = tree.to_dict("records")
    index = {str(record["line_id"]): record for record in records}
    last_child: dict[str, str] = {}
    for record in records:
        if not pd.isna(record["parent_id"]):
            last_child[str(record["parent_id"])] = str(record["line_id"])

    def is_last(line_id: str) -> bool:
        parent = index[line_id]["parent_id"]
        return pd.isna(parent) or last_child.get(str(parent)) == line_id

    lines = []
    for record in records:
        line_id = str(record["line_id"])
        stated, total = (
            _amount(record["stated_thousand_yen"]),
            _amount(record["total_thousand_yen"]),
        )
        # Digits line up: a sum of parts is the same number in brackets.
        if stated is not None:
            amount = f"{stated:>9,} "
        elif total is not None:
            amount = f"{f'({total:,})':>10}"
        else:
            amount = " " * 10
        ancestors = []
        current = record["parent_id"]
        while not pd.isna(current) and str(current) in index:
            ancestors.append(str(current))
            current = index[str(current)]["parent_id"]
        # One column per ancestor below the root: a bar while that ancestor has more children.
        trunk = "".join("   " if is_last(a) else "│  " for a in reversed(ancestors[:-1]))
        branch = "" if pd.isna(record["parent_id"]) else ("└─ " if is_last(line_id) else "├─ ")
        number = "" if pd.isna(record["number_label"]) else f"{record['number_label']} "
        name = record["name_ja"] if lang == "ja" else record["name_en"]
        marker = ""
        if record["link"] == "breakdown" and not str(name).startswith("内訳"):
            marker = "内訳: " if lang == "ja" else "breakdown: "
        lines.append(f"{amount}  {trunk}{branch}{marker}{number}{name}")
    unit = "千円" if lang == "ja" else "thousand yen"
    return f"{unit:>10}\n" + "\n".join(lines)


def budget_checks(tree: pd.DataFrame) -> pd.DataFrame:
    """Reconcile the budget against the source's own totals, from the tree's amounts.

    Two rules, applied to every line:

    ``parts``
        A line with a stated amount equals the sum of its nearest parts with a stated
        amount (the outline below it). The store's ``parts_total_thousand_yen`` must
        agree with the sum computed here.
    ``breakdown``
        Each alternative breakdown (内訳) of a line totals what the line totals.

    Returns one row per check, with the amounts added (``parts``) and ``agrees``.
    """
    records = {str(record["line_id"]): record for record in tree.to_dict("records")}
    parts: dict[str, list[str]] = defaultdict(list)
    breakdowns: dict[str, list[str]] = defaultdict(list)
    for line_id, record in records.items():
        if pd.isna(record["parent_id"]):
            continue
        target = breakdowns if record["link"] == "breakdown" else parts
        target[str(record["parent_id"])].append(line_id)

    def stated(line_id: str) -> int | None:
        return _amount(records[line_id]["stated_thousand_yen"])

    def nearest_stated(line_id: str) -> list[str]:
        found = []
        for child in parts.get(line_id, []):
            found.extend([child] if stated(child) is not None else nearest_stated(child))
        return found

    def total(line_id: str) -> tuple[int | None, list[str]]:
        own = stated(line_id)
        if own is not None:
            return own, [line_id]
        below = nearest_stated(line_id)
        if not below:
            return None, []
        return sum(stated(line) or 0 for line in below), below

    rows = []
    for line_id, record in records.items():
        own = stated(line_id)
        below = nearest_stated(line_id)
        if own is not None and below:
            computed = sum(stated(line) or 0 for line in below)
            from_store = _amount(record["parts_total_thousand_yen"])
            rows.append(
                [
                    line_id,
                    record["name_ja"],
                    "parts",
                    own,
                    computed,
                    " + ".join(f"{stated(line):,}" for line in below),
                    own - computed,
                    own == computed and from_store == computed,
                ]
            )
        for breakdown in breakdowns.get(line_id, []):
            expected, lines = total(line_id)
            got, _ = total(breakdown)
            if expected is None or got is None:
                continue
            rows.append(
                [
                    breakdown,
                    f"{records[breakdown]['name_ja']} ⇔ {record['name_ja']}",
                    "breakdown",
                    got,
                    expected,
                    " + ".join(f"{stated(line):,}" for line in lines),
                    got - expected,
                    got == expected,
                ]
            )
    columns = ["line_id", "line", "check", "stated", "computed", "parts", "difference", "agrees"]
    table = pd.DataFrame(rows, columns=columns)
    return table.convert_dtypes(dtype_backend="numpy_nullable")


def _budget_structure(
    kb: KnowledgeBase, root_id: str
) -> tuple[dict[str, list], dict[str, tuple[str, str]]]:
    """Children (with link) and parent of every programme in the tree under ``root_id``."""
    children: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for rel in kb.relationships.values():
        if rel.type in _PART_TYPES or rel.type in _BREAKDOWN_TYPES:
            link = "breakdown" if rel.type in _BREAKDOWN_TYPES else "part"
            children[rel.end].append((rel.start, link))
    parent: dict[str, tuple[str, str]] = {}
    stack = [root_id]
    while stack:
        line = stack.pop()
        for child, link in children.get(line, []):
            if child not in parent and child != root_id:
                parent[child] = (line, link)
                stack.append(child)
    return children, parent


def funding_flows(
    kb: KnowledgeBase,
    root_id: str | None = None,
    *,
    view: Literal["outline", "programme"] = "outline",
    lang: Literal["ja", "en"] = "ja",
    profile: ClusterProfile | None = None,
) -> pd.DataFrame:
    """Who funds what, through which programme: one row per budget line with an amount.

    ``view="outline"`` takes, on every path down the slide's outline (PART_OF), the first
    line that states an amount (the numbered lines ①–④). ``view="programme"`` takes the
    alternative breakdowns instead where a line has one (section 1's named total, section
    2's split by programme, 内訳) down to their lines with amounts. Both views add up to
    the budget's total when the source's figures reconcile.

    For each line, the columns name (in ``lang``) what the knowledge base records:

    ``funded_by``
        who FUNDS the line (or, failing that, the nearest budget line above it);
    ``pays_for``
        the programmes the line FUNDS;
    ``carried_out_by``
        who IMPLEMENTS the line or a line above it, else the programme it pays for or the
        programme that one is part of (実施主体);
    ``supports``
        what the line, or the nearest line above it, SUPPORTS (the beneficiary).

    Empty means the source does not say. The root is ``root_id``, else ``profile``'s
    ``budget_root`` (``profile`` None means no cluster: name the root).
    """
    if view not in ("outline", "programme"):
        raise BioclusterError(f"unknown view {view!r}; expected outline or programme")
    root_id = budget_root(root_id, profile)
    if root_id not in kb.nodes:
        raise BioclusterError(f"no budget line {root_id!r} in the knowledge base")
    children, parent = _budget_structure(kb, root_id)
    incoming: dict[tuple[str, str], list[str]] = defaultdict(list)
    outgoing: dict[tuple[str, str], list[str]] = defaultdict(list)
    part_of: dict[str, list[str]] = defaultdict(list)
    for rel in kb.relationships.values():
        incoming[(rel.type, rel.end)].append(rel.start)
        outgoing[(rel.type, rel.start)].append(rel.end)
        if rel.type in _PART_TYPES:
            part_of[rel.start].append(rel.end)

    def amount(line: str) -> int | None:
        value = kb.nodes[line].get("amount_thousand_yen")
        return value if isinstance(value, int) else None

    def up(line: str) -> list[str]:
        """The line and the budget lines above it, nearest first, without the root."""
        chain = [line]
        while chain[-1] in parent and parent[chain[-1]][0] != root_id:
            chain.append(parent[chain[-1]][0])
        return chain

    def nearest(lines: list[str], type_: str, direction: str) -> list[str]:
        table = incoming if direction == "in" else outgoing
        for line in lines:
            found = sorted(set(table.get((type_, line), [])))
            if found:
                return found
        return []

    def programme_ancestors(programme: str) -> list[str]:
        chain, frontier = [programme], [programme]
        while frontier:
            frontier = sorted(
                {up for node in frontier for up in part_of.get(node, [])} - set(chain)
            )
            chain.extend(frontier)
        return chain

    def stated_leaves(line: str) -> list[str]:
        below = [child for child, link in children.get(line, []) if link == "part"]
        found = [leaf for child in below for leaf in stated_leaves(child)]
        if found:
            return found
        return [line] if amount(line) is not None else []

    def pick(line: str) -> list[str]:
        if view == "programme":
            splits = [child for child, link in children.get(line, []) if link == "breakdown"]
            if splits:
                return [leaf for split in splits for leaf in stated_leaves(split)]
        if line != root_id and amount(line) is not None:
            return [line]
        return [
            chosen
            for child, link in children.get(line, [])
            if link == "part"
            for chosen in pick(child)
        ]

    def names(ids: Iterable[str]) -> str:
        # Names are joined as each language joins a list: 、 in Japanese, a comma in English.
        return ("、" if lang == "ja" else ", ").join(node_name(kb, node, lang) for node in ids)

    def section(line: str) -> str:
        top = up(line)[-1]
        number = kb.nodes[top].get("number_label")
        return str(number) if number else node_name(kb, top, lang)

    rows = []
    for line in pick(root_id):
        chain = up(line)
        pays_for = sorted(set(outgoing.get(("FUNDS", line), [])))
        carried_out_by = nearest(chain, "IMPLEMENTS", "in")
        if not carried_out_by:
            for programme in pays_for:
                carried_out_by = nearest(programme_ancestors(programme), "IMPLEMENTS", "in")
                if carried_out_by:
                    break
        node = kb.nodes[line]
        rows.append(
            [
                section(line),
                node.get("number_label") or "",
                node_name(kb, line, lang),
                amount(line),
                names(nearest(chain, "FUNDS", "in")),
                names(pays_for),
                names(carried_out_by),
                names(nearest(chain, "SUPPORTS", "out")),
                line,
            ]
        )
    columns = [
        "section",
        "number",
        "line",
        "amount_thousand_yen",
        "funded_by",
        "pays_for",
        "carried_out_by",
        "supports",
        "line_id",
    ]
    return pd.DataFrame(rows, columns=columns).convert_dtypes(dtype_backend="numpy_nullable")
