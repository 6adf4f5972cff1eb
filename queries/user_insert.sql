-- A new account; the caller has checked the role, the commune and that the name is free.
insert into users (
    username,
    role,
    commune_code,
    password_hash,
    is_demo,
    failed_attempts,
    created_at
)
select
    $username,
    $role,
    $commune,
    $password_hash,
    $is_demo,
    0,
    $created_at
