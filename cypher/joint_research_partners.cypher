// name: joint_research_partners
// question: Who are the institute's joint-research partners, by field and year?
// question_ja: 中核の研究機関の共同研究の相手は誰か（分野別・年度別）？
// param: institute_id id = cluster.institute_id -- Id (or name) of the institute.
// param: project_kinds string[] = ["joint_research", "research", "research_plan", "cohort_study", "commercialization"] -- Project kinds that count as research.
// param: partner_roles string[] = ["partner", "lead"] -- Roles (PARTICIPATES_IN role) a partner may have in the project.
// columns: field, field_ja, fiscal_year_start, fiscal_year_start_ja, fiscal_year_end, period_ja, project_id, project_name_ja, project_kind, status, partner_id, partner_name_ja, partner_name_en, partner_role, partner_role_ja, basis, basis_reason
// ordered: true

// A partner is any other participant of a project the institute takes part in. Projects
// with no start year (plans) sort after dated ones within their field. basis and
// basis_reason say how the partner's part in the project (its PARTICIPATES_IN) is known.
MATCH (institute:`Organization`)-[:`PARTICIPATES_IN`]->(project:`Project`)
      <-[partnership:`PARTICIPATES_IN`]-(partner)
WHERE institute.id = $institute_id
  AND partner.id <> institute.id
  AND project.kind IN $project_kinds
  AND partnership.role IN $partner_roles
RETURN project.field AS field,
       project.field_ja AS field_ja,
       project.fiscal_year_start AS fiscal_year_start,
       project.fiscal_year_start_ja AS fiscal_year_start_ja,
       project.fiscal_year_end AS fiscal_year_end,
       project.period_ja AS period_ja,
       project.id AS project_id,
       project.name_ja AS project_name_ja,
       project.kind AS project_kind,
       project.status AS status,
       partner.id AS partner_id,
       partner.name_ja AS partner_name_ja,
       partner.name_en AS partner_name_en,
       partnership.role AS partner_role,
       partnership.role_ja AS partner_role_ja,
       partnership.basis AS basis,
       partnership.basis_reason AS basis_reason
ORDER BY field, fiscal_year_start, project_id, partner_id
