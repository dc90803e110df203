-- weekly_counts: events and fatalities per dataset, week (starting Monday), country and admin1.
-- Columns: dataset, week, country, admin1, events, fatalities
-- $dataset (optional): keep only this dataset
-- $start (optional): first event_date kept, YYYY-MM-DD
-- $end (optional): last event_date kept, YYYY-MM-DD
-- $country (optional): keep only this country, as stored
SELECT
    dataset,
    CAST(date_trunc('week', event_date) AS DATE) AS week,
    country,
    admin1,
    count(*) AS events,
    CAST(sum(fatalities) AS BIGINT) AS fatalities
FROM events
WHERE event_date IS NOT NULL
  AND ($dataset IS NULL OR dataset = $dataset)
  AND ($start IS NULL OR event_date >= CAST($start AS DATE))
  AND ($end IS NULL OR event_date <= CAST($end AS DATE))
  AND ($country IS NULL OR country = $country)
GROUP BY dataset, CAST(date_trunc('week', event_date) AS DATE), country, admin1
ORDER BY dataset, week, country NULLS LAST, admin1 NULLS LAST
