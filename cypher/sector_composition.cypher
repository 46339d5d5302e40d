// name: sector_composition
// question: How many organisations, anonymous groups, bodies and posts does each sector
//   have, with a "none" row for the actors that state no sector?
// question_ja: 各セクター（行政・大学研究機関・産業・金融・医療・その他）の組織・グループ・推進体・役職の数は？（セクターの記載がない主体は「none」の行に）
// param: sectors string[] = ["government", "academia", "industry", "finance", "medical", "other", "none"] -- Sectors to count ("none": actors without a sector of their own; a sector with nothing counts 0).
// columns: sector, organizations, groups, bodies, positions, actors
// ordered: true

// Counts each actor by the sector it states itself, so that with the default sectors every
// actor is counted exactly once: a Position never has a sector of its own (a post belongs to
// its organisation) and counts under "none", as does any organisation, group or body whose
// sector the sources leave open. The network page's legend colours by the EFFECTIVE sector
// instead (biocluster_kg.kernel.sectors: own sector, else that of what it is a post of or
// part of, else "other"), so its counts are these with the "none" row spread over the
// sectors of the organisations the posts and parts belong to.
UNWIND $sectors AS sector
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
