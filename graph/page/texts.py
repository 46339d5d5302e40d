"""Every string the network page shows that is not data, in Japanese and English.

Names that ARE data come from elsewhere: the node labels, kinds, sectors, roles,
relationship types and measure names from the schema's vocabularies
(:data:`biocluster_kg.kernel.schema.SCHEMA`), the cluster's own title from its profile
(:class:`biocluster_kg.kernel.cluster.ClusterProfile`). What stays here is the page's own
wording: controls, headings of a card's rows, notices, number formats.

>>> page_texts("en", "Tsuruoka Cluster")["title"]
'Tsuruoka Cluster: collaboration network'
>>> sorted(TEXTS["ja"]) == sorted(TEXTS["en"])
True
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "TEXTS", "NO_SECTOR_NAMES", "OWN_MEASURE_NAMES", "page_texts"]

#: The page's languages, Japanese first.
LANGUAGES: tuple[str, ...] = ("ja", "en")

#: What a node without a sector is called in the legend (programmes, projects, bodies).
NO_SECTOR_NAMES: dict[str, str] = {
    "ja": "セクターなし（事業・会議体など）",
    "en": "No sector (programmes, bodies, ...)",
}

#: What the scores a caller passes in (``measures=``) are called: they are not one of the
#: schema's measures, so the page cannot know more than that they were given.
OWN_MEASURE_NAMES: dict[str, str] = {"ja": "指定の値", "en": "measures"}

#: The page's wording, by language; ``title`` takes the cluster's title as ``{cluster}``.
TEXTS: dict[str, dict[str, str]] = {
    "ja": {
        "title": "{cluster} 連携ネットワーク",
        "summary": "ノード {nodes:,} ・ 関係 {edges:,}",
        "summary_of": "（全体 {nodes:,} ノード ・ {edges:,} 関係のうち）",
        "ego": "中心: {name}（{depth} ステップ以内）",
        "ego_one": "中心: {name}（1 ステップ以内）",
        "search": "検索（日本語・英語・略称）",
        "search_placeholder": "例: 慶應先端研、Tsuruoka",
        "search_none": "該当なし",
        "search_hidden": "フィルターで非表示だったため、表示を戻しました。",
        "search_in_group": "「{name}」は集約ノード「{group}」に含まれます。",
        "sectors": "セクター（色）",
        "types": "関係の種類（線）",
        "years": "年度",
        "all_years": "すべての年度",
        "shapes": "ノードの種類（形）",
        "size": "大きさ",
        "size_measure": "仲介度（{measure}）が大きいほど大きく表示",
        "size_none": "仲介度の計算結果がないため同じ大きさ",
        "size_count": "集約ノードの大きさ = 含まれるノード数",
        "edge_labels": "関係名を線上に表示",
        "all_kinds": "事業・予算・機能・数値なども表示",
        "actors_only": "主体（{labels}）のみ表示中。ほか {n:,} ノードは上の切り替えで表示。",
        "fit": "全体を表示",
        "layout": "配置を計算中…",
        "layout_stopped": "配置の計算を時間内で打ち切りました。",
        "visible": "表示中: ノード {nodes} ・ 関係 {edges}",
        "details_close": "閉じる",
        "sources": "出典",
        "line": "{line}行目",
        "notice_aggregated": (
            "ノード数 {nodes:,} が上限 {cap:,} を超えるため、セクター×種類ごとにまとめた"
            "集約表示です。個々のノードを見るには --around（中心の名前）や --sector / --type"
            " で絞り込んでください。"
        ),
        "notice_aggregated_chosen": (
            "集約表示（--view aggregated）: {nodes:,} ノードをセクター×種類ごとの {groups:,} 個に"
            "まとめています。個々のノードは --view full で表示できます。"
        ),
        "notice_large": (
            "ノード数 {nodes:,} は上限 {cap:,} を超えています。配置の計算は最長 {seconds:g} 秒で"
            "打ち切り、ラベルは拡大したときだけ表示します。"
        ),
        "notice_simplified": "大きな図のため、矢印・破線・曲線を省いて描いています。",
        "row_kind": "種類",
        "row_sector": "セクター",
        "row_aliases": "別名",
        "row_roles": "役職・役割",
        "row_amount": "金額",
        "row_year": "年度",
        "row_date": "日付",
        "row_count": "数",
        "row_value": "数値",
        "row_status": "状況",
        "row_field": "分野（研究）",
        "row_place": "場所",
        "row_description": "内容",
        "row_score": "仲介度",
        "row_basis": "根拠",
        "row_note": "注記",
        "row_source": "出典",
        "row_citations": "出典（すべて）",
        "row_from_to": "関係",
        "row_role": "役割",
        "row_members": "主なノード",
        "row_internal": "内部の関係",
        "row_aggregated": "集約",
        "posts_here": "役職",
        "post_of": "所属",
        "attendance": "参加者 {n:,}名",
        "schools": "{n:,}校",
        "per_case": "{amount}（1件あたり）× {n:,}件",
        "range": "{low} 〜 {high}",
        "yen": "{n:,}千円",
        "members_count": "{n:,} ノード",
        "relationships_count": "{n:,} 件",
        "open_ended": "{start}〜",
        "more": "ほか {n:,} 件",
        "note_in_english": "英文の注記あり（英語版のページ --lang en に表示）",
        "shared_type": "共有による結びつき（導出）",
        "shared_one": "共有: {name}",
        "shared_many": "共有: {name} ほか{n}件",
        "row_shared": "共有しているもの",
        "row_facts": "根拠となる事実",
        "shared_basis": (
            "導出: 同じ事業・プロジェクト・行事・機能などに関わる主体どうしの結びつき"
            "（資料が直接述べる関係ではありません）"
        ),
        "ego_here": "この主体を中心に表示",
        "expand": "隣接ノードを展開",
        "ego_clear": "中心表示を解除",
        "ego_active": "中心: {name}（{n} ノード）",
        "search_suggest": "該当なし。もしかして:",
    },
    "en": {
        "title": "{cluster}: collaboration network",
        "summary": "{nodes:,} nodes · {edges:,} relationships",
        "summary_of": " (of {nodes:,} nodes · {edges:,} relationships)",
        "ego": "Around: {name} (within {depth} steps)",
        "ego_one": "Around: {name} (within 1 step)",
        "search": "Search (Japanese, English or alias)",
        "search_placeholder": "e.g. 慶應先端研, Tsuruoka",
        "search_none": "No match",
        "search_hidden": "It was hidden by a filter; filters were reset.",
        "search_in_group": "“{name}” is part of the aggregated node “{group}”.",
        "sectors": "Sector (colour)",
        "types": "Relationship (line)",
        "years": "Fiscal year",
        "all_years": "All years",
        "shapes": "Node kind (shape)",
        "size": "Size",
        "size_measure": "Larger = higher brokerage ({measure})",
        "size_none": "All one size: no brokerage measures computed",
        "size_count": "Aggregated node size = number of members",
        "edge_labels": "Show relationship names on lines",
        "all_kinds": "Also show programmes, budgets, functions, figures, ...",
        "actors_only": ("Showing actors only ({labels}); the switch above shows {n:,} more nodes."),
        "fit": "Fit to screen",
        "layout": "Laying out…",
        "layout_stopped": "Layout stopped at its time limit.",
        "visible": "Showing {nodes} nodes · {edges} relationships",
        "details_close": "Close",
        "sources": "Sources",
        "line": "line {line}",
        "notice_aggregated": (
            "{nodes:,} nodes exceed the cap of {cap:,}: this is an aggregated view, one node per "
            "sector and kind. Narrow it with --around NAME, --sector or --type to see each node."
        ),
        "notice_aggregated_chosen": (
            "Aggregated view (--view aggregated): {nodes:,} nodes in {groups:,} groups, one per "
            "sector and kind. --view full shows each node."
        ),
        "notice_large": (
            "{nodes:,} nodes exceed the cap of {cap:,}: the layout stops after at most "
            "{seconds:g} s and labels appear only when zoomed in."
        ),
        "notice_simplified": "A big drawing: arrows, dashes and curves are left out.",
        "row_kind": "Kind",
        "row_sector": "Sector",
        "row_aliases": "Also called",
        "row_roles": "Posts and roles",
        "row_amount": "Amount",
        "row_year": "Fiscal year",
        "row_date": "Date",
        "row_count": "Count",
        "row_value": "Value",
        "row_status": "Status",
        "row_field": "Field",
        "row_place": "Place",
        "row_description": "What it does",
        "row_score": "Brokerage",
        "row_basis": "Basis",
        "row_note": "Note",
        "row_source": "Source",
        "row_citations": "All sources",
        "row_from_to": "Link",
        "row_role": "Role",
        "row_members": "Main members",
        "row_internal": "Internal relationships",
        "row_aggregated": "Aggregated",
        "posts_here": "Post",
        "post_of": "Post in",
        "attendance": "{n:,} participants",
        "schools": "{n:,} schools",
        "per_case": "{amount} per case × {n:,}",
        "range": "{low} to {high}",
        "yen": "{n:,} thousand yen (千円)",
        "members_count": "{n:,} nodes",
        "relationships_count": "{n:,}",
        "open_ended": "{start} onward",
        "more": "and {n:,} more",
        # Used on the Japanese page only; here for the key sets to match.
        "note_in_english": "A note in English (on the English page)",
        "shared_type": "Shared involvement (derived)",
        "shared_one": "Shares: {name}",
        "shared_many": "Shares: {name} and {n} more",
        "row_shared": "What they share",
        "row_facts": "Facts it rests on",
        "shared_basis": (
            "Derived: two actors involved in the same programme, project, event or function"
            " (not a relationship the source states)"
        ),
        "ego_here": "Centre on this node",
        "expand": "Expand neighbours",
        "ego_clear": "Show all again",
        "ego_active": "Around: {name} ({n} nodes)",
        "search_suggest": "No match. Did you mean:",
    },
}

#: Roles of MEMBER_OF / PARTICIPATES_IN, shown when the data gives no ``role_ja``.


def page_texts(lang: str, cluster_title: str) -> dict[str, str]:
    """The page's wording in ``lang``, with the cluster's title filled in."""
    texts = dict(TEXTS[lang])
    texts["title"] = texts["title"].format(cluster=cluster_title)
    return texts
