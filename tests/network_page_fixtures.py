"""A small, schema-valid bio cluster for the network page tests, written by hand after the
FY2013 source (ids as the real knowledge base uses them), plus hostile names."""

from __future__ import annotations

from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship, SourceDocument

SOURCE = "yamagata-biocluster-fy2013"

HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT = "</script><script>alert(1)</script>"

_NODES: list[tuple[str, str, str, str, str, str | None, dict[str, object]]] = [
    (
        "org:iab",
        "Organization",
        "慶應義塾大学先端生命科学研究所",
        "Keio University Institute for Advanced Biosciences",
        "research_institute",
        "academia",
        {"aliases": ["慶應先端研", "先端研", "先端生命科学研究所"], "bridge_score": 0.62},
    ),
    (
        "org:yamagata-prefecture",
        "Organization",
        "山形県",
        "Yamagata Prefecture",
        "prefecture",
        "government",
        {"bridge_score": 0.30},
    ),
    (
        "org:tsuruoka-city",
        "Organization",
        "鶴岡市",
        "Tsuruoka City",
        "municipality",
        "government",
        {"bridge_score": 0.18},
    ),
    (
        "org:shonai-center",
        "Organization",
        "公益財団法人庄内地域産業振興センター",
        "Shonai Regional Industry Promotion Center",
        "support_organization",
        "other",
        {"aliases": ["庄内産業振興センター", "庄内産振センター"], "bridge_score": 0.45},
    ),
    (
        "org:yamagata-university",
        "Organization",
        "山形大学",
        "Yamagata University",
        "university",
        "academia",
        {},
    ),
    (
        "org:medical-association",
        "Organization",
        "山形県医師会",
        "Yamagata Medical Association",
        "medical_association",
        "medical",
        {},
    ),
    (
        "org:bankers-association",
        "Organization",
        "山形県銀行協会",
        "Yamagata Bankers Association",
        "bankers_association",
        "finance",
        {},
    ),
    (
        "org:spiber",
        "Organization",
        "Spiber株式会社",
        "Spiber Inc.",
        "venture",
        "industry",
        {"bridge_score": 0.05},
    ),
    (
        "org:hmt",
        "Organization",
        "ヒューマン・メタボローム・テクノロジーズ株式会社",
        "Human Metabolome Technologies",
        "venture",
        "industry",
        {},
    ),
    (
        "group:local-companies",
        "Group",
        "県内企業",
        "Companies in the prefecture",
        "companies",
        "industry",
        {"count": 5, "count_qualifier_ja": "社"},
    ),
    (
        "body:promotion-council",
        "Body",
        "山形県バイオクラスター形成推進会議",
        "Yamagata Bio Cluster Promotion Council",
        "council",
        None,
        {},
    ),
    (
        "body:collaboration-committee",
        "Body",
        "連携促進・成果活用委員会",
        "Collaboration and Results Committee",
        "committee",
        None,
        {},
    ),
    (
        "pos:governor",
        "Position",
        "山形県知事",
        "Governor of Yamagata",
        "head_of_government",
        None,
        {},
    ),
    ("pos:mayor", "Position", "鶴岡市長", "Mayor of Tsuruoka", "head_of_government", None, {}),
    (
        "fn:consensus",
        "Function",
        "バイオクラスター形成に関する合意形成",
        "Consensus building on the cluster",
        "consensus_building",
        None,
        {"number": 1},
    ),
    (
        "prog:fy2013-budget",
        "Program",
        "平成25年度バイオクラスター関連予算",
        "FY2013 bio cluster budget",
        "budget",
        None,
        {"fiscal_year": 2013, "fiscal_year_ja": "平成25年度", "amount_thousand_yen": 380067},
    ),
    (
        "prog:fy2012-promotion",
        "Program",
        "バイオクラスター形成促進事業",
        "Bio cluster promotion programme",
        "program",
        None,
        {
            "fiscal_year": 2012,
            "fiscal_year_ja": "平成24年度",
            "amount_thousand_yen": 30000,
            "unit_amount_thousand_yen": 2000,
            "unit_count": 5,
        },
    ),
    (
        "proj:joint-metabolome",
        "Project",
        "メタボローム解析による共同研究",
        "Joint metabolome research",
        "joint_research",
        None,
        {
            "fiscal_year_start": 2011,
            "fiscal_year_start_ja": "平成23年度",
            "period_ja": "H23～",
            "field": "medical_health",
        },
    ),
    (
        "event:summit",
        "Event",
        "バイオサミット in 鶴岡",
        "Bio Summit in Tsuruoka",
        "summit",
        None,
        {"fiscal_year": 2012, "attendance": 420, "date_ja": "平成24年10月"},
    ),
    ("out:spider-silk", "Outcome", "人工クモ糸", "Synthetic spider silk", "material", None, {}),
    (
        "fig:research-assistants",
        "Figure",
        "研究助手の人数",
        "Research assistants",
        "education",
        None,
        {"fiscal_year": 2013, "metric": "research_assistants", "value": 12, "unit_ja": "名"},
    ),
]

