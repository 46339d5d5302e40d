// name: actors_without_institute_tie
// question: Which actors have no tie to the institute: no relationship with it and no
//   project, event, programme or function in common with it?
// question_ja: 慶應先端研とつながりのない主体はどれか（直接の関係も、共通の事業・プロジェクト・イベント・機能もない）？
// param: institute_id string = "org:iab" -- Id of the institute (an Organization).
// param: actor_labels string[] = ["Organization", "Group", "Body", "Position"] -- Labels that make a node an actor.
// columns: actor_id, actor_label, actor_kind, actor_sector, actor_name_ja, actor_name_en
// ordered: true
// analytics: true

// A tie is a relationship of any type, either way, with the institute, or a path of two
// through a node that is not an actor (a shared project, event, programme or function).
// Actors tied only through another actor (a council both sit on) count as untied.
// Ladybug: label(n) names the label.
MATCH (institute:`Organization`)
WHERE institute.id = $institute_id
MATCH (actor)
WHERE label(actor) IN $actor_labels
  AND actor.id <> institute.id
  AND NOT EXISTS { MATCH (actor)-[]-(institute) }
  AND NOT EXISTS {
    MATCH (actor)-[]-(shared)-[]-(institute)
    WHERE NOT label(shared) IN $actor_labels
  }
RETURN actor.id AS actor_id,
       label(actor) AS actor_label,
       actor.kind AS actor_kind,
       actor.sector AS actor_sector,
       actor.name_ja AS actor_name_ja,
       actor.name_en AS actor_name_en
ORDER BY actor_label, actor_sector, actor_id
