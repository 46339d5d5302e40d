// name: funding_routes_for_companies
// question: Which funding routes are open to a company: the support ladder's steps in
//   order, with their schemes, unit amounts and counts, and who funds or carries them out?
// question_ja: 企業が使える支援の道筋は？（企業支援イメージの各段階を順に、事業・単価・件数・財源・実施主体とともに）
// param: beneficiary_id id = cluster.company_group -- Id (or name) of the actor the ladder supports (SUPPORTS); default: the group of companies the workspace names (cluster.yaml `company_group`).
// columns: ladder_id, ladder_step, depth, item_id, item_name_ja, item_name_en, item_kind, parent_id, unit_amount_thousand_yen, unit_count, amount_min_thousand_yen, amount_max_thousand_yen, funded_by, implemented_by, basis, basis_reason, link_basis, link_basis_reason
// ordered: true

// A ladder is a programme that SUPPORTS the beneficiary and has parts with a ladder_step.
// Every programme in the ladder's PART_OF subtree is a row: the ladder (depth 0), its steps
// (depth 1, in ladder_step order; a part without a step, the base the ladder stands on,
// comes first), their schemes and the schemes' tiers. funded_by and implemented_by list
// the names of who FUNDS or IMPLEMENTS that row's programme, sorted.
// basis and basis_reason say how the row's programme is known, link_basis and
// link_basis_reason how its place under parent_id is (the ladder's boxes are 'layout').
// dialect: neo4j
// Neo4j has no list sort without APOC: the rows are ordered before collect().
MATCH (ladder:`Program`)-[:`SUPPORTS`]->(beneficiary)
WHERE beneficiary.id = $beneficiary_id
  AND EXISTS { MATCH (rung:`Program`)-[:`PART_OF`]->(ladder) WHERE rung.ladder_step IS NOT NULL }
MATCH tree = (item:`Program`)-[:`PART_OF`*0..4]->(ladder)
OPTIONAL MATCH (item)-[:`PART_OF`*0..3]->(step:`Program`)-[:`PART_OF`]->(ladder)
OPTIONAL MATCH (item)-[parent_link:`PART_OF`]->(parent:`Program`)-[:`PART_OF`*0..4]->(ladder)
OPTIONAL MATCH (funder)-[:`FUNDS`]->(item)
WITH ladder, item, length(tree) AS depth, step, parent, parent_link, funder
ORDER BY funder.name_ja
WITH ladder, item, depth, step, parent, parent_link,
     collect(DISTINCT funder.name_ja) AS funded_by
OPTIONAL MATCH (implementer)-[:`IMPLEMENTS`]->(item)
WITH ladder, item, depth, step, parent, parent_link, funded_by, implementer
ORDER BY implementer.name_ja
WITH ladder, item, depth, step, parent, parent_link, funded_by,
     collect(DISTINCT implementer.name_ja) AS implemented_by
RETURN ladder.id AS ladder_id,
       step.ladder_step AS ladder_step,
       depth,
       item.id AS item_id,
       item.name_ja AS item_name_ja,
       item.name_en AS item_name_en,
       item.kind AS item_kind,
       parent.id AS parent_id,
       item.unit_amount_thousand_yen AS unit_amount_thousand_yen,
       item.unit_count AS unit_count,
       item.amount_min_thousand_yen AS amount_min_thousand_yen,
       item.amount_max_thousand_yen AS amount_max_thousand_yen,
       funded_by,
       implemented_by,
       item.basis AS basis,
       item.basis_reason AS basis_reason,
       parent_link.basis AS link_basis,
       parent_link.basis_reason AS link_basis_reason
ORDER BY ladder_id,
         CASE WHEN step IS NULL THEN -1 ELSE coalesce(step.ladder_step, 0) END,
         depth,
         parent_id,
         item_id
// dialect: ladybug
// Ladybug: collect() ignores a preceding ORDER BY, so the lists are sorted with list_sort.
// Ladybug: the parent and the step come from the path itself (its second node, and the node
// just below the ladder). OPTIONAL MATCHes of variable-length patterns back to the ladder
// were planned over every programme: 445 ms at 100k actors, for no row. Lists are 1-based
// and CASE evaluates both branches, hence the clamped indexes.
MATCH (ladder:`Program`)-[:`SUPPORTS`]->(beneficiary)
WHERE beneficiary.id = $beneficiary_id
  AND EXISTS { MATCH (rung:`Program`)-[:`PART_OF`]->(ladder) WHERE rung.ladder_step IS NOT NULL }
MATCH tree = (item:`Program`)-[:`PART_OF`*0..4]->(ladder)
WITH ladder, item, length(tree) AS depth, nodes(tree) AS path
WITH ladder, item, depth,
     path[CASE WHEN depth >= 1 THEN 2 ELSE 1 END] AS parent,
     path[CASE WHEN depth >= 1 THEN depth ELSE 1 END] AS step
WITH ladder, item, depth,
     CASE WHEN depth >= 1 THEN parent.id END AS parent_id,
     CASE WHEN depth >= 1 THEN step.ladder_step END AS ladder_step,
     CASE WHEN depth = 0 THEN -1 ELSE coalesce(step.ladder_step, 0) END AS step_order
OPTIONAL MATCH (funder)-[:`FUNDS`]->(item)
WITH ladder, item, depth, parent_id, ladder_step, step_order,
     list_sort(collect(DISTINCT funder.name_ja)) AS funded_by
OPTIONAL MATCH (implementer)-[:`IMPLEMENTS`]->(item)
WITH ladder, item, depth, parent_id, ladder_step, step_order, funded_by,
     list_sort(collect(DISTINCT implementer.name_ja)) AS implemented_by
// The link to the parent, for its basis: one step from the item found.
OPTIONAL MATCH (item)-[parent_link:`PART_OF`]->(up:`Program`)
WHERE up.id = parent_id
RETURN ladder.id AS ladder_id,
       ladder_step,
       depth,
       item.id AS item_id,
       item.name_ja AS item_name_ja,
       item.name_en AS item_name_en,
       item.kind AS item_kind,
       parent_id,
       item.unit_amount_thousand_yen AS unit_amount_thousand_yen,
       item.unit_count AS unit_count,
       item.amount_min_thousand_yen AS amount_min_thousand_yen,
       item.amount_max_thousand_yen AS amount_max_thousand_yen,
       funded_by,
       implemented_by,
       item.basis AS basis,
       item.basis_reason AS basis_reason,
       parent_link.basis AS link_basis,
       parent_link.basis_reason AS link_basis_reason
ORDER BY ladder_id, step_order, depth, parent_id, item_id
