// name: sector_composition
// question: How many organisations, anonymous groups, bodies and posts does each sector
//   have, with a "none" row for the actors that state no sector?
// question_ja: 各セクター（行政・大学研究機関・産業・金融・医療・その他）の組織・グループ・推進体・役職の数は？（セクターの記載がない主体は「none」の行に）
// param: sectors string[] = ["government", "academia", "industry", "finance", "medical", "other", "none"] -- Sectors to count ("none": actors without a sector of their own; a sector with nothing counts 0; a sector named twice counts once).
// columns: sector, organizations, groups, bodies, positions, actors
// ordered: true

// Counts each actor by the sector it states itself, so that with the default sectors every
// actor is counted exactly once: a Position never has a sector of its own (a post belongs to
// its organisation) and counts under "none", as does any organisation, group or body whose
// sector the sources leave open. The network page's legend colours by the EFFECTIVE sector
// instead (biocluster_kg.kernel.sectors: own sector, else that of what it is a post of or
// part of, else "other"), so its counts are these with the "none" row spread over the
// sectors of the organisations the posts and parts belong to.
// dialect: neo4j
// Neo4j: every actor is read once and counted by (sector, label); the sectors asked for then
// take their counts from that list. One filtered scan per sector and label (the text below,
// which Ladybug plans well) took 432 ms at 100k actors on Neo4j.
MATCH (actor:{{actor_labels}})
WITH CASE WHEN actor:`Position` THEN 'none' ELSE coalesce(actor.sector, 'none') END AS sector,
     labels(actor)[0] AS label,
     count(*) AS n
WITH collect({sector: sector, label: label, n: n}) AS counted
UNWIND $sectors AS sector
WITH DISTINCT counted, sector
WITH sector, [c IN counted WHERE c.sector = sector] AS mine
WITH sector,
     reduce(t = 0, c IN mine | t + CASE c.label WHEN 'Organization' THEN c.n ELSE 0 END)
       AS organizations,
     reduce(t = 0, c IN mine | t + CASE c.label WHEN 'Group' THEN c.n ELSE 0 END) AS groups,
     reduce(t = 0, c IN mine | t + CASE c.label WHEN 'Body' THEN c.n ELSE 0 END) AS bodies,
     reduce(t = 0, c IN mine | t + CASE c.label WHEN 'Position' THEN c.n ELSE 0 END)
       AS positions
RETURN sector, organizations, groups, bodies, positions,
       organizations + groups + bodies + positions AS actors
ORDER BY actors DESC, sector
// dialect: ladybug
UNWIND $sectors AS sector
WITH DISTINCT sector
OPTIONAL MATCH (organization:`Organization`)
WHERE coalesce(organization.sector, 'none') = sector
WITH sector, count(organization) AS organizations
OPTIONAL MATCH (grp:`Group`)
WHERE coalesce(grp.sector, 'none') = sector
WITH sector, organizations, count(grp) AS groups
OPTIONAL MATCH (body:`Body`)
WHERE coalesce(body.sector, 'none') = sector
WITH sector, organizations, groups, count(body) AS bodies
OPTIONAL MATCH (position:`Position`)
WHERE sector = 'none'
WITH sector, organizations, groups, bodies, count(position) AS positions
RETURN sector, organizations, groups, bodies, positions,
       organizations + groups + bodies + positions AS actors
ORDER BY actors DESC, sector
