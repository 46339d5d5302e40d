// name: actor_profile
// question: What is known about one actor, found by its Japanese or English name, an
//   alias or its id: its properties and every relationship it has?
// question_ja: ある主体（日本語名・英語名・別名・IDで指定）について分かっていることは何か（属性とすべての関係）？
// param: name name -- Japanese or English name, alias or id; matched whole, ignoring case, full-/half-width, spaces and ・.
// example: name=慶應先端研
// columns: actor_id, actor_label, actor_kind, actor_sector, actor_name_ja, actor_name_en, aliases, direction, relationship, role, role_ja, other_id, other_label, other_name_ja, other_name_en, relationship_id, span_line, basis, basis_reason
// ordered: false

// One row per relationship of each matching actor (Organization, Group, Body or Position;
// dialect: neo4j
// a name can match several: 専任職員 names two groups); an actor with no relationship at all
// still has one row, the relationship columns empty. relationship_id leads to the source
// (query source_of_fact); basis and basis_reason say how the relationship is known. The
// name is folded here as biocluster_kg.kernel.names.fold_name
// folds it (NFKC, lower case, no spaces or ・), so `:param name => 'Keio IAB'` works as
// typed, and looked up in each actor's stored name_keys, or compared with its id.
// Neo4j: the label disjunction scans the actor labels only; labels(n) is a list and
// type(r) the type. (The actor_names full-text index would find candidates in 10 ms instead
// of 140 ms at 10^5 actors, but a store imported without the schema has no such index, and a
// library query must not fail for want of an index.) The id is found apart, in a UNION: the
// planner seeks it on each label's id constraint (a store without them scans, still right),
// so the scan reads name_keys only (100k db hits instead of 200k); UNION keeps an actor
// found both ways once, as the OR did. 274 -> 169 ms at 10^5 actors, same process, load 4.
WITH {{fold($name)}} AS wanted
CALL (wanted) {
  MATCH (actor:{{actor_labels}}) WHERE actor.id = wanted RETURN actor
  UNION
  MATCH (actor:{{actor_labels}}) WHERE wanted IN actor.name_keys RETURN actor
}
CALL (actor) {
  OPTIONAL MATCH (actor)-[tie]->(other)
  WITH actor, tie, other
  WHERE tie IS NOT NULL OR NOT EXISTS { MATCH (actor)-[]-() }
  RETURN tie, other, CASE WHEN tie IS NULL THEN NULL ELSE 'out' END AS direction
  UNION
  MATCH (actor)<-[tie]-(other)
  RETURN tie, other, 'in' AS direction
}
RETURN actor.id AS actor_id, labels(actor)[0] AS actor_label, actor.kind AS actor_kind,
       actor.sector AS actor_sector, actor.name_ja AS actor_name_ja,
       actor.name_en AS actor_name_en, actor.aliases AS aliases,
       direction, type(tie) AS relationship, tie.role AS role, tie.role_ja AS role_ja,
       other.id AS other_id, labels(other)[0] AS other_label,
       other.name_ja AS other_name_ja, other.name_en AS other_name_en,
       tie.id AS relationship_id, tie.span_line AS span_line,
       tie.basis AS basis, tie.basis_reason AS basis_reason
// dialect: ladybug
// a name can match several: 専任職員 names two groups); an actor with no relationship at
// all still has one row, the relationship columns empty. relationship_id leads to the
// source (query source_of_fact); basis and basis_reason say how the relationship is
// known. Ladybug has no NFKC function: the client sends the name
// folded (biocluster_kg.cypher.dialects.client_folded), looked up in the stored name_keys.
// Ladybug: label(n) and label(r) name the label and the type; (n:A:B) is A OR B; a
// relationship's start is its internal _src. One undirected match replaces Neo4j's UNION of
// the two directions and its NOT EXISTS for actors without ties (an empty OPTIONAL MATCH
// gives that row): 199 ms at 100k actors before, when it also began `WITH $name AS wanted`.
MATCH (actor:{{actor_labels}})
WHERE list_contains(actor.name_keys, {{fold($name)}}) OR actor.id = {{fold($name)}}
OPTIONAL MATCH (actor)-[tie]-(other)
RETURN DISTINCT
       actor.id AS actor_id, label(actor) AS actor_label, actor.kind AS actor_kind,
       actor.sector AS actor_sector, actor.name_ja AS actor_name_ja,
       actor.name_en AS actor_name_en, actor.aliases AS aliases,
       CASE WHEN tie IS NULL THEN NULL
            WHEN struct_extract(tie, '_src') = id(actor) THEN 'out'
            ELSE 'in' END AS direction,
       label(tie) AS relationship, tie.role AS role, tie.role_ja AS role_ja,
       other.id AS other_id, label(other) AS other_label,
       other.name_ja AS other_name_ja, other.name_en AS other_name_en,
       tie.id AS relationship_id, tie.span_line AS span_line,
       tie.basis AS basis, tie.basis_reason AS basis_reason
