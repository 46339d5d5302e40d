// name: council_and_committee
// question: Who sits on the cluster's councils and committees, in which
//   role, and through which post of which organisation?
// question_ja: 推進会議・委員会の構成員は誰で、どの役職・役割で座っているか？
// param: body_ids id[] = [] -- Ids (or names) of the bodies to list (councils first, then committees, then others); default: every council and committee of the cluster.
// columns: body_id, body_name_ja, role, role_ja, member_id, member_name_ja, member_name_en, seat, organisation_id, organisation_name_ja, basis, basis_reason
// ordered: true

// A seat is a post held ex officio (会長：山形県知事, seat 'post') or an organisation
// itself (山形大学医学部, seat 'organisation'). A post's organisation is the one it is a post of
// (POSITION_IN); an organisation's is itself. basis and basis_reason say how the seat is known
// (a member listed in the body's box is read from the layout, issue 17).
MATCH (member)-[membership:`MEMBER_OF`]->(body:`Body`)
WHERE body.id IN $body_ids OR (size($body_ids) = 0 AND body.kind IN ['council', 'committee'])
OPTIONAL MATCH (member)-[:`POSITION_IN`]->(post_of)
WITH body, membership, member, post_of, coalesce(post_of, member) AS organisation
RETURN body.id AS body_id,
       body.name_ja AS body_name_ja,
       membership.role AS role,
       membership.role_ja AS role_ja,
       member.id AS member_id,
       member.name_ja AS member_name_ja,
       member.name_en AS member_name_en,
       CASE WHEN post_of IS NULL THEN 'organisation' ELSE 'post' END AS seat,
       organisation.id AS organisation_id,
       organisation.name_ja AS organisation_name_ja,
       membership.basis AS basis,
       membership.basis_reason AS basis_reason
ORDER BY CASE body.kind WHEN 'council' THEN 0 WHEN 'committee' THEN 1 ELSE 2 END,
         body_id,
         CASE membership.role WHEN 'chair' THEN 0 WHEN 'vice_chair' THEN 1 ELSE 2 END,
         member_id
