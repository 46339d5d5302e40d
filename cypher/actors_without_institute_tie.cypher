// name: actors_without_institute_tie
// question: Which actors have no tie to the institute: no relationship with it (or with
//   its parts and posts) and no project, event, programme or function in common with them?
// question_ja: 中核の研究機関とつながりのない主体はどれか（直接の関係も、共通の事業・プロジェクト・イベント・機能もない）？
// param: institute_id id = cluster.institute_id -- Id (or name) of the institute (an Organization).
// param: actor_labels string[] = schema.actor_labels -- Labels that make a node an actor (default: the schema's actors).
// columns: actor_id, actor_label, actor_kind, actor_sector, actor_name_ja, actor_name_en
// ordered: true
// analytics: true

// The institute counts with everything that belongs to it: its parts and posts, the posts in
// its parts, and so on ({{belongs_to}}: the schema's part-of and post-of types, up to 8
// links). A tie is a relationship of any type, either way, with one of those, or a path of
// two through a node that is not an actor (a shared project, event, programme or function).
// So the institute's coordination staff and departments are not listed, nor the committee
// its director sits on. Actors tied only through another actor (a council both sit on)
// count as untied. Every node has exactly one label in both stores, so labels(n)[0] is the
// label (Ladybug gets label(n) from the adapter step).
MATCH (institute:`Organization`)
WHERE institute.id = $institute_id
MATCH (member)-[:{{belongs_to}}*0..8]->(institute)
WITH collect(DISTINCT member.id) AS family
MATCH (actor)
WHERE labels(actor)[0] IN $actor_labels
  AND NOT actor.id IN family
  AND NOT EXISTS { MATCH (actor)-[]-(kin) WHERE kin.id IN family }
  AND NOT EXISTS {
    MATCH (actor)-[]-(shared)-[]-(kin)
    WHERE kin.id IN family AND NOT labels(shared)[0] IN $actor_labels
  }
RETURN actor.id AS actor_id,
       labels(actor)[0] AS actor_label,
       actor.kind AS actor_kind,
       actor.sector AS actor_sector,
       actor.name_ja AS actor_name_ja,
       actor.name_en AS actor_name_en
ORDER BY actor_label, actor_sector, actor_id
