// name: shortest_connection
// question: How are two actors connected: the shortest chains of relationships between
//   them, as names and relationship types?
// question_ja: 二つの主体はどうつながっているか（最短の関係の連なりを名前と関係の種類で）？
// param: from_name name -- Name, English name, alias or id of the first actor.
// param: to_name name -- Name, English name, alias or id of the second actor.
// example: from_name=小島プレス工業
// example: to_name=山形県知事
// columns: from_id, to_id, hops, node_ids, node_names_ja, relationship_types
// ordered: false

// Every shortest path (relationships taken either way, up to 12 hops) between any actor
// (Organization, Group, Body, Position) matching from_name and any matching to_name.
// node_ids and node_names_ja run from the first actor to the second; relationship_types[i]
// joins node i and node i+1. Names are matched as in actor_profile.
// Neo4j: a label disjunction, allShortestPaths and list comprehensions.
WITH $from_name AS wanted_from, $to_name AS wanted_to
MATCH (source:`Organization`|`Group`|`Body`|`Position`)
WHERE wanted_from IN source.name_keys OR source.id = wanted_from
MATCH (target:`Organization`|`Group`|`Body`|`Position`)
WHERE wanted_to IN target.name_keys OR target.id = wanted_to
WITH source, target
WHERE target.id <> source.id
MATCH path = allShortestPaths((source)-[*..12]-(target))
RETURN source.id AS from_id,
       target.id AS to_id,
       length(path) AS hops,
       [node IN nodes(path) | node.id] AS node_ids,
       [node IN nodes(path) | node.name_ja] AS node_names_ja,
       [tie IN relationships(path) | type(tie)] AS relationship_types
