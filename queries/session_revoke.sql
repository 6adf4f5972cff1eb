-- End one session (sign-out, timeout, expiry, a locked or removed account); an ended one stays so.
-- Whether it was open is read first (session_open): no RETURNING on a DuckLake store.
update user_sessions
set
    revoked_at = $now,
    revoked_reason = $reason
where token_hash = $token_hash and revoked_at is null
