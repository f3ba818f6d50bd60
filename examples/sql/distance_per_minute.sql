-- The distance each ride drove per minute: fixes come once a second, so the sum of their speeds
-- (m/s) is metres. Append mode: a minute's row comes out once the watermark has passed its end.
SELECT window.start AS minute,
       uuid,
       sum(speed) AS metres,
       count(*) AS fixes
FROM locations
WHERE speed >= 0
GROUP BY window(timestamp, '1 minute'), uuid
