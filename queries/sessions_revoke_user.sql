-- End every open session of an account (it was locked or removed).
update user_sessions
set
    revoked_at = $now,
    revoked_reason = $reason
where username = $username and revoked_at is null
returning token_hash
