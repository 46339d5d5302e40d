// name: budget_tree
// question: How is the cluster's budget divided: every line with its parent, depth, stated
//   amount and the total of its parts?
// question_ja: クラスターの予算の体系：各事業の親・階層・記載額と、その内訳の合計は？
// param: root_id id = cluster.budget_root -- Id (or name) of the budget (or of any line) at the top of the tree.
// columns: line_id, number_label, name_ja, name_en, depth, parent_id, link, stated_thousand_yen, parts_total_thousand_yen, total_thousand_yen, basis, basis_reason, link_basis, link_basis_reason
// ordered: true

// The tree follows PART_OF (the slide's outline) and BREAKDOWN_OF (a second split of the
// same line the source states, link 'breakdown'). A line's parts total is the sum over its
// PART_OF descendants that state an amount with no stated amount between them and the line:
// a line without an amount counts as the sum of its parts. A parts total is shown only when
// it is the sum of ALL the line holds: a gap (a part with no amount and no parts of its
// own, reached with no stated amount on the way) leaves it empty, so a line never shows
// the sum of some of its parts as its total (issue 17, finding 1). Breakdowns are listed
// but not added in, so a line's two splits can be compared. total = stated, else the parts
// total.
// basis and basis_reason say how the line is known; link_basis and link_basis_reason how its
// place under parent_id is (an outline read from the slide's indentation is 'layout').
// dialect: neo4j
MATCH (root:`Program`)
WHERE root.id = $root_id
MATCH tree = (line:`Program`)-[:`PART_OF`|`BREAKDOWN_OF`*0..10]->(root)
// The WITH lets Ladybug look parents up from the lines found (47 -> 24 ms, shipped data).
WITH root, line, length(tree) AS depth
OPTIONAL MATCH (line)-[part_link:`PART_OF`]->(part_parent:`Program`)
               -[:`PART_OF`|`BREAKDOWN_OF`*0..10]->(root)
OPTIONAL MATCH (line)-[breakdown_link:`BREAKDOWN_OF`]->(breakdown_parent:`Program`)
               -[:`PART_OF`|`BREAKDOWN_OF`*0..10]->(root)
OPTIONAL MATCH (part:`Program`)-[:`PART_OF`*1..10]->(line)
WHERE part.amount_thousand_yen IS NOT NULL
  AND NOT EXISTS {
    MATCH (part)-[:`PART_OF`*1..10]->(between:`Program`)-[:`PART_OF`*1..10]->(line)
    WHERE between.amount_thousand_yen IS NOT NULL
  }
WITH DISTINCT line, depth, part_parent, breakdown_parent, part_link, breakdown_link, part
WITH line, depth, part_parent, breakdown_parent, part_link, breakdown_link,
     count(part) AS stated_parts, sum(part.amount_thousand_yen) AS parts_sum
WITH line, depth, coalesce(part_parent.id, breakdown_parent.id) AS parent_id,
     CASE WHEN breakdown_parent IS NOT NULL THEN 'breakdown'
          WHEN part_parent IS NOT NULL THEN 'part' END AS link,
     CASE WHEN stated_parts = 0
               OR EXISTS {
                 MATCH (gap:`Program`)-[:`PART_OF`*1..10]->(line)
                 WHERE gap.amount_thousand_yen IS NULL
                   AND NOT EXISTS { MATCH (:`Program`)-[:`PART_OF`]->(gap) }
                   AND NOT EXISTS {
                     MATCH (gap)-[:`PART_OF`*1..10]->(between:`Program`)
                           -[:`PART_OF`*1..10]->(line)
                     WHERE between.amount_thousand_yen IS NOT NULL
                   }
               }
          THEN NULL ELSE parts_sum END AS parts_total,
     coalesce(part_link, breakdown_link) AS parent_link
RETURN line.id AS line_id,
       line.number_label AS number_label,
       line.name_ja AS name_ja,
       line.name_en AS name_en,
       depth,
       parent_id,
       link,
       line.amount_thousand_yen AS stated_thousand_yen,
       parts_total AS parts_total_thousand_yen,
       coalesce(line.amount_thousand_yen, parts_total) AS total_thousand_yen,
       line.basis AS basis,
       line.basis_reason AS basis_reason,
       parent_link.basis AS link_basis,
       parent_link.basis_reason AS link_basis_reason
ORDER BY depth, parent_id, number_label, line_id
// dialect: ladybug
// Ladybug: the same answer, worked out from the tree's paths, one search from the root.
// OPTIONAL MATCHes of variable-length patterns (parents, parts) were planned over every
// programme: 672 ms at 100k actors for no row. Each path from a line up to the root gives
// the line's depth and parent (second node, first link); a line's parts are the other
// lines whose path passes it through PART_OF links only with no amount in between, and its
// gaps those of them that are bare (no amount, no parts of their own). Lists
// are 1-based, list_slice(l, a, b) takes a..b, CASE evaluates both branches (hence the ''
// padding), and a line with several depths or parents gives every combination, as
// Neo4j's OPTIONAL MATCHes do. Pairing every two paths is quadratic in the size of the tree:
// nothing for a budget (22 lines in the source), slow for one of many thousands.
MATCH (root:`Program`)
WHERE root.id = $root_id
// The bare lines first: an EXISTS result inside the collected struct below fails (0.22).
MATCH (line:`Program`)-[:`PART_OF`|`BREAKDOWN_OF`*0..10]->(root)
WITH root, line, NOT EXISTS { MATCH (child:`Program`)-[:`PART_OF`]->(line) } AS childless
WITH collect(DISTINCT CASE WHEN childless AND line.amount_thousand_yen IS NULL
                           THEN line.id ELSE '' END) AS bare_ids
