// name: changes_between_years
// question: What changed between two fiscal years: which programmes, projects, events,
//   outcomes and figures start or end (with their amounts and how many actors they tie),
//   and which figures counted in both years differ?
// question_ja: 2つの年度の間で何が変わったか（始まった・終わった事業・プロジェクト・イベント・成果・実績値とその金額や関わる主体の数、両年度にある実績値の増減）？
// param: from_year year -- The earlier fiscal year, in any era form: 2023, R5 or 令和5年度 (sent as 2023).
// param: to_year year -- The later fiscal year, in the same forms (2024 for 令和6年度).
// example: from_year=2012
// example: to_year=2013
// columns: change, label, from_id, to_id, name_ja, name_en, year_ja, metric, from_value, to_value, unit_ja, tied_actors
// ordered: false
// analytics: true

// It reads every dated record of the graph and its answer grows with it: analytics (no
// latency target; BENCHMARKS.md gives its time at 100k actors).
// A record belongs to a year as the source dates it: its own fiscal year (a budget line, an
// event, an outcome, a figure), or a stated period from start to end (a programme or a
// project; a period with no end, 'H23～', runs on). It "starts" when it belongs to to_year
// and not to from_year, and "ends" the other way round. A figure is matched across the years
// by what it counts (its metric): counted in both years with another value, it "differs"; one
// counted in only one of them starts or ends. Budget lines of different years are separate
// records in the sources, so their amounts are shown where they start or end, never paired.
// tied_actors counts the organisations, groups, bodies and posts with a relationship to the
// record (the ties that start or end with it). Nothing changes between a year and itself.
MATCH (record:`Program`)
WITH record,
     coalesce(CASE WHEN record.fiscal_year IS NOT NULL THEN record.fiscal_year = $from_year
                   ELSE record.fiscal_year_start <= $from_year
                        AND coalesce(record.fiscal_year_end, $from_year) >= $from_year END,
              false) AS in_from,
     coalesce(CASE WHEN record.fiscal_year IS NOT NULL THEN record.fiscal_year = $to_year
                   ELSE record.fiscal_year_start <= $to_year
                        AND coalesce(record.fiscal_year_end, $to_year) >= $to_year END,
              false) AS in_to
WHERE in_from <> in_to
OPTIONAL MATCH (record)--(actor:{{actor_labels}})
WITH record, in_from, in_to, count(DISTINCT actor) AS tied_actors
RETURN CASE WHEN in_to THEN 'starts' ELSE 'ends' END AS change,
       'Program' AS label,
       CASE WHEN in_from THEN record.id END AS from_id,
       CASE WHEN in_to THEN record.id END AS to_id,
       record.name_ja AS name_ja,
       record.name_en AS name_en,
       coalesce(record.fiscal_year_ja, record.period_ja, record.fiscal_year_start_ja) AS year_ja,
       'amount_thousand_yen' AS metric,
       CASE WHEN in_from THEN record.amount_thousand_yen END AS from_value,
       CASE WHEN in_to THEN record.amount_thousand_yen END AS to_value,
       '千円' AS unit_ja,
       tied_actors
UNION ALL
MATCH (record:`Project`)
WITH record,
     coalesce(record.fiscal_year_start <= $from_year
              AND coalesce(record.fiscal_year_end, $from_year) >= $from_year, false) AS in_from,
     coalesce(record.fiscal_year_start <= $to_year
              AND coalesce(record.fiscal_year_end, $to_year) >= $to_year, false) AS in_to
WHERE in_from <> in_to
OPTIONAL MATCH (record)--(actor:{{actor_labels}})
WITH record, in_from, in_to, count(DISTINCT actor) AS tied_actors
RETURN CASE WHEN in_to THEN 'starts' ELSE 'ends' END AS change,
       'Project' AS label,
       CASE WHEN in_from THEN record.id END AS from_id,
       CASE WHEN in_to THEN record.id END AS to_id,
       record.name_ja AS name_ja,
       record.name_en AS name_en,
       coalesce(record.period_ja, record.fiscal_year_start_ja) AS year_ja,
       toString(NULL) AS metric,
       toInteger(NULL) AS from_value,
       toInteger(NULL) AS to_value,
       toString(NULL) AS unit_ja,
       tied_actors
