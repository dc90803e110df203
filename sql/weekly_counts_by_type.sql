-- weekly_counts_by_type: events and fatalities per dataset, week (starting Monday) and ACLED event type; the default chart of evcode plot.
-- Columns: dataset, week, event_type, events, fatalities
-- $dataset (optional): keep only this dataset
-- $start (optional): first event_date kept, YYYY-MM-DD
-- $end (optional): last event_date kept, YYYY-MM-DD
-- $country (optional): keep only this country, as stored
SELECT
    dataset,
    CAST(date_trunc('week', event_date) AS DATE) AS week,
    event_type,
    count(*) AS events,
    CAST(sum(fatalities) AS BIGINT) AS fatalities
FROM events
WHERE event_date IS NOT NULL
  AND ($dataset IS NULL OR dataset = $dataset)
  AND ($start IS NULL OR event_date >= CAST($start AS DATE))
  AND ($end IS NULL OR event_date <= CAST($end AS DATE))
  AND ($country IS NULL OR country = $country)
GROUP BY dataset, CAST(date_trunc('week', event_date) AS DATE), event_type
ORDER BY dataset, week, event_type NULLS LAST
