// name: tie_communities
// question: Which communities does the tie graph fall into: every community (numbered from 1,
//   largest first) with its members, best-tied first?
// question_ja: つながりのネットワークはどのようなまとまり（コミュニティ）に分かれるか（大きい順に番号を付け、各まとまりの主体をつながりの多い順に）？
// param: min_size int = 1 -- Leave out communities with fewer members (2 hides the actors with no tie, each a community of its own).
// columns: community, community_size, member_id, member_label, name_ja, name_en, degree
// ordered: true
// analytics: true

// It lists every actor of the graph: analytics (no latency target; BENCHMARKS.md gives its
// time at 100k actors).
// The communities are a network measure, computed once when the store is loaded (the
// measures overlay, biocluster_kg.graph.brokerage.measured: networkx's Louvain method with a
// fixed seed on the actor tie graph, biocluster_kg.graph.communities), so both stores and
// every export hold the same numbers. A store loaded with --no-measures has none, and this
// question then lists nothing.
MATCH (member:{{actor_labels}})
WHERE member.community IS NOT NULL
WITH member.community AS community, collect(member) AS members
WITH community, members, size(members) AS community_size
WHERE community_size >= $min_size
UNWIND members AS member
RETURN community,
       community_size,
       member.id AS member_id,
       labels(member)[0] AS member_label,
       member.name_ja AS name_ja,
       member.name_en AS name_en,
       member.degree AS degree
ORDER BY community, degree DESC, member_id
