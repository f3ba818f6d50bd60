-- The assignment's joined query in SQL: each GPS fix with the accelerometer samples its ride
-- recorded in the second after it; fixes without samples and samples without a fix come out too,
-- once the watermark has passed them (at the latest when the replay is drained).
SELECT coalesce(l.uuid, a.uuid) AS uuid,
       l.timestamp AS loc_timestamp,
       l.speed,
       a.timestamp AS acc_timestamp,
       a.x, a.y, a.z
FROM locations l
FULL OUTER JOIN accelerations a
  ON a.uuid = l.uuid
 AND a.timestamp >= l.timestamp
 AND a.timestamp < l.timestamp + INTERVAL 1 SECOND
