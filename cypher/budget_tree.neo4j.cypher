// name: budget_tree
// question: How is the FY2013 budget divided: every line with its parent, depth, stated
//   amount and the total of its parts?
// question_ja: 平成25年度予算の体系：各事業の親・階層・記載額と、その内訳の合計は？
// param: root_id string = "prog:fy2013-budget" -- Id of the budget (or of any line) at the top of the tree.
// columns: line_id, number_label, name_ja, name_en, depth, parent_id, link, stated_thousand_yen, parts_total_thousand_yen, total_thousand_yen
// ordered: true

// The tree follows PART_OF (the slide's outline) and BREAKDOWN_OF (a second split of the
// same line the source states, link 'breakdown'). A line's parts total is the sum over its
// PART_OF descendants that state an amount with no stated amount between them and the line:
// a line without an amount counts as the sum of its parts. Breakdowns are listed but not
// added in, so a line's two splits can be compared. total = stated, else the parts total.
MATCH (root:`Program`)
WHERE root.id = $root_id
MATCH tree = (line:`Program`)-[:`PART_OF`|`BREAKDOWN_OF`*0..10]->(root)
// The WITH lets Ladybug look parents up from the lines found (47 -> 24 ms, shipped data).
WITH root, line, length(tree) AS depth
OPTIONAL MATCH (line)-[:`PART_OF`]->(part_parent:`Program`)
               -[:`PART_OF`|`BREAKDOWN_OF`*0..10]->(root)
OPTIONAL MATCH (line)-[:`BREAKDOWN_OF`]->(breakdown_parent:`Program`)
               -[:`PART_OF`|`BREAKDOWN_OF`*0..10]->(root)
OPTIONAL MATCH (part:`Program`)-[:`PART_OF`*1..10]->(line)
WHERE part.amount_thousand_yen IS NOT NULL
  AND NOT EXISTS {
    MATCH (part)-[:`PART_OF`*1..10]->(between:`Program`)-[:`PART_OF`*1..10]->(line)
    WHERE between.amount_thousand_yen IS NOT NULL
  }
WITH DISTINCT line, depth, part_parent, breakdown_parent, part
WITH line, depth, part_parent, breakdown_parent,
     count(part) AS stated_parts, sum(part.amount_thousand_yen) AS parts_sum
WITH line, depth, coalesce(part_parent.id, breakdown_parent.id) AS parent_id,
     CASE WHEN breakdown_parent IS NOT NULL THEN 'breakdown'
          WHEN part_parent IS NOT NULL THEN 'part' END AS link,
     CASE WHEN stated_parts = 0 THEN NULL ELSE parts_sum END AS parts_total
RETURN line.id AS line_id,
       line.number_label AS number_label,
       line.name_ja AS name_ja,
       line.name_en AS name_en,
       depth,
       parent_id,
       link,
       line.amount_thousand_yen AS stated_thousand_yen,
       parts_total AS parts_total_thousand_yen,
       coalesce(line.amount_thousand_yen, parts_total) AS total_thousand_yen
ORDER BY depth, parent_id, number_label, line_id
