-- cameo_quad_series: daily event counts per CAMEO quad class with the mean Goldstein score, as GDELT summaries show them.
-- Quad classes: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
-- Columns: dataset, day, quad_class, events, mean_goldstein
-- $dataset (optional): keep only this dataset
-- $start (optional): first event_date kept, YYYY-MM-DD
-- $end (optional): last event_date kept, YYYY-MM-DD
-- $country (optional): keep only this country, as stored
SELECT
    dataset,
    event_date AS day,
    quad_class,
    count(*) AS events,
    round(avg(goldstein), 3) AS mean_goldstein
FROM events
WHERE event_date IS NOT NULL
  AND quad_class IS NOT NULL
  AND ($dataset IS NULL OR dataset = $dataset)
  AND ($start IS NULL OR event_date >= CAST($start AS DATE))
  AND ($end IS NULL OR event_date <= CAST($end AS DATE))
  AND ($country IS NULL OR country = $country)
GROUP BY dataset, event_date, quad_class
ORDER BY dataset, day, quad_class
