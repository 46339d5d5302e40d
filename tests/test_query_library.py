"""The query-file parser and the registry: header syntax, parameter checks, dialect blocks,
the adapter step and the cluster-profile defaults.

Every rejection names the file and the line; the shipped library parses, has a text for
both backends, and its catalogue (docs/queries.md) is current.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biocluster_kg.cypher.dialects import to_ladybug
from biocluster_kg.cypher.library import (
    BACKENDS,
    LIBRARY_DIR,
    PARAMETER_TYPES,
    Library,
    catalogue_markdown,
    default_library,
    load_library,
    normalize_name,
    parse_query_file,
    sort_rows,
)
from biocluster_kg.cypher.statements import strip_literals
from biocluster_kg.kernel.cluster import load_cluster_profile
from biocluster_kg.kernel.errors import QueryError, QueryFileError, QueryParameterError

REPO = Path(__file__).resolve().parent.parent

HEADER = """\
// name: {name}
// question: Who sits where?
// question_ja: 誰がどこに座っているか？
{params}// columns: id, name_ja
// ordered: {ordered}
"""

BODY = """\
MATCH (n:`Organization`)
WHERE n.kind = $kind
RETURN n.id AS id, n.name_ja AS name_ja
ORDER BY id
"""

KIND_PARAM = '// param: kind string = "company" -- Kind to list.\n'


def write(folder: Path, filename: str, text: str) -> Path:
    path = folder / filename
    path.write_text(text, encoding="utf-8")
    return path


def query_text(
    name: str = "who_sits",
    params: str = KIND_PARAM,
    body: str = BODY,
    ordered: str = "true",
) -> str:
    return HEADER.format(name=name, params=params, ordered=ordered) + body


def rejection(path: Path) -> str:
    with pytest.raises(QueryFileError) as caught:
        load_library(path.parent)
    return str(caught.value)


# --------------------------------------------------------------------------------------------
# the shipped library
# --------------------------------------------------------------------------------------------


def test_the_shipped_library_parses_and_serves_both_backends() -> None:
    library = load_library()
    assert len(library) >= 14
    for query in library:
        assert query.question and query.question_ja and query.columns
        for backend in BACKENDS:
            assert query.text_for(backend).strip()
        # One file per question (the variant files NAME.<backend>.cypher are gone).
        assert query.path.name == f"{query.name}.cypher"
        # Every required parameter has an example, and the example binds.
        query.bind(query.example_parameters())


def test_the_shipped_library_answers_every_question_of_the_issue() -> None:
    names = set(default_library().names())
    assert {
        "bridges_companies_to_institute",
        "council_and_committee",
        "organisations_on_both_bodies",
        "coordination_hubs",
        "budget_tree",
        "funding_routes_for_companies",
        "joint_research_partners",
        "ventures_and_partners",
        "education_and_event_figures",
        "actor_profile",
        "shortest_connection",
        "actors_without_institute_tie",
        "sector_composition",
        "source_of_fact",
    } <= names


#: Queries whose Neo4j text is the shared dialect: Ladybug answers it too, but plans its
#: variable-length OPTIONAL MATCHes over every node (see BENCHMARKS.md), so it has its own.
PLANNED_SLOWLY_BY_LADYBUG = {"budget_tree"}
#: And the other way round: the shared text runs on both, but Neo4j plans its per-sector
#: scans slowly, so Neo4j has a block of its own that counts in one pass.
PLANNED_SLOWLY_BY_NEO4J = {"sector_composition"}


def test_dialect_blocks_exist_only_where_the_dialects_differ() -> None:
    # A dialect block is a maintenance cost: each must use something the other engine lacks.
    # Where the difference is mechanical, the shared text is adapted instead (dialects.py).
    neo4j_only = re.compile(
        r"labels\(|type\(|allShortestPaths|\[\w+ IN |ORDER BY [^\n]*\nWITH|\(\w+:`\w+`\||fulltext"
    )
    ladybug_only = re.compile(
        r"label\(|ALL SHORTEST|list_sort|list_transform|properties\(|CAST\(|CASE WHEN false"
    )
    for query in default_library():
        if not query.variants:
            # The shared text is Neo4j's; the Ladybug text derived from it has no Neo4j-only
            # function left, and the shared text no Ladybug-only one.
            # (Comments may name the other dialect's functions.)
            neo4j = strip_literals(query.text_for("neo4j"))
            assert not re.search(r"\blabel\(|list_sort|ALL SHORTEST", neo4j), query.name
            ladybug = strip_literals(query.text_for("ladybug"))
            assert not re.search(r"\blabels\(|\btype\(|allShortestPaths", ladybug), query.name
            continue
        assert set(query.variants) == set(BACKENDS), query.name
        if query.name in PLANNED_SLOWLY_BY_NEO4J:
            # The block says how slowly the shared text ran on Neo4j.
            assert re.search(r"\d+ ms at 100k actors", query.text_for("neo4j")), query.name
            assert neo4j_only.search(query.text_for("neo4j")), query.name
            continue
        assert ladybug_only.search(query.text_for("ladybug")), query.name
        if query.name in PLANNED_SLOWLY_BY_LADYBUG:
            # The shared dialect runs on Ladybug, but slowly: its block says how slowly.
            assert re.search(r"\d+ ms at 100k actors", query.text_for("ladybug")), query.name
        else:
            assert neo4j_only.search(query.text_for("neo4j")), query.name


def test_the_mechanical_differences_are_adapted_not_written_twice() -> None:
    # The questions whose two texts differed only mechanically are one text now
    # (coordination_hubs has a Neo4j block again since: its hubs are found by index seeks).
    library = default_library()
    for name in ("actors_without_institute_tie", "source_of_fact"):
        query = library.get(name)
        assert query.variants == (), name
        assert query.text_for("ladybug") != query.text_for("neo4j"), name
        assert query.text_for("ladybug") == to_ladybug(query.text_for("neo4j")), name


def test_every_question_has_a_pasteable_neo4j_statement() -> None:
    for query in default_library():
        statement = query.neo4j_statement()
        assert "{{" not in statement and "// dialect" not in statement, query.name
        assert statement.endswith(query.text_for("neo4j") + "\n")
        assert statement.startswith(f"// {query.name}: {query.question}\n// {query.question_ja}")
        if query.parameters:
            assert re.search(r"^// :params \{.*\}$", statement, re.MULTILINE), query.name


def test_neo4j_variants_name_what_the_schema_and_the_indexes_define() -> None:
    from biocluster_kg.cypher.ddl import ACTOR_LABELS
    from biocluster_kg.kernel.schema import SCHEMA

    def named(text: str, pattern: str) -> set[str]:
        found = re.search(pattern, text, re.DOTALL)
        assert found, pattern
        return set(re.findall(r"`(\w+)`", found.group(1)))

    source = default_library().get("source_of_fact").text_for("neo4j")
    assert named(source, r"\(node:(.*?)\)") == set(SCHEMA.labels)
    assert named(source, r"\[relationship:(.*?)\]") == set(SCHEMA.types)
    for name in ("actor_profile", "shortest_connection"):
        text = default_library().get(name).text_for("neo4j")
        # No query may need an index: a store imported without the schema has none.
        assert "db.index" not in text
        for labels in re.findall(r"MATCH \(\w+:((?:`\w+`\|?)+)\)", text):
            assert set(re.findall(r"`(\w+)`", labels)) == set(ACTOR_LABELS), name
        ladybug = default_library().get(name).text_for("ladybug")
        for listed in re.findall(r"IN \[('[A-Z]\w+'(?:, '[A-Z]\w+')*)\]", ladybug):
            assert set(re.findall(r"'(\w+)'", listed)) == set(ACTOR_LABELS), name


def test_the_catalogue_in_docs_is_current() -> None:
    written = (REPO / "docs" / "queries.md").read_text(encoding="utf-8")
    assert written == catalogue_markdown(), (
        "run: python -m biocluster_kg.cypher.library > docs/queries.md"
    )


def test_labels_and_types_in_query_files_are_backticked_schema_names() -> None:
    from biocluster_kg.kernel.schema import SCHEMA

    for path in sorted(LIBRARY_DIR.glob("*.cypher")):
        text = path.read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
        for name in re.findall(r"[(\[|]\w*:`(\w+)`", body):
            assert name in SCHEMA.labels or name in SCHEMA.types, (path.name, name)
        assert not re.search(r"[(\[]\w*:[A-Za-z]", body), f"{path.name}: unquoted label or type"


# --------------------------------------------------------------------------------------------
# header syntax
# --------------------------------------------------------------------------------------------


def test_a_valid_file_parses_with_continuations_and_free_comments(tmp_path: Path) -> None:
    text = (
        "// name: who_sits\n"
        "// question: Who sits\n"
        "//   where?\n"
        "//\n"
        "// question_ja: 誰が座っているか？\n"
        '// param: kind string = "company" -- Kind\n'
        "//    to list.\n"
        "// param: name name -- A name.\n"
        "// example: name=慶應先端研\n"
        "// columns: id, name_ja\n"
        "// ordered: false\n"
        "// analytics: true\n"
        "\n"
        "// A free comment after the header, with a $dollar that is no parameter.\n"
        "MATCH (n) WHERE n.kind = $kind AND toLower(n.name_ja) = $name\n"
        "RETURN n.id AS id, n.name_ja AS name_ja\n"
    )
    query = parse_query_file(write(tmp_path, "who_sits.cypher", text))
    assert query.variants == ()
    assert query.question == "Who sits where?"
    assert query.parameter("kind").description == "Kind to list."
    assert query.parameter("kind").default == "company"
    assert query.parameter("name").required
    assert query.examples == {"name": "慶應先端研"}
    assert query.columns == ("id", "name_ja")
    assert (query.ordered, query.analytics) == (False, True)


@pytest.mark.parametrize(
    ("edit", "line", "message"),
    [
        (
            lambda t: t.replace("// question_ja: 誰がどこに座っているか？\n", ""),
            5,
            "header field 'question_ja' is missing",
        ),
        (
            lambda t: t.replace("// ordered: true\n", "// ordered: true\n// colour: red\n"),
            7,
            "unknown header field 'colour'",
        ),
        (
            lambda t: t.replace("// ordered: true\n", "// ordered: true\n// ordered: false\n"),
            7,
            "header field 'ordered' repeats line 6",
        ),
        (
            lambda t: t.replace("// ordered: true", "// ordered: yes"),
            6,
            "ordered must be true or false",
        ),
        (
            lambda t: t.replace("-- Kind to list.", "Kind to list."),
            4,
            "param must be 'NAME TYPE [= DEFAULT] -- DESCRIPTION'",
        ),
        (lambda t: t.replace("kind string =", "kind text ="), 4, "unknown type 'text'"),
        (lambda t: t.replace('= "company"', "= 3"), 4, "default 3 is not of type string"),
        (lambda t: t.replace('= "company"', "= null"), 4, "a default may not be null"),
        (lambda t: t.replace('= "company"', "= company"), 4, "is not a JSON literal"),
        (
            lambda t: t.replace(' = "company"', ""),
            4,
            "required param kind needs an '// example: kind=VALUE' line",
        ),
        (
            lambda t: t.replace("// ordered", "// example: nope=1\n// ordered"),
            6,
            "example must be 'PARAM=VALUE' for a declared param",
        ),
        (
            lambda t: t.replace(
                "WHERE n.kind = $kind", "WHERE n.kind = $kind AND n.sector = $sector"
            ),
            8,
            "$sector is used but not declared",
        ),
        (
            lambda t: t.replace("WHERE n.kind = $kind\n", ""),
            4,
            "param kind is declared but the query does not use $kind",
        ),
        (
            lambda t: t.replace("ORDER BY id\n", ""),
            6,
            "ordered: true but the query has no ORDER BY",
        ),
        (
            lambda t: t.replace("who_sits\n", "who_stands\n", 1),
            1,
            "name 'who_stands' does not match the file name who_sits.cypher",
        ),
        (
            lambda t: t.replace("// columns: id, name_ja", "// columns: id, id"),
            5,
            "a column is listed twice",
        ),
        (
            lambda t: t.replace("// question: Who sits where?", "// Who sits where?"),
            2,
            "header line is not '// field: value'",
        ),
    ],
)
def test_malformed_files_are_rejected_naming_file_and_line(
    tmp_path: Path, edit, line: int, message: str
) -> None:
    path = write(tmp_path, "who_sits.cypher", edit(query_text()))
    error = rejection(path)
    assert error.startswith(f"{path}:{line}: "), error
    assert message in error


def test_dollars_in_strings_and_comments_are_not_parameters(tmp_path: Path) -> None:
    body = (
        "\n// $ghost in a comment\n"
        "MATCH (n) WHERE n.kind = $kind AND n.note <> '$ghost' AND n.span <> \"a $ghost\"\n"
        "/* $ghost */ RETURN n.id AS id, n.name_ja AS name_ja ORDER BY id\n"
    )
    library = load_library(write(tmp_path, "who_sits.cypher", query_text(body=body)).parent)
    assert [p.name for p in library.get("who_sits").parameters] == ["kind"]

    only_in_string = body.replace("n.kind = $kind", "n.kind = '$kind'")
    path = write(tmp_path, "who_sits.cypher", query_text(body=only_in_string))
    assert "param kind is declared but the query does not use $kind" in rejection(path)


def test_duplicate_names_are_rejected(tmp_path: Path) -> None:
    # A name must be its file's stem, so a second file claiming a name is refused.
    write(tmp_path, "who_sits.cypher", query_text())
    path = write(tmp_path, "another.cypher", query_text(name="who_sits"))
    error = rejection(path)
    assert error == f"{path}:1: name 'who_sits' does not match the file name another.cypher"


DIALECT_BODY = (
    "\n// Notes on the whole question.\n"
    "// dialect: neo4j\n"
    + BODY
    + "// dialect: ladybug\n"
    + BODY.replace("ORDER BY id", "ORDER BY id DESC")
)


def test_dialect_blocks_give_each_backend_its_text(tmp_path: Path) -> None:
    write(tmp_path, "who_sits.cypher", query_text(body=DIALECT_BODY))
    query = load_library(tmp_path).get("who_sits")
    assert query.text_for("neo4j").endswith("ORDER BY id")
    assert query.text_for("ladybug").endswith("ORDER BY id DESC")
    assert query.variants == ("neo4j", "ladybug")
    assert "Notes on the whole question" not in query.text_for("neo4j")


@pytest.mark.parametrize(
    ("edit", "line", "message"),
    [
        (
            lambda b: b.replace("// dialect: ladybug\n", "// dialect: memgraph\n"),
            14,
            "unknown dialect 'memgraph' (one of neo4j, ladybug)",
        ),
        (
            lambda b: b.replace("// dialect: ladybug\n", "// dialect: neo4j\n"),
            14,
            "dialect block neo4j repeats line 9",
        ),
        (
            lambda b: b[: b.index("// dialect: ladybug")],
            9,
            "a dialect block for ladybug is missing",
        ),
        (
            lambda b: b.replace("// Notes on", "RETURN 1\n// Notes on"),
            8,
            "Cypher before the first '// dialect:' line",
        ),
        (
            lambda b: b.replace("WHERE n.kind = $kind\n", "", 1),
            4,
            "param kind is declared but the query does not use $kind in its neo4j block",
        ),
        (
            lambda b: b.replace(
                "n.kind = $kind\nRETURN n.id AS id, n.name_ja AS name_ja\nORDER BY id DESC",
                "n.kind = $kind AND n.x = $other\n"
                "RETURN n.id AS id, n.name_ja AS name_ja\nORDER BY id DESC",
            ),
            16,
            "$other is used but not declared",
        ),
    ],
)
def test_malformed_dialect_blocks_are_rejected_naming_file_and_line(
    tmp_path: Path, edit, line: int, message: str
) -> None:
    path = write(tmp_path, "who_sits.cypher", query_text(body=edit(DIALECT_BODY)))
    error = rejection(path)
    assert error.startswith(f"{path}:{line}: "), error
    assert message in error


def test_a_second_file_for_a_question_is_refused(tmp_path: Path) -> None:
    # One file per question: the old per-backend variant files are not read any more.
    write(tmp_path, "who_sits.cypher", query_text())
    path = write(tmp_path, "who_sits.neo4j.cypher", query_text())
    assert "query files are named NAME.cypher, one per question" in rejection(path)


def test_unknown_backend_infix_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "who_sits.memgraph.cypher", query_text())
    assert "query files are named NAME.cypher" in rejection(path)


def test_schema_placeholders_expand_per_dialect_and_unknown_ones_are_refused(
    tmp_path: Path,
) -> None:
    from biocluster_kg.kernel.schema import SCHEMA

    body = BODY.replace("(n:`Organization`)", "(n:{{actor_labels}})")
    write(tmp_path, "who_sits.cypher", query_text(body=body))
    query = load_library(tmp_path).get("who_sits")
    quoted = [f"`{label}`" for label in SCHEMA.actor_labels]
    assert f"(n:{'|'.join(quoted)})" in query.text_for("neo4j")
    assert f"(n:{':'.join(quoted)})" in query.text_for("ladybug")

    path = write(
        tmp_path, "who_sits.cypher", query_text(body=body.replace("actor_labels", "actors"))
    )
    error = rejection(path)
    assert error.startswith(f"{path}:7: unknown placeholder {{{{actors}}}}"), error


def test_cluster_defaults_come_from_the_profile_in_use(tmp_path: Path) -> None:
    from biocluster_kg.kernel.cluster import ClusterProfile

    params = "// param: kind string = cluster.institute_id -- The institute.\n"
    write(tmp_path, "who_sits.cypher", query_text(params=params))
    shipped = load_library(tmp_path).get("who_sits")
    assert shipped.bind({}) == {"kind": "org:iab"}
    assert shipped.parameter("kind").signature() == "kind string = cluster.institute_id"
    other = load_library(tmp_path, profile=ClusterProfile(institute_id="org:lab"))
    assert other.get("who_sits").bind({}) == {"kind": "org:lab"}
    assert load_library(tmp_path).for_profile(ClusterProfile(institute_id="org:x")).get(
        "who_sits"
    ).bind({}) == {"kind": "org:x"}
    # A profile without the anchor makes the parameter required, and says why.
    empty = load_library(tmp_path, profile=ClusterProfile()).get("who_sits")
    with pytest.raises(
        QueryParameterError, match="the cluster profile gives no cluster.institute_id"
    ):
        empty.bind({})
    assert empty.bind({"kind": "org:y"}) == {"kind": "org:y"}


@pytest.mark.parametrize(
    ("default", "message"),
    [
        (
            "cluster.institute",
            "param kind: cluster.institute is not a value of the cluster profile",
        ),
        ("schema.actors", "param kind: schema.actors is not a list of the schema"),
        ("cluster.company_kinds", 'param kind: cluster.company_kinds is ["company", '),
        ("schema.labels", 'param kind: schema.labels is ["Organization"'),
    ],
)
def test_bad_references_in_defaults_are_rejected(
    tmp_path: Path, default: str, message: str
) -> None:
    params = f"// param: kind string = {default} -- The kind.\n"
    path = write(tmp_path, "who_sits.cypher", query_text(params=params))
    error = rejection(path)
    assert error.startswith(f"{path}:4: {message}"), error


def test_the_shipped_headers_copy_no_anchor_of_the_cluster() -> None:
    profile = load_cluster_profile()
    for path in sorted(LIBRARY_DIR.glob("*.cypher")):
        header = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("// param:")
        ]
        for line in header:
            assert f'"{profile.institute_id}"' not in line, path.name
            assert f'"{profile.budget_root}"' not in line, path.name
            assert '["company", "venture"]' not in line, path.name
            assert '["Organization", "Group", "Body", "Position"]' not in line, path.name


def test_a_header_without_body_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "who_sits.cypher", query_text(params="", body=""))
    assert "the query has no Cypher after its header" in rejection(path)


# --------------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------------

TYPED_PARAMS = (
    '// param: label string = "x" -- s\n'
    "// param: who name -- n\n"
    "// param: year int = 2013 -- i\n"
    "// param: share float = 0.5 -- f\n"
    "// param: flag bool = false -- b\n"
    '// param: kinds string[] = ["company"] -- l\n'
    "// param: years int[] = [2012, 2013] -- li\n"
    "// example: who=HMT\n"
)
TYPED_BODY = (
    "RETURN $label AS id, $who AS name_ja, $year AS y, $share AS s, $flag AS f, $kinds AS k,"
    " $years AS ys\n"
)


@pytest.fixture
def typed(tmp_path: Path):
    text = query_text(params=TYPED_PARAMS, body=TYPED_BODY, ordered="false").replace(
        "// columns: id, name_ja", "// columns: id, name_ja, y, s, f, k, ys"
    )
    return load_library(write(tmp_path, "who_sits.cypher", text).parent).get("who_sits")


def test_bind_applies_defaults_and_keeps_names_as_typed(typed) -> None:
    # The question folds a name itself (Neo4j in its text, Ladybug's client at run time),
    # so the bound value is what the person typed, as Neo4j Browser would send it.
    assert typed.bind({"who": "  ＨＭＴ "}) == {
        "label": "x",
        "who": "  ＨＭＴ ",
        "year": 2013,
        "share": 0.5,
        "flag": False,
        "kinds": ["company"],
        "years": [2012, 2013],
    }


def test_bind_converts_what_the_command_line_gives(typed) -> None:
    bound = typed.bind({"who": "x", "share": 2, "kinds": "company, venture"})
    assert bound["share"] == 2.0 and isinstance(bound["share"], float)
    assert bound["kinds"] == ["company", "venture"]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({}, "query who_sits: missing parameter who (name: n), e.g. -p who=HMT"),
        ({"who": "x", "yaer": 1}, "query who_sits: unknown parameter yaer (it takes: flag, kinds,"),
        ({"who": "x", "year": "2013"}, "parameter year must be an integer, got 2013 (str)"),
        ({"who": "x", "year": True}, "parameter year must be an integer, got true (bool)"),
        ({"who": "x", "flag": "yes"}, "parameter flag must be true or false, got yes (str)"),
        ({"who": "x", "years": [2012, "x"]}, "parameter years must be a list of integers"),
        ({"who": "x", "kinds": [1]}, "parameter kinds must be a list of strings"),
        ({"who": 42}, "parameter who must be a name (text), got 42 (int); quote it"),
        ({"who": "x", "label": None}, "parameter label must be a string, got null"),
    ],
)
def test_bad_parameters_are_refused_clearly(typed, given: dict, message: str) -> None:
    with pytest.raises(QueryParameterError) as caught:
        typed.bind(given)
    assert message in str(caught.value)


def test_unknown_query_suggests_close_names() -> None:
    with pytest.raises(QueryError) as caught:
        default_library().get("council_and_comittee")
    assert str(caught.value) == (
        "no query named 'council_and_comittee' (did you mean council_and_committee?); "
        "`biocluster queries` lists them"
    )


_IDENTIFIER = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
_DEFAULTS = {
    "string": st.text(max_size=8),
    "int": st.integers(-(10**6), 10**6),
    "year": st.integers(2000, 2030),
    "float": st.floats(allow_nan=False, allow_infinity=False, width=32),
    "bool": st.booleans(),
    "string[]": st.lists(st.text(max_size=5), max_size=3),
    "id": st.text(max_size=8),
    "id[]": st.lists(st.text(max_size=5), max_size=3),
    "int[]": st.lists(st.integers(0, 9999), max_size=3),
}


@settings(max_examples=60, deadline=None)
@given(
    declared=st.dictionaries(
        _IDENTIFIER,
        st.sampled_from([t for t in PARAMETER_TYPES if t != "name"]).flatmap(
            lambda type_: st.tuples(st.just(type_), _DEFAULTS[type_])
        ),
        min_size=1,
        max_size=5,
    ),
    noise=st.text(alphabet="abc $'\"/*\n", max_size=20),
    dropped=st.integers(min_value=0),
)
def test_declared_and_used_parameters_must_match(
    tmp_path_factory: pytest.TempPathFactory, declared: dict, noise: str, dropped: int
) -> None:
    folder = tmp_path_factory.mktemp("library")
    params = "".join(
        f"// param: {name} {type_} = {json.dumps(default, ensure_ascii=False)} -- d\n"
        for name, (type_, default) in declared.items()
    )
    # Noise lives inside a string literal: its dollars and quotes must not count.
    literal = "'" + noise.replace("\\", "").replace("'", "\\'") + "'"
    uses = [f"${name} AS v{index}" for index, name in enumerate(declared)]
    body = f"RETURN {literal} AS id, {literal} AS name_ja, " + ", ".join(uses) + "\n"
    text = query_text(params=params, body=body, ordered="false")
    library = load_library(write(folder, "who_sits.cypher", text).parent)
    query = library.get("who_sits")
    assert [p.name for p in query.parameters] == list(declared)
    assert query.bind({}) == {
        name: (float(default) if type_ == "float" else default)
        for name, (type_, default) in declared.items()
    }

    names = list(declared)
    victim = names[dropped % len(names)]
    body_without = body.replace(f"${victim} AS", f"'{victim}' AS")
    write(folder, "who_sits.cypher", query_text(params=params, body=body_without, ordered="false"))
    error = rejection(folder / "who_sits.cypher")
    line = 4 + names.index(victim)
    assert f"who_sits.cypher:{line}: param {victim} is declared but" in error


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------


def test_name_normalisation_is_nfkc_and_lower_case() -> None:
    assert normalize_name("ＩＡＢ") == normalize_name(" iab") == "iab"
    assert normalize_name("（公財）庄内") == "(公財)庄内"


@given(
    st.lists(
        st.lists(
            st.one_of(
                st.none(), st.integers(), st.text(max_size=3), st.lists(st.integers(), max_size=2)
            ),
            min_size=2,
            max_size=2,
        )
    )
)
def test_sort_rows_is_a_total_order(rows: list) -> None:
    once = sort_rows(rows)
    assert sort_rows(list(reversed(rows))) == once
    assert sorted(map(repr, once)) == sorted(map(repr, rows))


def test_library_is_iterable_in_name_order() -> None:
    library = default_library()
    assert isinstance(library, Library)
    assert [query.name for query in library] == sorted(library.names())
    assert "budget_tree" in library
