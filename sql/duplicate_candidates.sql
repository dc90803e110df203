-- duplicate_candidates: pairs of events in one dataset with the same date, place and type and at least one actor in common.
-- The type is the ACLED sub-event type, or the CAMEO code when there is none; the place is
-- country + admin1 + location. Each pair is listed once (event_id_a < event_id_b). An event is
-- paired with at most $max_per_event earlier events (the lowest event_ids: the first is its group's
-- representative); candidates_b counts all of them, so a crowded day (thousands of events on one
-- place, type and actor) gives rows in proportion to its events, not to their square.
-- Columns: dataset, event_date, country, admin1, location, event_type, event_id_a, event_id_b, actor1_a, actor2_a, actor1_b, actor2_b, fatalities_a, fatalities_b, candidates_b
-- $dataset (optional): keep only this dataset
-- $start (optional): first event_date kept, YYYY-MM-DD
-- $end (optional): last event_date kept, YYYY-MM-DD
-- $country (optional): keep only this country, as stored
-- $max_per_event (default 10): earlier events listed per event_id_b (1: each event against its representative only)
WITH filtered AS (
    SELECT dataset, event_id, event_date, country, admin1, location,
           coalesce(sub_event_type, cameo_code) AS kind, event_type, actor1, actor2, fatalities,
           coalesce(country, '') || '|' || coalesce(admin1, '') || '|' || coalesce(location, '') AS place
    FROM events
    WHERE event_date IS NOT NULL
      AND coalesce(sub_event_type, cameo_code) IS NOT NULL
      AND (actor1 IS NOT NULL OR actor2 IS NOT NULL)
      AND ($dataset IS NULL OR dataset = $dataset)
      AND ($start IS NULL OR event_date >= CAST($start AS DATE))
      AND ($end IS NULL OR event_date <= CAST($end AS DATE))
      AND ($country IS NULL OR country = $country)
),
-- only a group of two or more events can hold a pair; most groups hold one, so drop them first
crowded AS (
    SELECT dataset, event_date, kind, place
    FROM filtered
    GROUP BY dataset, event_date, kind, place
    HAVING count(*) > 1
),
-- uid numbers the rows (event_id may repeat in a dataset: rows need their own id); pos is the
-- output order (dataset, event_date, event_id) as a number, so sorting compares no strings
e AS (
    SELECT row_number() OVER (ORDER BY f.dataset, f.event_date, f.event_id) AS uid,
           dense_rank() OVER (ORDER BY f.dataset, f.event_date, f.event_id) AS pos, f.*
    FROM filtered AS f
    JOIN crowded AS c
      ON c.dataset = f.dataset AND c.event_date = f.event_date AND c.kind = f.kind AND c.place = f.place
),
-- one row per event and actor it names (an actor named twice counts once)
named AS (
    SELECT uid, event_id, dataset, event_date, kind, place, actor1 AS actor FROM e WHERE actor1 IS NOT NULL
    UNION ALL
    SELECT uid, event_id, dataset, event_date, kind, place, actor2 AS actor FROM e
    WHERE actor2 IS NOT NULL AND (actor1 IS NULL OR actor2 <> actor1)
),
-- per (group, actor), in event_id order: nth for the cap, earlier = events with a lower event_id
ranked AS (
    SELECT uid, event_id, dataset, event_date, kind, place, actor,
           row_number() OVER (PARTITION BY dataset, event_date, kind, place, actor ORDER BY uid) AS nth,
           rank() OVER (PARTITION BY dataset, event_date, kind, place, actor ORDER BY event_id) - 1 AS earlier
    FROM named
),
-- earlier events naming both of an event's two actors: counted under each actor, so subtracted once
both_named AS (
    SELECT uid,
           rank() OVER (PARTITION BY dataset, event_date, kind, place,
                                     CASE WHEN actor1 < actor2 THEN actor1 ELSE actor2 END,
                                     CASE WHEN actor1 < actor2 THEN actor2 ELSE actor1 END
                        ORDER BY event_id) - 1 AS earlier
    FROM e
    WHERE actor1 IS NOT NULL AND actor2 IS NOT NULL AND actor1 <> actor2
),
-- earlier events sharing an actor, all of them: under actor1 + under actor2 - under both
counted AS (
    SELECT r.uid, CAST(sum(r.earlier) - coalesce(max(b.earlier), 0) AS BIGINT) AS candidates
    FROM ranked AS r
    LEFT JOIN both_named AS b ON b.uid = r.uid
    GROUP BY r.uid
),
-- the first $max_per_event events under each actor are enough to find an event's first
-- $max_per_event partners; joining only those keeps the join linear in the group's size
pairs AS (
    SELECT DISTINCT a.uid AS uid_a, b.uid AS uid_b
    FROM ranked AS b
    JOIN (SELECT * FROM ranked WHERE nth <= CAST($max_per_event AS INTEGER)) AS a
      ON a.dataset = b.dataset
     AND a.event_date = b.event_date
     AND a.kind = b.kind
     AND a.place = b.place
     AND a.actor = b.actor
    WHERE a.event_id < b.event_id
),
kept AS (
    SELECT uid_a, uid_b, row_number() OVER (PARTITION BY uid_b ORDER BY uid_a) AS k
    FROM pairs
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
    b.fatalities AS fatalities_b,
    c.candidates AS candidates_b
FROM kept
JOIN e AS a ON a.uid = kept.uid_a
JOIN e AS b ON b.uid = kept.uid_b
JOIN counted AS c ON c.uid = kept.uid_b
WHERE kept.k <= CAST($max_per_event AS INTEGER)
ORDER BY a.pos, b.pos, a.uid, b.uid  -- = dataset, event_date, event_id_a, event_id_b
