// name: bridges_companies_to_institute
// question: Who bridges companies to the institute: which actors lie on the shortest
//   connections between companies and the institute, for how many companies, and how much
//   of those connections runs through them?
// question_ja: 企業と慶應先端研を橋渡ししているのは誰か（企業と先端研を結ぶ最短経路上の主体を、経路の担い分と橋渡しする企業の数で順位付け）？
// param: institute_id string = "org:iab" -- Id of the institute (an Organization).
// param: company_kinds string[] = ["company", "venture"] -- Organization kinds that are companies.
// param: group_kinds string[] = ["companies", "breweries", "pharmaceutical_makers", "food_manufacturers", "medical_companies"] -- Group kinds that are (anonymous) companies.
// param: tie_types string[] = ["PART_OF", "BREAKDOWN_OF", "POSITION_IN", "MEMBER_OF", "PERFORMS", "TARGETS", "COORDINATES_WITH", "GUIDES", "IMPLEMENTS", "FUNDS", "SUPPORTS", "PARTICIPATES_IN", "PROGRAMME_OF", "VENTURE_OF"] -- Relationship types a path may use (default: all but the record types WORKS_ON, PRODUCED and MEASURES, as biocluster_kg.graph.tie_graph.DEFAULT_TIES).
// param: broker_labels string[] = ["Organization", "Group", "Body", "Position"] -- Labels a broker may have (add Project, Program, Function, ... to see what else bridges).
// columns: broker_id, broker_label, broker_kind, broker_name_ja, broker_name_en, dependency, companies, company_ids, paths
// ordered: true
// analytics: true

// Same question as the Neo4j variant (see there for the definition). Ladybug: label(n)
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
WITH institute, company, collect(path) AS company_paths
UNWIND company_paths AS path
UNWIND nodes(path) AS broker
WITH institute, company, size(company_paths) AS shortest_paths, broker
WHERE broker.id <> company.id AND broker.id <> institute.id
  AND label(broker) IN $broker_labels
WITH broker,
     round(sum(1.0 / shortest_paths), 9) AS dependency,
     list_sort(collect(DISTINCT company.id)) AS company_ids,
     count(*) AS paths
RETURN broker.id AS broker_id,
       label(broker) AS broker_label,
       broker.kind AS broker_kind,
       broker.name_ja AS broker_name_ja,
       broker.name_en AS broker_name_en,
       dependency,
       size(company_ids) AS companies,
       company_ids,
       paths
ORDER BY dependency DESC, companies DESC, broker_id
