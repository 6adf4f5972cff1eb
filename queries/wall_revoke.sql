-- Revoke a wall screen by its public id; a revoked one stays so. Returns what was revoked.
update wall_screens
set
    revoked_at = $now,
    revoked_by = $revoked_by
where wall_id = $wall_id and revoked_at is null
returning wall_id, label