_RELATIONSHIPS: list[tuple[str, str, str, str, dict[str, object]]] = [
    ("rel:governor-post", "POSITION_IN", "pos:governor", "org:yamagata-prefecture", {}),
    ("rel:mayor-post", "POSITION_IN", "pos:mayor", "org:tsuruoka-city", {}),
    (
        "rel:governor-chair",
        "MEMBER_OF",
        "pos:governor",
        "body:promotion-council",
        {"role": "chair", "role_ja": "会長"},
    ),
    (
        "rel:mayor-vice",
        "MEMBER_OF",
        "pos:mayor",
        "body:promotion-council",
        {"role": "vice_chair", "role_ja": "副会長"},
    ),
    (
        "rel:iab-council",
        "MEMBER_OF",
        "org:iab",
        "body:promotion-council",
        {"role": "member", "role_ja": "委員"},
    ),
    (
        "rel:yu-council",
        "MEMBER_OF",
        "org:yamagata-university",
        "body:promotion-council",
        {"role": "member", "role_ja": "委員"},
    ),
    (
        "rel:med-council",
        "MEMBER_OF",
        "org:medical-association",
        "body:promotion-council",
        {"role": "member"},
    ),
    (
        "rel:bank-council",
        "MEMBER_OF",
        "org:bankers-association",
        "body:promotion-council",
        {"role": "member"},
    ),
    (
        "rel:iab-committee",
        "MEMBER_OF",
        "org:iab",
        "body:collaboration-committee",
        {"role": "member", "role_ja": "委員"},
    ),
    (
        "rel:shonai-committee",
        "MEMBER_OF",
        "org:shonai-center",
        "body:collaboration-committee",
        {"role": "member", "role_ja": "コーディネーター"},
    ),
    ("rel:council-consensus", "PERFORMS", "body:promotion-council", "fn:consensus", {}),
    ("rel:pref-funds", "FUNDS", "org:yamagata-prefecture", "prog:fy2013-budget", {}),
    ("rel:budget-line", "PART_OF", "prog:fy2012-promotion", "prog:fy2013-budget", {}),
    ("rel:shonai-implements", "IMPLEMENTS", "org:shonai-center", "prog:fy2012-promotion", {}),
    ("rel:promotion-supports", "SUPPORTS", "prog:fy2012-promotion", "group:local-companies", {}),
    (
        "rel:companies-joint",
        "PARTICIPATES_IN",
        "group:local-companies",
        "proj:joint-metabolome",
        {"role": "partner", "role_ja": "共同研究先"},
    ),
    (
        "rel:iab-joint",
        "PARTICIPATES_IN",
        "org:iab",
        "proj:joint-metabolome",
        {"role": "lead", "role_ja": "研究代表"},
    ),
    ("rel:spiber-venture", "VENTURE_OF", "org:spiber", "org:iab", {}),
    ("rel:hmt-venture", "VENTURE_OF", "org:hmt", "org:iab", {}),
    ("rel:spiber-silk", "PRODUCED", "org:spiber", "out:spider-silk", {}),
    ("rel:city-summit", "IMPLEMENTS", "org:tsuruoka-city", "event:summit", {}),
    ("rel:iab-summit", "PARTICIPATES_IN", "org:iab", "event:summit", {"role": "host"}),
    ("rel:city-pref", "COORDINATES_WITH", "org:tsuruoka-city", "org:yamagata-prefecture", {}),
    ("rel:fig-iab", "MEASURES", "fig:research-assistants", "org:iab", {}),
]


def sample_kb(*, hostile: bool = False) -> KnowledgeBase:
    """The hand-made cluster (21 nodes, 24 relationships); ``hostile`` adds two companies
    named with markup and two relationships to them."""
    kb = KnowledgeBase()
    kb.sources[SOURCE] = SourceDocument(
        SOURCE,
        "sources/yamagata-biocluster-fy2013.txt",
        "山形県におけるバイオクラスター形成に向けた取組みについて",
        "",
    )
    for line, (node_id, label, name_ja, name_en, kind, sector, extra) in enumerate(_NODES, 1):
        props = {
            "name_ja": name_ja,
            "name_en": name_en,
            "kind": kind,
            "source_doc": SOURCE,
            "span": name_ja,
            "span_line": line,
            **extra,
        }
        if sector:
            props["sector"] = sector
        kb.add_node(Node(node_id, label, props))
    for line, (rel_id, type_, start, end, extra) in enumerate(_RELATIONSHIPS, 1):
        props = {"source_doc": SOURCE, "span": f"{start} {end}", "span_line": line, **extra}
        kb.add_relationship(Relationship(rel_id, type_, start, end, props))
    if hostile:
        for number, name in enumerate((HOSTILE_IMG, HOSTILE_SCRIPT)):
            node_id = f"org:hostile-{number}"
            kb.add_node(
                Node(
                    node_id,
                    "Organization",
                    {
                        "name_ja": name,
                        "name_en": name,
                        "kind": "company",
                        "sector": "industry",
                        "aliases": [name],
                        "note": name,
                        "source_doc": SOURCE,
                        "span": name,
                        "span_line": 1,
                    },
                )
            )
            kb.add_relationship(
                Relationship(
                    f"rel:hostile-{number}",
                    "COORDINATES_WITH",
                    node_id,
                    "org:iab",
                    {"source_doc": SOURCE, "span": name, "note": name, "span_line": 1},
                )
            )
    return kb