// The root is found again, not carried: a path matched towards a root carried through a
// WITH was planned from every programme (1,000 ms at 10^5 actors for a one-line tree).
MATCH (root:`Program`)
WHERE root.id = $root_id
MATCH tree = (line:`Program`)-[:`PART_OF`|`BREAKDOWN_OF`*0..10]->(root)
WITH collect({
       line: line.id,
       bare: list_contains(bare_ids, line.id),
       depth: length(tree),
       ids: list_concat(properties(nodes(tree), 'id'), ['']),
       amounts: properties(nodes(tree), 'amount_thousand_yen'),
       links: list_concat(list_transform(rels(tree), link -> label(link)), [''])
     }) AS paths
UNWIND paths AS path
UNWIND paths AS other
WITH path, other, list_position(other.ids, path.line) AS k
WITH path.line AS line_id,
     path.depth AS depth,
     CASE WHEN path.links[1] = 'PART_OF' THEN path.ids[2] END AS part_parent,
     CASE WHEN path.links[1] = 'BREAKDOWN_OF' THEN path.ids[2] END AS breakdown_parent,
     CASE WHEN k > 1
               AND list_extract(other.amounts, 1) IS NOT NULL
               AND all(kind IN list_slice(other.links, 1, k - 1) WHERE kind = 'PART_OF')
               AND all(amount IN list_slice(other.amounts, 2, k - 1) WHERE amount IS NULL)
          THEN other.line END AS part_id,
     list_extract(other.amounts, 1) AS part_amount,
     CASE WHEN k > 1
               AND other.bare
               AND all(kind IN list_slice(other.links, 1, k - 1) WHERE kind = 'PART_OF')
               AND all(amount IN list_slice(other.amounts, 2, k - 1) WHERE amount IS NULL)
          THEN other.line END AS gap_id
WITH DISTINCT line_id, depth, part_parent, breakdown_parent, part_id, gap_id,
     CASE WHEN part_id IS NULL THEN NULL ELSE part_amount END AS part_amount
WITH line_id, depth, part_parent, breakdown_parent,
     count(part_id) AS stated_parts, sum(part_amount) AS parts_sum, count(gap_id) AS gaps
// Every path of a line sees the same parts; list_transform over the parts (0.22) mixed up
// rows, so they are summed by aggregation.
WITH line_id,
     collect(DISTINCT depth) AS depths,
     collect(DISTINCT part_parent) AS part_parents,
     collect(DISTINCT breakdown_parent) AS breakdown_parents,
     max(CASE WHEN stated_parts = 0 OR gaps > 0 THEN NULL ELSE parts_sum END) AS parts_total
UNWIND depths AS depth
UNWIND CASE WHEN size(part_parents) = 0 THEN [''] ELSE part_parents END AS part_parent
UNWIND CASE WHEN size(breakdown_parents) = 0 THEN [''] ELSE breakdown_parents END
       AS breakdown_parent
MATCH (line:`Program`)
WHERE line.id = line_id
WITH line, depth,
     CASE WHEN part_parent = '' THEN NULL ELSE part_parent END AS part_parent,
     CASE WHEN breakdown_parent = '' THEN NULL ELSE breakdown_parent END AS breakdown_parent,
     parts_total
// The link to the parent, for its basis: one step from the line found.
OPTIONAL MATCH (line)-[part_link:`PART_OF`]->(up:`Program`)
WHERE up.id = part_parent
OPTIONAL MATCH (line)-[breakdown_link:`BREAKDOWN_OF`]->(down:`Program`)
WHERE down.id = breakdown_parent
RETURN line.id AS line_id,
       line.number_label AS number_label,
       line.name_ja AS name_ja,
       line.name_en AS name_en,
       depth,
       coalesce(part_parent, breakdown_parent) AS parent_id,
       CASE WHEN breakdown_parent IS NOT NULL THEN 'breakdown'
            WHEN part_parent IS NOT NULL THEN 'part' END AS link,
       line.amount_thousand_yen AS stated_thousand_yen,
       parts_total AS parts_total_thousand_yen,
       coalesce(line.amount_thousand_yen, parts_total) AS total_thousand_yen,
       line.basis AS basis,
       line.basis_reason AS basis_reason,
       coalesce(part_link.basis, breakdown_link.basis) AS link_basis,
       CASE WHEN part_link IS NULL THEN breakdown_link.basis_reason
            ELSE part_link.basis_reason END AS link_basis_reason
ORDER BY depth, parent_id, number_label, line_id
