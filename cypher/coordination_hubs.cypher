// name: coordination_hubs
// question: What do the coordinators and the cluster's coordinating hubs connect: which functions they
//   carry out, whom those functions target, and with whom they are tied?
// question_ja: コーディネーターと連携の拠点は何をつないでいるか（担う機能・その対象・連携先）？
// param: hub_ids id[] = cluster.hubs -- Ids (or names) of hubs besides the coordinators (default: the coordinating hubs the workspace names, cluster.yaml `hubs`; none if it names none).
// param: hub_kinds string[] = ["coordinator", "coordinator_unit"] -- Kinds that make a node a hub (coordinator posts and units).
// param: tie_types string[] = ["COORDINATES_WITH", "GUIDES", "MEMBER_OF", "POSITION_IN", "PART_OF", "IMPLEMENTS", "PARTICIPATES_IN"] -- Relationship types listed as ties.
// columns: hub_id, hub_name_ja, connection, relationship, direction, via_id, node_id, node_name_ja, node_name_en, basis, basis_reason
// ordered: false

// connection 'function': the hub PERFORMS it, or a body the hub is a MEMBER_OF does (via_id
// is then that body). 'target': such a function TARGETS the node (via_id the function).
// 'tie': any relationship of tie_types between the hub and the node, either way. basis and
// basis_reason say how the relationship named in `relationship` is known.
// dialect: neo4j
// Neo4j: each part finds its hubs by a UNION of two seeks, on the id constraints and on
// the kind indexes; `id IN ... OR kind IN ...` scanned every node in each of the four parts
// (247 ms at 10^5 actors). The UNION keeps each hub once, as the OR did.
CALL () {
  MATCH (hub:{{labels}}) WHERE hub.id IN $hub_ids RETURN hub
  UNION
  MATCH (hub:{{labels}}) WHERE hub.kind IN $hub_kinds RETURN hub
}
MATCH (hub)-[:`MEMBER_OF`*0..1]->(performer)-[performs:`PERFORMS`]->(function:`Function`)
RETURN hub.id AS hub_id, hub.name_ja AS hub_name_ja, 'function' AS connection,
       'PERFORMS' AS relationship, 'out' AS direction,
       CASE WHEN performer.id = hub.id THEN NULL ELSE performer.id END AS via_id,
       function.id AS node_id, function.name_ja AS node_name_ja, function.name_en AS node_name_en,
       performs.basis AS basis, performs.basis_reason AS basis_reason
UNION ALL
CALL () {
  MATCH (hub:{{labels}}) WHERE hub.id IN $hub_ids RETURN hub
  UNION
  MATCH (hub:{{labels}}) WHERE hub.kind IN $hub_kinds RETURN hub
}
MATCH (hub)-[:`MEMBER_OF`*0..1]->(performer)-[:`PERFORMS`]->(function:`Function`)
      -[aim:`TARGETS`]->(target)
RETURN hub.id AS hub_id, hub.name_ja AS hub_name_ja, 'target' AS connection,
       'TARGETS' AS relationship, 'out' AS direction, function.id AS via_id,
       target.id AS node_id, target.name_ja AS node_name_ja, target.name_en AS node_name_en,
       aim.basis AS basis, aim.basis_reason AS basis_reason
UNION ALL
CALL () {
  MATCH (hub:{{labels}}) WHERE hub.id IN $hub_ids RETURN hub
  UNION
  MATCH (hub:{{labels}}) WHERE hub.kind IN $hub_kinds RETURN hub
}
MATCH (hub)-[tie]->(other)
WHERE type(tie) IN $tie_types
RETURN hub.id AS hub_id, hub.name_ja AS hub_name_ja, 'tie' AS connection,
       type(tie) AS relationship, 'out' AS direction, toString(NULL) AS via_id,
       other.id AS node_id, other.name_ja AS node_name_ja, other.name_en AS node_name_en,
       tie.basis AS basis, tie.basis_reason AS basis_reason
