-- quality_summary: one row per data-quality check and dataset: how many rows fail it and what share of the dataset that is.
-- Columns: dataset, check_name, description, failing_rows, rows, share
-- $dataset (optional): keep only this dataset
-- $start (optional): first event_date kept, YYYY-MM-DD
-- $end (optional): last event_date kept, YYYY-MM-DD
-- $country (optional): keep only this country, as stored
WITH f AS (
    SELECT *
    FROM events
    WHERE ($dataset IS NULL OR dataset = $dataset)
      AND ($start IS NULL OR event_date >= CAST($start AS DATE))
      AND ($end IS NULL OR event_date <= CAST($end AS DATE))
      AND ($country IS NULL OR country = $country)
),
c0 AS (
    SELECT
        dataset,
        count(*) AS n,
        count(CASE WHEN event_date IS NULL THEN 1 END) AS missing_event_date,
        count(CASE WHEN event_date > current_date THEN 1 END) AS future_event_date,
        count(CASE WHEN country IS NULL THEN 1 END) AS missing_country,
        count(CASE WHEN admin1 IS NULL THEN 1 END) AS missing_admin1,
        count(CASE WHEN latitude IS NULL OR longitude IS NULL THEN 1 END) AS missing_coordinates,
        count(CASE WHEN latitude = 0 AND longitude = 0 THEN 1 END) AS zero_coordinates,
        count(CASE WHEN abs(latitude) > 90 OR abs(longitude) > 180 THEN 1 END) AS coordinates_out_of_range,
        count(CASE WHEN actor1 IS NULL THEN 1 END) AS missing_actor1,
        count(CASE WHEN cameo_code IS NULL THEN 1 END) AS missing_cameo_code,
        count(CASE WHEN event_type IS NULL THEN 1 END) AS missing_event_type,
        count(CASE WHEN event_type IS NOT NULL AND fatalities IS NULL THEN 1 END) AS missing_fatalities,
        count(CASE WHEN fatalities < 0 THEN 1 END) AS negative_fatalities,
        count(CASE WHEN inter1 IS NOT NULL AND interaction IS NOT NULL
                    AND interaction <> CASE WHEN coalesce(inter2, 0) = 0 THEN inter1 * 10
                                            ELSE least(inter1, inter2) * 10 + greatest(inter1, inter2) END
                   THEN 1 END) AS interaction_mismatch
    FROM f
    GROUP BY dataset
),
ids AS (
    SELECT dataset, CAST(sum(copies) AS BIGINT) AS duplicate_source_id
    FROM (
        SELECT dataset, source_event_id, count(*) AS copies
        FROM f
        GROUP BY dataset, source_event_id
        HAVING count(*) > 1
    ) AS d
    GROUP BY dataset
),
c AS (
    SELECT c0.*, coalesce(ids.duplicate_source_id, 0) AS duplicate_source_id
    FROM c0 LEFT JOIN ids ON c0.dataset = ids.dataset
),
checks AS (
    SELECT dataset, n, 1 AS k, 'missing_event_date' AS check_name, 'event_date is empty' AS description, missing_event_date AS failing_rows FROM c
    UNION ALL SELECT dataset, n, 2, 'future_event_date', 'event_date is after today', future_event_date FROM c
    UNION ALL SELECT dataset, n, 3, 'missing_country', 'country is empty', missing_country FROM c
    UNION ALL SELECT dataset, n, 4, 'missing_admin1', 'admin1 is empty', missing_admin1 FROM c
    UNION ALL SELECT dataset, n, 5, 'missing_coordinates', 'latitude or longitude is empty', missing_coordinates FROM c
    UNION ALL SELECT dataset, n, 6, 'zero_coordinates', 'latitude and longitude are both 0 (a common placeholder)', zero_coordinates FROM c
    UNION ALL SELECT dataset, n, 7, 'coordinates_out_of_range', 'latitude beyond +-90 or longitude beyond +-180', coordinates_out_of_range FROM c
    UNION ALL SELECT dataset, n, 8, 'missing_actor1', 'actor1 is empty', missing_actor1 FROM c
    UNION ALL SELECT dataset, n, 9, 'missing_cameo_code', 'no CAMEO event code', missing_cameo_code FROM c
    UNION ALL SELECT dataset, n, 10, 'missing_event_type', 'no ACLED event type (verbal CAMEO events have none)', missing_event_type FROM c
    UNION ALL SELECT dataset, n, 11, 'missing_fatalities', 'an ACLED-typed event without a fatality count', missing_fatalities FROM c
    UNION ALL SELECT dataset, n, 12, 'negative_fatalities', 'fatalities below 0', negative_fatalities FROM c
    UNION ALL SELECT dataset, n, 13, 'duplicate_source_id', 'the source event id occurs more than once in the dataset', duplicate_source_id FROM c
    UNION ALL SELECT dataset, n, 14, 'interaction_mismatch', 'interaction differs from ACLED''s rule (lower inter code * 10 + higher)', interaction_mismatch FROM c
)
SELECT
    dataset,
    check_name,
    description,
    failing_rows,
    n AS "rows",
    round(CAST(failing_rows AS DOUBLE) / nullif(n, 0), 4) AS share
FROM checks
ORDER BY dataset, k
