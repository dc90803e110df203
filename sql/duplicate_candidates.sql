-- duplicate_candidates: pairs of events in one dataset with the same date, place and type and at least one actor in common.
-- The type is the ACLED sub-event type, or the CAMEO code when there is none; the place is
-- country + admin1 + location. Each pair is listed once (event_id_a < event_id_b).
-- Columns: dataset, event_date, country, admin1, location, event_type, event_id_a, event_id_b, actor1_a, actor2_a, actor1_b, actor2_b, fatalities_a, fatalities_b
-- $dataset (optional): keep only this dataset
-- $start (optional): first event_date kept, YYYY-MM-DD
-- $end (optional): last event_date kept, YYYY-MM-DD
-- $country (optional): keep only this country, as stored
WITH e AS (
    SELECT dataset, event_id, event_date, country, admin1, location,
           coalesce(sub_event_type, cameo_code) AS kind, event_type, actor1, actor2, fatalities,
           coalesce(country, '') || '|' || coalesce(admin1, '') || '|' || coalesce(location, '') AS place
    FROM events
    WHERE event_date IS NOT NULL
      AND ($dataset IS NULL OR dataset = $dataset)
      AND ($start IS NULL OR event_date >= CAST($start AS DATE))
      AND ($end IS NULL OR event_date <= CAST($end AS DATE))
      AND ($country IS NULL OR country = $country)
)
SELECT
    a.dataset,
    a.event_date,
    a.country,
    a.admin1,
    a.location,
    coalesce(a.event_type, a.kind) AS event_type,
    a.event_id AS event_id_a,
    b.event_id AS event_id_b,
    a.actor1 AS actor1_a,
    a.actor2 AS actor2_a,
    b.actor1 AS actor1_b,
    b.actor2 AS actor2_b,
    a.fatalities AS fatalities_a,
    b.fatalities AS fatalities_b
FROM e AS a
JOIN e AS b
  ON a.dataset = b.dataset
 AND a.event_date = b.event_date
 AND a.kind = b.kind
 AND a.place = b.place
WHERE a.event_id < b.event_id
  AND ((a.actor1 IS NOT NULL AND (a.actor1 = b.actor1 OR a.actor1 = b.actor2))
    OR (a.actor2 IS NOT NULL AND (a.actor2 = b.actor1 OR a.actor2 = b.actor2)))
ORDER BY a.dataset, a.event_date, a.event_id, b.event_id
