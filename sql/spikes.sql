-- spikes: weeks whose event count is far from the trailing mean of the weeks before, per dataset, country and admin1.
-- Weeks start on Monday; weeks without events count as 0. z_score = (events - trailing_mean)
-- / max(trailing_sd, 1): the floor keeps a quiet place's first events from dividing by zero.
-- A week is listed when it has a full trailing window, |z_score| >= $z and
-- max(events, trailing_mean) >= $min_events.
-- Columns: dataset, country, admin1, week, events, trailing_mean, trailing_sd, z_score
-- $dataset (optional): keep only this dataset
-- $start (optional): first event_date kept, YYYY-MM-DD
-- $end (optional): last event_date kept, YYYY-MM-DD
-- $country (optional): keep only this country, as stored
-- $weeks (default 8): number of trailing weeks the mean and standard deviation are taken over
-- $z (default 3): how many standard deviations from the mean make a spike
-- $min_events (default 5): ignore places and weeks with fewer events than this
WITH w AS (
    SELECT dataset, country, admin1, CAST(date_trunc('week', event_date) AS DATE) AS week, count(*) AS events
    FROM events
    WHERE event_date IS NOT NULL
      AND ($dataset IS NULL OR dataset = $dataset)
      AND ($start IS NULL OR event_date >= CAST($start AS DATE))
      AND ($end IS NULL OR event_date <= CAST($end AS DATE))
      AND ($country IS NULL OR country = $country)
    GROUP BY dataset, country, admin1, CAST(date_trunc('week', event_date) AS DATE)
),
span AS (
    SELECT dataset, country, admin1, min(week) AS first_week, max(week) AS last_week
    FROM w
    GROUP BY dataset, country, admin1
),
grid AS (
    SELECT dataset, country, admin1, CAST(unnest(generate_series(first_week, last_week, INTERVAL 7 DAY)) AS DATE) AS week
    FROM span
),
filled AS (
    SELECT g.dataset, g.country, g.admin1, g.week, coalesce(w.events, 0) AS events
    FROM grid AS g
    LEFT JOIN w
      ON g.dataset = w.dataset
     AND g.country IS NOT DISTINCT FROM w.country
     AND g.admin1 IS NOT DISTINCT FROM w.admin1
     AND g.week = w.week
),
stats AS (
    SELECT
        dataset, country, admin1, week, events,
        avg(events) OVER (PARTITION BY dataset, country, admin1 ORDER BY week
                           ROWS BETWEEN CAST($weeks AS INTEGER) PRECEDING AND 1 PRECEDING) AS trailing_mean,
        coalesce(stddev_samp(events) OVER (PARTITION BY dataset, country, admin1 ORDER BY week
                           ROWS BETWEEN CAST($weeks AS INTEGER) PRECEDING AND 1 PRECEDING), 0) AS trailing_sd,
        count(*) OVER (PARTITION BY dataset, country, admin1 ORDER BY week
                           ROWS BETWEEN CAST($weeks AS INTEGER) PRECEDING AND 1 PRECEDING) AS history
    FROM filled
)
SELECT
    dataset,
    country,
    admin1,
    week,
    events,
    round(trailing_mean, 3) AS trailing_mean,
    round(trailing_sd, 3) AS trailing_sd,
    round((events - trailing_mean) / greatest(trailing_sd, 1.0), 3) AS z_score
FROM stats
WHERE history = CAST($weeks AS INTEGER)
  AND abs(events - trailing_mean) / greatest(trailing_sd, 1.0) >= CAST($z AS DOUBLE)
  AND greatest(events, trailing_mean) >= CAST($min_events AS DOUBLE)
ORDER BY dataset, country NULLS LAST, admin1 NULLS LAST, week
