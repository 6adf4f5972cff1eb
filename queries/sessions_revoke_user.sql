-- End every open session of an account (it was locked or removed). Which ones is read first
-- (sessions_open_of_user): no RETURNING, which a DuckLake store does not support.
update user_sessions
set
    revoked_at = $now,
    revoked_reason = $reason
where username = $username and revoked_at is null
