// name: organisations_on_both_bodies
// question: Which organisations sit on both a council and a committee of the cluster
//   committee, counting a post as its organisation and a faculty, institute or department
//   as the organisation it is part of?
// question_ja: 推進会議と委員会の両方に席を持つ組織はどこか（役職はその組織に、学部・研究所・部局は親組織にまとめる）？
// param: council_id id = "" -- Id (or name) of the first body (default: every council of the cluster).
// param: committee_id id = "" -- Id (or name) of the second body (default: every committee of the cluster).
// columns: organisation_id, organisation_name_ja, organisation_name_en, body_id, body_name_ja, role, role_ja, seat_id, seat_name_ja, basis, basis_reason
// ordered: true

// Each seat rolls up to the end of its chain of POSITION_IN (a post to the organisation it
// is a post of) and PART_OF (a faculty to its university) links: an organisation that is
// part of nothing. One row per seat of an organisation that has seats on both bodies; basis
// and basis_reason say how the seat (the MEMBER_OF) is known.
MATCH (seat)-[membership:`MEMBER_OF`]->(body:`Body`)
WHERE body.id = $council_id OR body.id = $committee_id
   OR ($council_id = '' AND body.kind = 'council')
   OR ($committee_id = '' AND body.kind = 'committee')
MATCH (seat)-[:`POSITION_IN`|`PART_OF`*0..8]->(organisation)
WHERE NOT (organisation)-[:`POSITION_IN`|`PART_OF`]->()
WITH organisation,
     count(DISTINCT body.id) AS bodies,
     max(CASE WHEN body.id = $council_id OR ($council_id = '' AND body.kind = 'council')
              THEN 1 ELSE 0 END) AS on_first,
     max(CASE WHEN body.id = $committee_id OR ($committee_id = '' AND body.kind = 'committee')
              THEN 1 ELSE 0 END) AS on_second,
     collect({body_id: body.id, body_name_ja: body.name_ja,
              body_rank: CASE WHEN body.id = $council_id
                                   OR ($council_id = '' AND body.kind = 'council')
                              THEN 0 ELSE 1 END,
              role: membership.role, role_ja: membership.role_ja,
              seat_id: seat.id, seat_name_ja: seat.name_ja,
              basis: membership.basis, basis_reason: membership.basis_reason}) AS seats
WHERE bodies >= 2 AND on_first = 1 AND on_second = 1
UNWIND seats AS s
RETURN organisation.id AS organisation_id,
       organisation.name_ja AS organisation_name_ja,
       organisation.name_en AS organisation_name_en,
       s.body_id AS body_id,
       s.body_name_ja AS body_name_ja,
       s.role AS role,
       s.role_ja AS role_ja,
       s.seat_id AS seat_id,
       s.seat_name_ja AS seat_name_ja,
       s.basis AS basis,
       s.basis_reason AS basis_reason
ORDER BY organisation_id, s.body_rank, seat_id
