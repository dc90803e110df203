-- counts_by_type: events and fatalities per dataset, ACLED event type and sub-event type.
-- Rows without an ACLED type (purely verbal CAMEO events, GDELT) have NULL types.
-- Columns: dataset, event_type, sub_event_type, events, fatalities
-- $dataset (optional): keep only this dataset
-- $start (optional): first event_date kept, YYYY-MM-DD
-- $end (optional): last event_date kept, YYYY-MM-DD
-- $country (optional): keep only this country, as stored (ACLED/evcode name; FIPS code for GDELT)
SELECT
    dataset,
    event_type,
    sub_event_type,
    count(*) AS events,
    CAST(sum(fatalities) AS BIGINT) AS fatalities
FROM events
WHERE ($dataset IS NULL OR dataset = $dataset)
  AND ($start IS NULL OR event_date >= CAST($start AS DATE))
  AND ($end IS NULL OR event_date <= CAST($end AS DATE))
  AND ($country IS NULL OR country = $country)
GROUP BY dataset, event_type, sub_event_type
ORDER BY dataset, events DESC, event_type NULLS LAST, sub_event_type NULLS LAST
