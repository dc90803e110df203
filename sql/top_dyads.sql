-- top_dyads: the most frequent (actor1, actor2) pairs, directed, with their first and last dates.
-- Columns: actor1, actor2, events, fatalities, first_date, last_date, datasets
-- $dataset (optional): keep only this dataset
-- $start (optional): first event_date kept, YYYY-MM-DD
-- $end (optional): last event_date kept, YYYY-MM-DD
-- $country (optional): keep only this country, as stored
-- $limit (default 50): number of dyads returned
SELECT
    actor1,
    actor2,
    count(*) AS events,
    CAST(sum(fatalities) AS BIGINT) AS fatalities,
    min(event_date) AS first_date,
    max(event_date) AS last_date,
    count(DISTINCT dataset) AS datasets
FROM events
WHERE actor1 IS NOT NULL
  AND actor2 IS NOT NULL
  AND ($dataset IS NULL OR dataset = $dataset)
  AND ($start IS NULL OR event_date >= CAST($start AS DATE))
  AND ($end IS NULL OR event_date <= CAST($end AS DATE))
  AND ($country IS NULL OR country = $country)
GROUP BY actor1, actor2
ORDER BY events DESC, actor1, actor2
LIMIT CAST($limit AS INTEGER)
