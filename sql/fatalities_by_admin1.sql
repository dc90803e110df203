-- fatalities_by_admin1: reported fatalities per dataset, country and first-level region, most first.
-- Columns: dataset, country, admin1, events, fatal_events, fatalities, first_date, last_date
-- $dataset (optional): keep only this dataset
-- $start (optional): first event_date kept, YYYY-MM-DD
-- $end (optional): last event_date kept, YYYY-MM-DD
-- $country (optional): keep only this country, as stored
SELECT
    dataset,
    country,
    admin1,
    count(*) AS events,
    count(CASE WHEN fatalities > 0 THEN 1 END) AS fatal_events,
    CAST(coalesce(sum(fatalities), 0) AS BIGINT) AS fatalities,
    min(event_date) AS first_date,
    max(event_date) AS last_date
FROM events
WHERE ($dataset IS NULL OR dataset = $dataset)
  AND ($start IS NULL OR event_date >= CAST($start AS DATE))
  AND ($end IS NULL OR event_date <= CAST($end AS DATE))
  AND ($country IS NULL OR country = $country)
GROUP BY dataset, country, admin1
ORDER BY dataset, fatalities DESC, country NULLS LAST, admin1 NULLS LAST
