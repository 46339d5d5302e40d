// name: education_and_event_figures
// question: What do the education figures and the events' attendance say, year by year?
// question_ja: 人材育成の実績とイベントの参加者数は年度ごとにどう推移したか？
// param: figure_kinds string[] = ["education"] -- Kinds of Figure to list (education, staffing, cases).
// columns: fiscal_year, fiscal_year_ja, as_of, record, id, name_ja, metric, value, unit_ja, scope_ja, basis, basis_reason
// ordered: false

// Three kinds of record: a Figure (its metric and value), an Event's attendance (名) and an
// Event's number of participating schools (校). Events without either are left out. basis
// and basis_reason say how the figure or the event is known. as_of is the day or month a
// number holds on: a figure's own "as of" (令和5年4月現在), an event's date for its counts.
MATCH (figure:`Figure`)
WHERE figure.kind IN $figure_kinds
RETURN figure.fiscal_year AS fiscal_year,
       figure.fiscal_year_ja AS fiscal_year_ja,
       figure.as_of AS as_of,
       'figure' AS record,
       figure.id AS id,
       figure.name_ja AS name_ja,
       figure.metric AS metric,
       figure.value AS value,
       figure.unit_ja AS unit_ja,
       figure.scope_ja AS scope_ja,
       figure.basis AS basis,
       figure.basis_reason AS basis_reason
UNION ALL
MATCH (event:`Event`)
WHERE event.attendance IS NOT NULL
RETURN event.fiscal_year AS fiscal_year,
       event.fiscal_year_ja AS fiscal_year_ja,
       event.date_start AS as_of,
       'event' AS record,
       event.id AS id,
       event.name_ja AS name_ja,
       'attendance' AS metric,
       event.attendance AS value,
       '名' AS unit_ja,
       event.location_ja AS scope_ja,
       event.basis AS basis,
       event.basis_reason AS basis_reason
UNION ALL
MATCH (event:`Event`)
WHERE event.school_count IS NOT NULL
RETURN event.fiscal_year AS fiscal_year,
       event.fiscal_year_ja AS fiscal_year_ja,
       event.date_start AS as_of,
       'event' AS record,
       event.id AS id,
       event.name_ja AS name_ja,
       'school_count' AS metric,
       event.school_count AS value,
       '校' AS unit_ja,
       event.location_ja AS scope_ja,
       event.basis AS basis,
       event.basis_reason AS basis_reason
