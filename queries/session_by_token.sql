-- One session by its token's hash, with the state of its account now (role, commune, lock; a
-- removed account has account_exists false): ioc/sessions.py decides whether it still holds.
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
)

select * from final
