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
// The graph is the knowledge graph taken undirected, relationships of tie_types only. For
// each company (the company kinds of the cluster profile, cluster.yaml) every shortest path to the
// institute (up to 12 hops) is found; a broker is a node strictly inside one, with a label
// in broker_labels. dependency = the sum over companies of the share of the company's
// shortest paths that pass through the broker (Brandes' dependency of the institute on the
// broker, as biocluster_kg.graph.betweenness.target_dependency computes it), rounded to 9 decimals;
// companies = the distinct companies with such a path, company_ids those (sorted); paths =
// the shortest paths through the broker. bridge_score = dependency divided by the number of
// companies with any route to the institute, in [0, 1]: the analysis's bridge_score
// (biocluster_kg.graph.bridging.Bridges.score, `analyze brokers`, the page, the exports),
// so one fact reads the same everywhere; that count is a first pass of the same search.
// Ranked by dependency (the same order as bridge_score), then companies, then id.
// tests/test_conformance.py recomputes it with networkx and compares the ranking with
// biocluster_kg.graph.betweenness.target_dependency on the actor tie graph.
// Neo4j: allShortestPaths with the type filter applied during the search; company_ids is
// ordered before collect() (no list sort without APOC).
MATCH (institute:`Organization`)
WHERE institute.id = $institute_id
MATCH (company)
WHERE ((company:`Organization` AND company.kind IN $company_kinds)
       OR (company:`Group` AND company.kind IN $group_kinds))
  AND company.id <> institute.id
MATCH path = allShortestPaths((company)-[*..12]-(institute))
WHERE all(tie IN relationships(path) WHERE type(tie) IN $tie_types)
WITH institute, count(DISTINCT company) AS reachable
MATCH (company)
WHERE ((company:`Organization` AND company.kind IN $company_kinds)
       OR (company:`Group` AND company.kind IN $group_kinds))
  AND company.id <> institute.id
MATCH path = allShortestPaths((company)-[*..12]-(institute))
WHERE all(tie IN relationships(path) WHERE type(tie) IN $tie_types)
WITH institute, reachable, company, collect(path) AS company_paths
UNWIND company_paths AS path
UNWIND nodes(path) AS broker
WITH institute, reachable, company, size(company_paths) AS shortest_paths, broker
WHERE broker.id <> company.id AND broker.id <> institute.id
  AND any(label IN labels(broker) WHERE label IN $broker_labels)
WITH broker, reachable, company, shortest_paths
ORDER BY company.id
WITH broker, reachable,
     round(sum(1.0 / shortest_paths), 9) AS dependency,
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
// Same question as the Neo4j block (see there for the definition). Ladybug: label(n)
// instead of labels(n); `* ALL SHORTEST` with the type filter inside the recursive pattern
// (a WHERE after it would drop paths instead of searching among the allowed ones); list_sort
// because collect() ignores a preceding ORDER BY.
MATCH (institute:`Organization`)
WHERE institute.id = $institute_id
MATCH (company)
WHERE ((label(company) = 'Organization' AND company.kind IN $company_kinds)
       OR (label(company) = 'Group' AND company.kind IN $group_kinds))
  AND company.id <> institute.id
MATCH path = (company)-[* ALL SHORTEST 1..12 (tie, step | WHERE label(tie) IN $tie_types)]-
             (institute)
WITH institute, count(DISTINCT company) AS reachable
MATCH (company)
WHERE ((label(company) = 'Organization' AND company.kind IN $company_kinds)
       OR (label(company) = 'Group' AND company.kind IN $group_kinds))
  AND company.id <> institute.id
MATCH path = (company)-[* ALL SHORTEST 1..12 (tie, step | WHERE label(tie) IN $tie_types)]-
             (institute)
WITH institute, reachable, company, collect(path) AS company_paths
UNWIND company_paths AS path
UNWIND nodes(path) AS broker
WITH institute, reachable, company, size(company_paths) AS shortest_paths, broker
WHERE broker.id <> company.id AND broker.id <> institute.id
  AND label(broker) IN $broker_labels
WITH broker, reachable,
     round(sum(1.0 / shortest_paths), 9) AS dependency,
     list_sort(collect(DISTINCT company.id)) AS company_ids,
     count(*) AS paths
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
