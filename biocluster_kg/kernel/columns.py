"""Answers for people: column titles and vocabulary values in Japanese (``--lang ja``).

A table of the query library or of the analysis has stable column keys (``actor_kind``,
``bridge_score``) and codes as values (``research_institute``, ``chair``): what scripts
need, and what ``--lang en`` and JSON keep. For people in Japanese the keys become titles and
the codes the schema's names for them. A key reads ``[owner_]word``: the word is a property
(``kind``, ``sector``, ``name_ja``, a measure) whose title the schema gives or
:data:`WORDS_JA` does, the owner says whose it is (``actor``, ``partner``, ``body``).

>>> column_title("actor_kind", "ja"), column_title("bridge_score", "ja")
('主体の種類', '企業と研究所の橋渡し度')
>>> localise_table(["actor_label", "actor_kind"], [["Organization", "venture"]], "ja")
(['主体の区分', '主体の種類'], [['組織', 'ベンチャー企業']])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from biocluster_kg.kernel.schema import SCHEMA

__all__ = ["WORDS_JA", "OWNERS_JA", "column_title", "localise_table", "localise_value"]

#: Titles of the words a column key ends with, where the schema has no title for them.
WORDS_JA: dict[str, str] = {
    "id": "ID",
    "ids": "ID",
    "label": "区分",
    "kind": "種類",
    "sector": "セクター",
    "name_ja": "名称",
    "names_ja": "名称",
    "name_en": "英語名",
    "aliases": "別名・略称",
    "role": "役割",
    "role_ja": "役割（資料の表記）",
    "relationship": "関係",
    "relationship_types": "関係の種類",
    "relationship_id": "関係のID",
    "direction": "向き",
    "source_doc": "出典",
    "span": "出典の記述",
    "span_line": "出典の行",
    "citations": "出典（すべて）",
    "note": "注記",
    "fiscal_year": "年度",
    "fiscal_year_ja": "年度（和暦）",
    "fiscal_year_start": "開始年度",
    "fiscal_year_start_ja": "開始年度（和暦）",
    "fiscal_year_end": "終了年度",
    "period_ja": "期間（資料の表記）",
    "field": "分野・テーマ",
    "field_ja": "分野（資料の表記）",
    "status": "状況",
    "depth": "階層",
    "link": "親とのつながり",
    "number_label": "番号",
    "stated_thousand_yen": "記載額（千円）",
    "parts_total_thousand_yen": "内訳の合計（千円）",
    "total_thousand_yen": "金額（千円）",
    "unit_amount_thousand_yen": "単価（千円）",
    "unit_count": "件数",
    "amount_min_thousand_yen": "金額の下限（千円）",
    "amount_max_thousand_yen": "金額の上限（千円）",
    "funded_by": "財源",
    "implemented_by": "実施主体",
    "ladder_step": "段階",
    "node_ids": "経路のID",
    "node_names_ja": "経路の名称",
    "connection": "つながりの種類",
    "record": "記録の種類",
    "metric": "指標",
    "value": "値",
    "unit_ja": "単位",
    "scope_ja": "対象",
    "seat": "席",
    "hops": "段数",
    "paths": "経路の数",
    "dependency": "担う経路の数",
    "company_ids": "企業のID",
    "organizations": "組織の数",
    "groups": "匿名の集団の数",
    "bodies": "会議体・組織体の数",
    "positions": "役職の数",
    "actors": "主体の数",
    "fact": "事実の種類",
    "rank": "順位",
    "reason": "理由",
    "change": "変化",
    "from_value": "前の年度の値",
    "to_value": "後の年度の値",
    "year_ja": "年度（和暦）",
    "tied_actors": "関係する主体の数",
    "community_size": "コミュニティの主体の数",
    "link_basis": "親とのつながりの根拠",
    "link_basis_reason": "親とのつながりの根拠の説明",
    "relationship_bases": "各段の関係の根拠",
    # The command line's own tables: find, queries, load (issue 26).
    "matched": "一致した名前",
    "how": "一致の仕方",
    "name": "名前",
    "question": "質問（英語）",
    "question_ja": "質問",
    "required": "必須のパラメーター",
    "parameter": "パラメーター",
    "type": "型",
    "default": "既定値",
    "description": "説明",
    "label/type": "ノードの区分・関係の種類",
    "created": "追加",
    "updated": "更新",
    "removed": "削除",
    "total": "合計",
}

#: Words whose title the schema gives under another name.
_SCHEMA_WORDS: dict[str, str] = {"companies": "bridged_companies", "roles": "brokerage_roles"}

#: Who a column is about, for keys like ``partner_name_ja``.
OWNERS_JA: dict[str, str] = {
    "actor": "主体",
    "other": "相手",
    "broker": "仲介者",
    "hub": "拠点",
    "member": "構成員",
    "organisation": "組織",
    "body": "会議体",
    "seat": "席",
    "item": "事業",
    "ladder": "支援の流れ",
    "line": "予算項目",
    "project": "プロジェクト",
    "partner": "相手",
    "venture": "ベンチャー",
    "node": "つながる先",
    "from": "起点",
    "to": "終点",
    "via": "経由",
    "parent": "親",
}

#: Codes the questions themselves make (not the schema's): their names for people.
_VALUES_JA: dict[str, dict[str, str]] = {
    "direction": {"out": "この側から", "in": "この側へ"},
    "connection": {"tie": "直接の関係", "function": "担う機能", "target": "機能の対象"},
    "link": {"part": "内訳", "breakdown": "別の内訳"},
    "record": {"figure": "数値", "event": "会議・行事"},
    "fact": {"node": "ノード", "relationship": "関係"},
    "change": {"starts": "始まる", "ends": "終わる", "differs": "値が変わる"},
    # council_and_committee: a seat held through a post, or by the organisation itself.
    "seat": {"post": "役職として", "organisation": "組織として"},
}


def _split(column: str) -> tuple[str, str]:
    """(owner, word) of a key; the owner is empty when the key is a word itself."""
    if column in WORDS_JA or column in _SCHEMA_WORDS or SCHEMA.property_title(column) != column:
        return "", column
    owner, _, word = column.partition("_")
    if owner in OWNERS_JA and word:
        return owner, word
    return "", column


def _word_title(word: str, lang: str) -> str:
    schema_name = _SCHEMA_WORDS.get(word, word)
    titled = SCHEMA.property_title(schema_name, lang)
    if titled != schema_name:
        return titled
    return WORDS_JA.get(word, word) if lang == "ja" else word


def column_title(column: str, lang: str = "ja") -> str:
    """The column's title for people in ``lang``; in ``en`` the stable key itself.

    >>> column_title("partner_role_ja"), column_title("partner_role_ja", "en")
    ('相手の役割（資料の表記）', 'partner_role_ja')
    """
    if lang != "ja":
        return column
    owner, word = _split(column)
    title = _word_title(word, lang)
    return f"{OWNERS_JA[owner]}の{title}" if owner else title


def localise_value(column: str, value: Any, lang: str = "ja", label: str | None = None) -> Any:
    """A cell's code as the schema's name for it in ``lang`` (lists item by item); any other
    value unchanged. ``label`` is the node label a ``kind`` belongs to.

    >>> localise_value("relationship_types", ["MEMBER_OF", "FUNDS"])
    ['構成員', '支援']
    """
    if lang != "ja" or value is None:
        return value
    if isinstance(value, list):
        return [localise_value(column, item, lang, label) for item in value]
    if not isinstance(value, str):
        return value
    _, word = _split(column)
    word = _SCHEMA_WORDS.get(word, word)
    if word in _VALUES_JA:
        return _VALUES_JA[word].get(value, value)
    if word == "label":
        return SCHEMA.node(value).display_name(lang) if SCHEMA.has_label(value) else value
    if word in ("relationship", "relationship_types"):
        return SCHEMA.relationship(value).display_name(lang) if SCHEMA.has_type(value) else value
    if word == "kind":
        return SCHEMA.kind_name(label, value, lang) if label else value
    if SCHEMA.property_terms(word):
        return SCHEMA.term_name(word, value, lang)
    return value


def _kind_label(columns: Sequence[str], row: Sequence[Any], column: str) -> str | None:
    """The label a row's ``<owner>_kind`` belongs to: its ``<owner>_label``, else its id's."""
    owner, _ = _split(column)
    stem = f"{owner}_" if owner else ""
    for key in (f"{stem}label", f"{stem}id"):
        if key in columns:
            value = row[columns.index(key)]
            if isinstance(value, str):
                return value if key.endswith("label") else SCHEMA.label_for_id(value)
    return None


def localise_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    lang: str = "ja",
    reasons: Mapping[str, str] | None = None,
) -> tuple[list[str], list[list[Any]]]:
    """Titles and rows for people in ``lang``; in ``en`` the keys and codes unchanged.

    ``reasons`` maps a curator's English reason for a basis to the data's Japanese one
    (:func:`biocluster_kg.kernel.basis.reasons_in_japanese`): the ``*basis_reason`` cells of
    a Japanese table show it.

    >>> localise_table(["basis_reason"], [["in the box"]], "ja", {"in the box": "枠の中"})
    (['根拠の説明'], [['枠の中']])
    """
    if lang != "ja":
        return list(columns), [list(row) for row in rows]
    columns = list(columns)
    kinds = {c for c in columns if _split(c)[1] == "kind"}
    translated = {c for c in columns if c.endswith("basis_reason")} if reasons else set()

    def cell(column: str, value: Any, row: Sequence[Any]) -> Any:
        if column in translated and isinstance(value, str) and reasons:
            return reasons.get(value, value)
        if isinstance(value, list) and column in translated and reasons:
            return [reasons.get(item, item) if isinstance(item, str) else item for item in value]
        label = _kind_label(columns, row, column) if column in kinds else None
        return localise_value(column, value, lang, label)

    localised = [
        [cell(column, value, row) for column, value in zip(columns, row, strict=True)]
        for row in rows
    ]
    return [column_title(column, lang) for column in columns], localised