UNION ALL
CALL () {
  MATCH (hub:{{labels}}) WHERE hub.id IN $hub_ids RETURN hub
  UNION
  MATCH (hub:{{labels}}) WHERE hub.kind IN $hub_kinds RETURN hub
}
MATCH (hub)<-[tie]-(other)
WHERE type(tie) IN $tie_types
RETURN hub.id AS hub_id, hub.name_ja AS hub_name_ja, 'tie' AS connection,
       type(tie) AS relationship, 'in' AS direction, toString(NULL) AS via_id,
       other.id AS node_id, other.name_ja AS node_name_ja, other.name_en AS node_name_en,
       tie.basis AS basis, tie.basis_reason AS basis_reason
// dialect: ladybug
// A UNION column needs one type in Ladybug: the empty via_id of a tie is a typed null,
// CAST(NULL AS STRING). Ladybug (0.22) has no CALL subquery and seeks no index but its
// primary key, so each part matches its hubs in one pass over every node table: that pass
// is most of the time, so the four parts of the Neo4j text are two here. The first walks
// `TARGETS*0..1` from each function: no hop is the function row, one hop a target row (the
// node is then `target` either way); a NULL is appended to the hop's properties because
// [1] of an empty list is an error even in a CASE branch not taken. The second matches ties either way in one pattern
// and tells the direction by the relationship's internal _src; a self-loop is matched
// twice (both from _src), so the ties are made distinct by id(tie) and a self-loop is given
// both directions, as the two directed parts gave it. Hub Shonai centre at 10^5 actors:
// four parts 149 ms, two parts 92 ms (same process, load 3.6).
MATCH (hub)
WHERE hub.id IN $hub_ids OR hub.kind IN $hub_kinds
MATCH (hub)-[:`MEMBER_OF`*0..1]->(performer)-[performs:`PERFORMS`]->(function:`Function`)
      -[aim:`TARGETS`*0..1]->(target)
WITH hub, performer, performs, function, target, size(rels(aim)) = 0 AS own,
     list_concat(properties(rels(aim), 'basis'), CAST([NULL] AS STRING[]))[1] AS aim_basis,
     list_concat(properties(rels(aim), 'basis_reason'), CAST([NULL] AS STRING[]))[1]
         AS aim_basis_reason
RETURN hub.id AS hub_id, hub.name_ja AS hub_name_ja,
       CASE WHEN own THEN 'function' ELSE 'target' END AS connection,
       CASE WHEN own THEN 'PERFORMS' ELSE 'TARGETS' END AS relationship, 'out' AS direction,
       CASE WHEN NOT own THEN function.id
            WHEN performer.id = hub.id THEN NULL ELSE performer.id END AS via_id,
       target.id AS node_id, target.name_ja AS node_name_ja, target.name_en AS node_name_en,
       CASE WHEN own THEN performs.basis ELSE aim_basis END AS basis,
       CASE WHEN own THEN performs.basis_reason ELSE aim_basis_reason END AS basis_reason
UNION ALL
MATCH (hub)
WHERE hub.id IN $hub_ids OR hub.kind IN $hub_kinds
MATCH (hub)-[tie]-(other)
WHERE label(tie) IN $tie_types
WITH DISTINCT hub, other, id(tie) AS tie_id, label(tie) AS relationship,
     struct_extract(tie, '_src') AS tie_start, tie.basis AS basis,
     tie.basis_reason AS basis_reason
UNWIND CASE WHEN id(other) = id(hub) THEN ['out', 'in']
            WHEN tie_start = id(hub) THEN ['out'] ELSE ['in'] END AS direction
RETURN hub.id AS hub_id, hub.name_ja AS hub_name_ja, 'tie' AS connection,
       relationship, direction, CAST(NULL AS STRING) AS via_id,
       other.id AS node_id, other.name_ja AS node_name_ja, other.name_en AS node_name_en,
       basis, basis_reason
