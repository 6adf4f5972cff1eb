-- The wall screens for the admin page, newest first, without their token hashes.
with final as (
    select
        wall_id,
        label,
        slides,
        theme,
        auto_seconds,
        period,
        created_by,
        created_at,
        expires_at,
        last_used_at,
        revoked_at,
        revoked_by
    from wall_screens
)

select * from final
order by created_at desc, wall_id
