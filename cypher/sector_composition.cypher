// name: sector_composition
// question: How many organisations, anonymous groups and bodies does each sector have?
// question_ja: 各セクター（行政・大学研究機関・産業・金融・医療・その他）の組織・グループ・推進体の数は？
// param: sectors string[] = ["government", "academia", "industry", "finance", "medical", "other"] -- Sectors to count (a sector with nothing counts 0).
// columns: sector, organizations, groups, bodies, actors
// ordered: true

// Positions carry no sector (a post counts with its organisation) and are not counted.
UNWIND $sectors AS sector
OPTIONAL MATCH (organization:`Organization`)
WHERE organization.sector = sector
WITH sector, count(organization) AS organizations
OPTIONAL MATCH (grp:`Group`)
WHERE grp.sector = sector
WITH sector, organizations, count(grp) AS groups
OPTIONAL MATCH (body:`Body`)
WHERE body.sector = sector
WITH sector, organizations, groups, count(body) AS bodies
RETURN sector, organizations, groups, bodies, organizations + groups + bodies AS actors
ORDER BY actors DESC, sector
