-- A new signed-in session (ioc/sessions.py); the token itself is never stored, only its hash.
insert into user_sessions (
    token_hash,
    username,
    source,
    created_at,
    last_seen_at,
    expires_at
)
select
    $token_hash,
    $username,
    $source,
    $now,
    $now,
    $expires_at
