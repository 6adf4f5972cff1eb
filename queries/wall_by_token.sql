-- One wall screen by its token's hash.
with final as (
    select
        wall_id,
        label,
        slides,
        theme,
        auto_seconds,
        period,
        expires_at,
        last_used_at,
        revoked_at
    from wall_screens
    where token_hash = $token_hash
)

select * from final
