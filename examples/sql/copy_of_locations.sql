-- The assignment's simple query in SQL, for one topic: every GPS fix, copied unchanged.
SELECT * FROM locations