UNION ALL
MATCH (record:`Event`)
WITH record,
     coalesce(record.fiscal_year = $from_year, false) AS in_from,
     coalesce(record.fiscal_year = $to_year, false) AS in_to
WHERE in_from <> in_to
OPTIONAL MATCH (record)--(actor:{{actor_labels}})
WITH record, in_from, in_to, count(DISTINCT actor) AS tied_actors
RETURN CASE WHEN in_to THEN 'starts' ELSE 'ends' END AS change,
       'Event' AS label,
       CASE WHEN in_from THEN record.id END AS from_id,
       CASE WHEN in_to THEN record.id END AS to_id,
       record.name_ja AS name_ja,
       record.name_en AS name_en,
       record.fiscal_year_ja AS year_ja,
       'attendance' AS metric,
       CASE WHEN in_from THEN record.attendance END AS from_value,
       CASE WHEN in_to THEN record.attendance END AS to_value,
       '名' AS unit_ja,
       tied_actors
UNION ALL
MATCH (record:`Outcome`)
WITH record,
     coalesce(record.fiscal_year = $from_year, false) AS in_from,
     coalesce(record.fiscal_year = $to_year, false) AS in_to
WHERE in_from <> in_to
OPTIONAL MATCH (record)--(actor:{{actor_labels}})
WITH record, in_from, in_to, count(DISTINCT actor) AS tied_actors
RETURN CASE WHEN in_to THEN 'starts' ELSE 'ends' END AS change,
       'Outcome' AS label,
       CASE WHEN in_from THEN record.id END AS from_id,
       CASE WHEN in_to THEN record.id END AS to_id,
       record.name_ja AS name_ja,
       record.name_en AS name_en,
       record.fiscal_year_ja AS year_ja,
       toString(NULL) AS metric,
       toInteger(NULL) AS from_value,
       toInteger(NULL) AS to_value,
       toString(NULL) AS unit_ja,
       tied_actors
UNION ALL
// Figures of one of the two years whose metric the other year does not count.
MATCH (record:`Figure`)
WITH record,
     coalesce(record.fiscal_year = $from_year, false) AS in_from,
     coalesce(record.fiscal_year = $to_year, false) AS in_to,
     CASE WHEN record.fiscal_year = $from_year THEN $to_year ELSE $from_year END AS other_year
WHERE in_from <> in_to
  AND NOT EXISTS {
    MATCH (other:`Figure`)
    WHERE other.metric = record.metric AND other.fiscal_year = other_year
  }
OPTIONAL MATCH (record)--(actor:{{actor_labels}})
WITH record, in_from, in_to, count(DISTINCT actor) AS tied_actors
RETURN CASE WHEN in_to THEN 'starts' ELSE 'ends' END AS change,
       'Figure' AS label,
       CASE WHEN in_from THEN record.id END AS from_id,
       CASE WHEN in_to THEN record.id END AS to_id,
       record.name_ja AS name_ja,
       record.name_en AS name_en,
       record.fiscal_year_ja AS year_ja,
       record.metric AS metric,
       CASE WHEN in_from THEN record.value END AS from_value,
       CASE WHEN in_to THEN record.value END AS to_value,
       record.unit_ja AS unit_ja,
       tied_actors
UNION ALL
// Figures counting the same thing in both years, with another value.
MATCH (earlier:`Figure`), (later:`Figure`)
WHERE earlier.fiscal_year = $from_year AND later.fiscal_year = $to_year
  AND $from_year <> $to_year
  AND earlier.metric = later.metric AND earlier.value <> later.value
OPTIONAL MATCH (later)--(actor:{{actor_labels}})
WITH earlier, later, count(DISTINCT actor) AS tied_actors
RETURN 'differs' AS change,
       'Figure' AS label,
       earlier.id AS from_id,
       later.id AS to_id,
       later.name_ja AS name_ja,
       later.name_en AS name_en,
       later.fiscal_year_ja AS year_ja,
       later.metric AS metric,
       earlier.value AS from_value,
       later.value AS to_value,
       later.unit_ja AS unit_ja,
       tied_actors
