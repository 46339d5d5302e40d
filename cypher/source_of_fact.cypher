// name: source_of_fact
// question: Which source text states a fact: given the id of a node or relationship, its
//   source document, the exact span and the line it starts on, and every citation when
//   several sources (or a table's row) state it?
// question_ja: ある事実（ノードまたは関係のID）の出典は？（資料・該当箇所の原文・行番号、複数の出典はすべて）
// param: id id -- Id (or name) of a node (org:...) or a relationship (TYPE:start-id->end-id, as exports and answers write it).
// example: id=MEMBER_OF:pos:governor->body:promotion-council
// columns: fact, id, from_id, to_id, name_ja, source_doc, span, span_line, citations, basis, basis_reason, note
// ordered: false

// fact is 'node' or 'relationship'; a relationship's name_ja is empty and from_id/to_id
// are its ends, a node's ends are empty. Naming every label and type (the placeholders
// expand to all of the schema's) lets Neo4j's planner seek the id constraints and indexes
// instead of scanning every node and relationship (460 ms -> 5 ms at 10^5 actors). Each UNION
// column needs one type in Ladybug: the empty values are typed nulls, toString(NULL).
// citations lists every place that states the fact ('source:line: span', 'source:row N:
// column=cell; ...'); the loader stores it when there are several or a table row is one,
// and a single text span is written out here from source_doc, span_line and span.
MATCH (node:{{labels}})
WHERE node.id = $id
RETURN 'node' AS fact,
       node.id AS id,
       toString(NULL) AS from_id,
       toString(NULL) AS to_id,
       node.name_ja AS name_ja,
       node.source_doc AS source_doc,
       node.span AS span,
       node.span_line AS span_line,
       coalesce(node.citations,
                [node.source_doc + ':' + toString(node.span_line) + ': ' + node.span]) AS citations,
       node.basis AS basis,
       node.basis_reason AS basis_reason,
       node.note AS note
UNION ALL
MATCH (from_node)-[relationship:{{types}}]->(to_node)
WHERE relationship.id = $id
RETURN 'relationship' AS fact,
       relationship.id AS id,
       from_node.id AS from_id,
       to_node.id AS to_id,
       toString(NULL) AS name_ja,
       relationship.source_doc AS source_doc,
       relationship.span AS span,
       relationship.span_line AS span_line,
       coalesce(relationship.citations,
                [relationship.source_doc + ':' + toString(relationship.span_line) + ': '
                 + relationship.span]) AS citations,
       relationship.basis AS basis,
       relationship.basis_reason AS basis_reason,
       relationship.note AS note
