-- One account by its username (ioc/auth.py); the hash is read only to verify a password.
with final as (
    select
        username,
        role,
        commune_code,
        password_hash,
        is_demo,
        failed_attempts,
        locked_until
    from users
    where username = $username
)

select * from final
