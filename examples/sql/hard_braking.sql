-- Hard braking (and bumps): accelerometer samples whose magnitude |a| is above 1.5
-- (the bundled samples are in g, gravity included, so a car at rest reads about 1).
SELECT uuid,
       timestamp,
       `offset`,
       sqrt(x * x + y * y + z * z) AS magnitude
FROM accelerations
WHERE sqrt(x * x + y * y + z * z) > 1.5
