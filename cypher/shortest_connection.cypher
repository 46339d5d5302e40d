// name: shortest_connection
// question: How are two actors connected: the shortest chains of relationships between
//   them, as names and relationship types?
// question_ja: 二つの主体はどうつながっているか（最短の関係の連なりを名前と関係の種類で）？
// param: from_name name -- Name, English name, alias or id of the first actor.
// param: to_name name -- Name, English name, alias or id of the second actor.
// example: from_name=小島プレス工業
// example: to_name=山形県知事
// columns: from_id, to_id, hops, node_ids, node_names_ja, relationship_types, relationship_bases
// ordered: false

// Every shortest path (relationships taken either way, up to 12 hops) between any actor
// (Organization, Group, Body, Position) matching from_name and any matching to_name.
// node_ids and node_names_ja run from the first actor to the second; relationship_types[i]
// joins node i and node i+1, and relationship_bases[i] says how that relationship is known
// (stated, layout or inferred). Names are folded and matched as in actor_profile.
// dialect: neo4j
// Neo4j: a label disjunction, allShortestPaths and list comprehensions.
// Both names are looked up in one pass over the actors (a list property has no index): two
// passes took 207 ms at 100k actors, one takes 121.
WITH {{fold($from_name)}} AS from_key, {{fold($to_name)}} AS to_key
MATCH (actor:{{actor_labels}})
WHERE from_key IN actor.name_keys OR actor.id = from_key
   OR to_key IN actor.name_keys OR actor.id = to_key
WITH from_key, to_key, collect(actor) AS found
UNWIND found AS source
UNWIND found AS target
WITH source, target, from_key, to_key
WHERE (from_key IN source.name_keys OR source.id = from_key)
  AND (to_key IN target.name_keys OR target.id = to_key)
  AND target.id <> source.id
MATCH path = allShortestPaths((source)-[*..12]-(target))
RETURN source.id AS from_id,
       target.id AS to_id,
       length(path) AS hops,
       [node IN nodes(path) | node.id] AS node_ids,
       [node IN nodes(path) | node.name_ja] AS node_names_ja,
       [tie IN relationships(path) | type(tie)] AS relationship_types,
       [tie IN relationships(path) | tie.basis] AS relationship_bases
// dialect: ladybug
// Ladybug: `* ALL SHORTEST`, properties(nodes(p), ...) and list_transform with label(r).
// Names are looked up in the stored name_keys list: a list predicate such as
// any(alias IN ... WHERE ...) makes the engine (0.22) plan the shortest-path search from
// every node (over 90 s at 1,000 actors against 0.1 s). The client sends the names folded
// (Ladybug has no NFKC function).
MATCH (source:{{actor_labels}})
WHERE list_contains(source.name_keys, {{fold($from_name)}}) OR source.id = {{fold($from_name)}}
MATCH (target:{{actor_labels}})
WHERE (list_contains(target.name_keys, {{fold($to_name)}}) OR target.id = {{fold($to_name)}})
  AND target.id <> source.id
MATCH path = (source)-[* ALL SHORTEST 1..12]-(target)
RETURN source.id AS from_id,
       target.id AS to_id,
       length(path) AS hops,
       properties(nodes(path), 'id') AS node_ids,
       properties(nodes(path), 'name_ja') AS node_names_ja,
       list_transform(rels(path), tie -> label(tie)) AS relationship_types,
       properties(rels(path), 'basis') AS relationship_bases
