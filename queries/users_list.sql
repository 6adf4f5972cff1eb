-- Accounts for the admin and the CLI, without their password hashes.
with final as (
    select
        username,
        role,
        commune_code,
        is_demo,
        failed_attempts,
        locked_until,
        created_at,
        last_sign_in_at
    from users
)

select * from final
order by role, username
