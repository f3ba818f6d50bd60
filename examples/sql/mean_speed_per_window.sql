-- The assignment's windowed query in SQL: the mean speed of each ride in 15 s tumbling windows,
-- over fixes with a valid speed (-1 means "no valid speed" on iOS).
-- Run with --output-mode update: each micro-batch writes the windows it changed.
-- A ride is its uuid and ride_id, both grouped on: first(ride_id) would keep a string in the
-- aggregation's buffer, which Spark then sorts and aggregates without generated code.
SELECT window.start AS window_start,
       window.end AS window_end,
       uuid,
       ride_id,
       avg(speed) AS mean_speed,
       count(speed) AS fixes
FROM locations
WHERE speed >= 0
GROUP BY window(timestamp, '15 seconds'), uuid, ride_id
