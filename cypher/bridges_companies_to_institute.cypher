// name: bridges_companies_to_institute
// question: Who bridges companies to the institute: which actors lie on the shortest
//   connections between companies and the institute, for how many companies, and how much
//   of those connections runs through them?
// question_ja: 企業と中核の研究機関を橋渡ししているのは誰か（企業と研究機関を結ぶ最短経路上の主体を、経路の担い分と橋渡しする企業の数で順位付け）？
// param: institute_id id = cluster.institute_id -- Id (or name) of the institute (an Organization).
// param: company_kinds string[] = cluster.organization_company_kinds -- Organization kinds that are companies.
// param: group_kinds string[] = cluster.group_company_kinds -- Group kinds that are (anonymous) companies.
// param: tie_types string[] = schema.default_tie_types -- Relationship types a path may use (default: those of the analysis's default tie kinds, all but the record kind).
// param: broker_labels string[] = schema.actor_labels -- Labels a broker may have (default: the actors; add Project, Program, Function, ... to see what else bridges).
// columns: broker_id, broker_label, broker_kind, broker_name_ja, broker_name_en, bridge_score, dependency, companies, company_ids, paths
// ordered: true
// analytics: true

// dialect: neo4j
// What a road is. The graph is the knowledge graph taken undirected, relationships of
// tie_types only, every node a step (functions, programmes and projects as well as actors).
// A road is a sequence of nodes, each tied to the next: parallel relationships between the
// same two nodes (a body that both coordinates with and guides a company) are ONE road,
// not several, as in the analysis's graph (graph/bridging.py, `analyze brokers`) and in
// networkx's simple Graph. For each company (the company kinds of the cluster profile) the
// shortest roads to the institute (up to 12 steps) are found; a broker is a node strictly
// inside one, with a label in broker_labels.
// dependency = the sum over companies of the share of the company's shortest roads that pass
// through the broker (Brandes' dependency of the institute on the broker, as
// biocluster_kg.graph.betweenness.target_dependency computes it), rounded to 9 decimals;
// companies = the distinct companies with such a road, company_ids those (sorted); paths =
// the shortest roads through the broker. bridge_score = dependency divided by the number of
// companies with any road to the institute, in [0, 1]: the analysis's bridge_score
// (biocluster_kg.graph.bridging.Bridges.score, `analyze brokers`, the page, the exports).
// Ranked by dependency (the same order as bridge_score), then companies, then id.
// One search answers both: each company's roads are collected once, the companies counted
// from that list, and the list unwound again (a second search cost 30x, issue 28).
// tests/test_conformance.py and tests/test_bridging_roads.py recompute it with networkx.
// allShortestPaths gives relationship-distinct paths; collecting DISTINCT nodes(path) makes
// parallel ties one road. company_ids is ordered before collect() (no list sort without APOC).
MATCH (institute:`Organization`)
WHERE institute.id = $institute_id
MATCH (company)
WHERE ((company:`Organization` AND company.kind IN $company_kinds)
       OR (company:`Group` AND company.kind IN $group_kinds))
  AND company.id <> institute.id
MATCH path = allShortestPaths((company)-[*..12]-(institute))
WHERE all(tie IN relationships(path) WHERE type(tie) IN $tie_types)
WITH institute, company, collect(DISTINCT nodes(path)) AS roads
WITH institute, collect({company: company, roads: roads}) AS routes
WITH institute, size(routes) AS reachable, routes
UNWIND routes AS route
WITH institute, reachable, route.company AS company, route.roads AS roads
UNWIND roads AS road
UNWIND road AS broker
WITH institute, reachable, company, size(roads) AS shortest_roads, broker
WHERE broker <> company AND broker <> institute
  AND any(label IN labels(broker) WHERE label IN $broker_labels)
WITH broker, reachable, company, shortest_roads
ORDER BY company.id
WITH broker, reachable,
     round(sum(1.0 / shortest_roads), 9) AS dependency,
     collect(DISTINCT company.id) AS company_ids,
     count(*) AS paths
RETURN broker.id AS broker_id,
       labels(broker)[0] AS broker_label,
       broker.kind AS broker_kind,
       broker.name_ja AS broker_name_ja,
       broker.name_en AS broker_name_en,
       round(dependency / reachable, 9) AS bridge_score,
       dependency,
       size(company_ids) AS companies,
       company_ids,
       paths
ORDER BY dependency DESC, companies DESC, broker_id
// dialect: ladybug
// Same question (see the Neo4j block for the definition). Ladybug: one `* ALL SHORTEST`
// search from the institute (one source, every company a destination) over the types of
// tie_types only, written into the pattern when the question runs (the types placeholder of
// cypher/dialects.py): a `(tie, _ | WHERE label(tie) IN $tie_types)` predicate searched the
// same roads 2.4x slower at 1k actors and 5-9x on the shipped data (a WHERE after the
// search would drop paths instead of searching among the allowed ones). Roads
// are lists of node ids, not nodes: a node here carries every property of every table, and
// grouping and DISTINCT over those cost more than the search; the brokers are matched by id
// at the end. list_sort because collect() ignores a preceding ORDER BY.
MATCH (institute:`Organization`)
WHERE institute.id = $institute_id
MATCH (company)
WHERE ((label(company) = 'Organization' AND company.kind IN $company_kinds)
       OR (label(company) = 'Group' AND company.kind IN $group_kinds))
  AND company.id <> $institute_id
MATCH path = (institute)-[:{{types($tie_types)}}* ALL SHORTEST 1..12]-(company)
WITH company.id AS company, collect(DISTINCT properties(nodes(path), 'id')) AS roads
WITH collect({company: company, roads: roads}) AS routes
WITH size(routes) AS reachable, routes
UNWIND routes AS route
WITH reachable, route.company AS company, route.roads AS roads
UNWIND roads AS road
UNWIND road AS step
WITH reachable, company, size(roads) AS shortest_roads, step
WHERE step <> company AND step <> $institute_id
WITH step, reachable,
     round(sum(1.0 / shortest_roads), 9) AS dependency,
     list_sort(collect(DISTINCT company)) AS company_ids,
     count(*) AS paths
MATCH (broker)
WHERE broker.id = step AND label(broker) IN $broker_labels
RETURN broker.id AS broker_id,
       label(broker) AS broker_label,
       broker.kind AS broker_kind,
       broker.name_ja AS broker_name_ja,
       broker.name_en AS broker_name_en,
       round(dependency / reachable, 9) AS bridge_score,
       dependency,
       size(company_ids) AS companies,
       company_ids,
       paths
ORDER BY dependency DESC, companies DESC, broker_id
