-- Revoke a wall screen by its public id; a revoked one stays so. What it revokes is read first
-- (wall_open): no RETURNING, which a DuckLake store does not support.
update wall_screens
set
    revoked_at = $now,
    revoked_by = $revoked_by
where wall_id = $wall_id and revoked_at is null
