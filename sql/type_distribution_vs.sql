-- type_distribution_vs: two datasets' distributions over ACLED event and sub-event types side by side, with the difference in share.
-- Shares are of each dataset's rows in the date/country window; difference = share_a - share_b.
-- Columns: event_type, sub_event_type, events_a, share_a, events_b, share_b, difference
-- $a: the first dataset
-- $b: the second dataset
-- $start (optional): first event_date kept, YYYY-MM-DD
-- $end (optional): last event_date kept, YYYY-MM-DD
-- $country (optional): keep only this country, as stored
WITH t AS (
    SELECT dataset, event_type, sub_event_type, count(*) AS n
    FROM events
    WHERE (dataset = $a OR dataset = $b)
      AND ($start IS NULL OR event_date >= CAST($start AS DATE))
      AND ($end IS NULL OR event_date <= CAST($end AS DATE))
      AND ($country IS NULL OR country = $country)
    GROUP BY dataset, event_type, sub_event_type
),
ta AS (SELECT event_type, sub_event_type, n FROM t WHERE dataset = $a),
tb AS (SELECT event_type, sub_event_type, n FROM t WHERE dataset = $b),
tot AS (
    SELECT
        coalesce(sum(CASE WHEN dataset = $a THEN n END), 0) AS total_a,
        coalesce(sum(CASE WHEN dataset = $b THEN n END), 0) AS total_b
    FROM t
),
j AS (
    SELECT
        coalesce(ta.event_type, tb.event_type) AS event_type,
        coalesce(ta.sub_event_type, tb.sub_event_type) AS sub_event_type,
        coalesce(ta.n, 0) AS events_a,
        coalesce(tb.n, 0) AS events_b
    FROM ta
    FULL OUTER JOIN tb
      ON ta.event_type IS NOT DISTINCT FROM tb.event_type
     AND ta.sub_event_type IS NOT DISTINCT FROM tb.sub_event_type
)
SELECT
    j.event_type,
    j.sub_event_type,
    j.events_a,
    round(CAST(j.events_a AS DOUBLE) / nullif(tot.total_a, 0), 4) AS share_a,
    j.events_b,
    round(CAST(j.events_b AS DOUBLE) / nullif(tot.total_b, 0), 4) AS share_b,
    round(coalesce(CAST(j.events_a AS DOUBLE) / nullif(tot.total_a, 0), 0)
          - coalesce(CAST(j.events_b AS DOUBLE) / nullif(tot.total_b, 0), 0), 4) AS difference
FROM j CROSS JOIN tot
ORDER BY abs(difference) DESC, event_type NULLS LAST, sub_event_type NULLS LAST
