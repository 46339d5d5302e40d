// name: actors_without_institute_tie
// question: Which actors have no tie to the institute: no relationship with it and no
//   project, event, programme or function in common with it?
// question_ja: 慶應先端研とつながりのない主体はどれか（直接の関係も、共通の事業・プロジェクト・イベント・機能もない）？
// param: institute_id id = cluster.institute_id -- Id (or name) of the institute (an Organization).
// param: actor_labels string[] = schema.actor_labels -- Labels that make a node an actor (default: the schema's actors).
// columns: actor_id, actor_label, actor_kind, actor_sector, actor_name_ja, actor_name_en
// ordered: true
// analytics: true

// A tie is a relationship of any type, either way, with the institute, or a path of two
// through a node that is not an actor (a shared project, event, programme or function).
// Actors tied only through another actor (a council both sit on) count as untied.
// Every node has exactly one label in both stores, so labels(n)[0] is the label (Ladybug
// gets label(n) from the adapter step).
MATCH (institute:`Organization`)
WHERE institute.id = $institute_id
MATCH (actor)
WHERE labels(actor)[0] IN $actor_labels
  AND actor.id <> institute.id
  AND NOT EXISTS { MATCH (actor)-[]-(institute) }
  AND NOT EXISTS {
    MATCH (actor)-[]-(shared)-[]-(institute)
    WHERE NOT labels(shared)[0] IN $actor_labels
  }
RETURN actor.id AS actor_id,
       labels(actor)[0] AS actor_label,
       actor.kind AS actor_kind,
       actor.sector AS actor_sector,
       actor.name_ja AS actor_name_ja,
       actor.name_en AS actor_name_en
ORDER BY actor_label, actor_sector, actor_id
