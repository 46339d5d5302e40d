// name: ventures_and_partners
// question: Which ventures came out of the institute, what are they working on, and with
//   which partners?
// question_ja: 中核の研究機関発のベンチャーは何に取り組み、どこと組んでいるか？
// param: institute_id id = cluster.institute_id -- Id (or name) of the institute the ventures are of (VENTURE_OF).
// columns: venture_id, venture_name_ja, venture_name_en, project_id, project_name_ja, period_ja, venture_role, partner_id, partner_name_ja, partner_name_en, partner_role, partner_role_ja, venture_basis, venture_basis_reason, partner_basis, partner_basis_reason
// ordered: true

// One row per venture, project and partner; a venture with no project, or a project with
// no other participant, still has a row (with the missing parts empty). venture_basis says
// how the venture is known to be the institute's (VENTURE_OF), partner_basis how the
// partner's part in the project is; each with its reason when not stated.
MATCH (venture:`Organization`)-[origin:`VENTURE_OF`]->(institute:`Organization`)
WHERE institute.id = $institute_id
OPTIONAL MATCH (venture)-[own:`PARTICIPATES_IN`]->(project:`Project`)
OPTIONAL MATCH (partner)-[partnership:`PARTICIPATES_IN`]->(project)
WHERE partner.id <> venture.id
RETURN venture.id AS venture_id,
       venture.name_ja AS venture_name_ja,
       venture.name_en AS venture_name_en,
       project.id AS project_id,
       project.name_ja AS project_name_ja,
       project.period_ja AS period_ja,
       own.role AS venture_role,
       partner.id AS partner_id,
       partner.name_ja AS partner_name_ja,
       partner.name_en AS partner_name_en,
       partnership.role AS partner_role,
       partnership.role_ja AS partner_role_ja,
       origin.basis AS venture_basis,
       origin.basis_reason AS venture_basis_reason,
       partnership.basis AS partner_basis,
       partnership.basis_reason AS partner_basis_reason
ORDER BY venture_id, project_id, partner_id
