-- The sessions in use at $now (not revoked, not expired) and the one of $token_hash whatever its
-- state, each with the state of its account now (role, commune, lock; a removed account has
-- account_exists false): ioc/sessions.py decides whether a session still holds, and keeps every
-- row read, so the other sessions' next views in CHECK_SECONDS read nothing (one read for all of a
-- process's sessions, where a read per session cost each view a store query, 50 ms on a lake).
with final as (
    select
        s.token_hash,
        s.username,
        s.last_seen_at,
        s.expires_at,
        s.revoked_at,
        s.revoked_reason,
        u.username is not null as account_exists,
        u.role,
        u.commune_code,
        u.is_demo,
        u.locked_until
    from user_sessions as s
    left join users as u on u.username = s.username
    where s.token_hash = $token_hash
        or (s.revoked_at is null and s.expires_at > $now)
)

select * from final
