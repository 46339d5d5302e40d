"""Schema -> store definitions: Ladybug tables, Neo4j constraints and indexes.

Everything here is generated from :data:`biocluster_kg.kernel.schema.SCHEMA`; labels, types and
property names go through its allow-list and are backtick-quoted.

Ladybug needs every table declared. Each node label gets one table holding the union of all
node properties (so that ``MATCH (n) WHERE n.sector = ...`` over every label works the same
on both engines, computed measures included) with ``id`` as primary key; each relationship
type one table with all its FROM/TO pairs and the union of all relationship properties.

>>> statements = ladybug_ddl()
>>> statements[0].startswith("CREATE NODE TABLE `Organization`(`id` STRING, ")
True
>>> [s for s in statements if "`VENTURE_OF`" in s][0][:70]
'CREATE REL TABLE `VENTURE_OF`(FROM `Organization` TO `Organization`, `'

Neo4j gets a uniqueness constraint on ``id`` per label (which is also the index MERGE uses),
a range index on each relationship type's ``id``, range indexes on the properties searched
by the query library, and one full-text index over the actors' names and aliases with the
``cjk`` analyzer (bigrams, so a Japanese name matches on any two-character part).

>>> neo4j_schema_statements()[0]
'CREATE CONSTRAINT `organization_id` IF NOT EXISTS FOR (n:`Organization`) REQUIRE n.`id` IS UNIQUE'
"""

from __future__ import annotations

from biocluster_kg.kernel.schema import ACTOR_LABELS, SCHEMA, Property, Schema, quote_identifier

__all__ = [
    "WORKSPACE_LABEL",
    "WORKSPACE_PROPERTIES",
    "ladybug_workspace_ddl",
    "LADYBUG_TYPES",
    "ACTOR_LABELS",
    "NEO4J_INDEXED_PROPERTIES",
    "FULLTEXT_INDEX",
    "FULLTEXT_PROPERTIES",
    "ladybug_ddl",
    "neo4j_schema_statements",
    "neo4j_index_names",
]

LADYBUG_TYPES = {
    "string": "STRING",
    "int": "INT64",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "string[]": "STRING[]",
}


#: Node properties the query library looks nodes up by (range indexes where a label has
#: one): the schema's ``indexed`` properties.
NEO4J_INDEXED_PROPERTIES: tuple[str, ...] = tuple(
    prop.name for prop in SCHEMA.all_node_properties() if prop.indexed
)
FULLTEXT_INDEX = "actor_names"
FULLTEXT_PROPERTIES = ("name_ja", "name_en", "aliases")


def _columns(properties: tuple[Property, ...], names: tuple[str, ...]) -> str:
    return ", ".join(
        f"{quote_identifier(p.name, names)} {LADYBUG_TYPES[p.type]}" for p in properties
    )


def ladybug_ddl(schema: Schema = SCHEMA) -> list[str]:
    """CREATE NODE TABLE / CREATE REL TABLE statements for an empty Ladybug database."""
    node_properties = schema.all_node_properties()
    relationship_properties = schema.all_relationship_properties()
    node_names = tuple(p.name for p in node_properties)
    relationship_names = tuple(p.name for p in relationship_properties)
    statements = []
    for label in schema.labels:
        statements.append(
            f"CREATE NODE TABLE {quote_identifier(label, schema.labels)}("
            f"{_columns(node_properties, node_names)}, PRIMARY KEY (`id`))"
        )
    for rel in schema.relationships:
        pairs = ", ".join(
            f"FROM {quote_identifier(start, schema.labels)} "
            f"TO {quote_identifier(end, schema.labels)}"
            for start, end in rel.endpoints
        )
        statements.append(
            f"CREATE REL TABLE {quote_identifier(rel.name, schema.types)}("
            f"{pairs}, {_columns(relationship_properties, relationship_names)})"
        )
    return statements


#: The label of the one node that records which workspace a store was loaded from. It is
#: no label of the schema: no actor, no fact, and no question, export or readback (which
#: all name the schema's labels) sees it.
WORKSPACE_LABEL = "BioclusterWorkspace"

#: Its properties (all text): the workspace's folder, its titles and its whole cluster
#: profile as JSON (:meth:`biocluster_kg.kernel.cluster.ClusterProfile.to_record`).
WORKSPACE_PROPERTIES: tuple[str, ...] = (
    "id",
    "data_dir",
    "title_ja",
    "title_en",
    "cluster_profile",
)


def ladybug_workspace_ddl() -> str:
    """The workspace record's table, created beside the schema's when a load records it.

    >>> ladybug_workspace_ddl()[:60]
    'CREATE NODE TABLE IF NOT EXISTS `BioclusterWorkspace`(`id` S'
    """
    columns = ", ".join(f"`{name}` STRING" for name in WORKSPACE_PROPERTIES)
    return f"CREATE NODE TABLE IF NOT EXISTS `{WORKSPACE_LABEL}`({columns}, PRIMARY KEY (`id`))"


def _index_name(*parts: str) -> str:
    return "_".join(part.lower() for part in parts)


def neo4j_schema_statements(schema: Schema = SCHEMA) -> list[str]:
    """Constraints, then range indexes, then the full-text index; all IF NOT EXISTS."""
    statements = []
    for label in schema.labels:
        quoted = quote_identifier(label, schema.labels)
        statements.append(
            f"CREATE CONSTRAINT `{_index_name(label, 'id')}` IF NOT EXISTS "
            f"FOR (n:{quoted}) REQUIRE n.`id` IS UNIQUE"
        )
    for rel in schema.relationships:
        quoted = quote_identifier(rel.name, schema.types)
        statements.append(
            f"CREATE INDEX `{_index_name(rel.name, 'id')}` IF NOT EXISTS "
            f"FOR ()-[r:{quoted}]-() ON (r.`id`)"
        )
    for node_label in schema.nodes:
        for name in schema.indexed_properties(node_label.name):
            quoted = quote_identifier(node_label.name, schema.labels)
            statements.append(
                f"CREATE INDEX `{_index_name(node_label.name, name)}` IF NOT EXISTS "
                f"FOR (n:{quoted}) ON (n.`{name}`)"
            )
    labels = "|".join(quote_identifier(label, schema.labels) for label in schema.actor_labels)
    properties = ", ".join(f"n.`{name}`" for name in FULLTEXT_PROPERTIES)
    statements.append(
        f"CREATE FULLTEXT INDEX `{FULLTEXT_INDEX}` IF NOT EXISTS FOR (n:{labels}) "
        f"ON EACH [{properties}] OPTIONS {{indexConfig: {{`fulltext.analyzer`: 'cjk'}}}}"
    )
    return statements


def neo4j_index_names(schema: Schema = SCHEMA) -> list[str]:
    """Names of every constraint and index :func:`neo4j_schema_statements` creates."""
    return [statement.split("`")[1] for statement in neo4j_schema_statements(schema)]
