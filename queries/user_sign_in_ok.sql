-- A successful sign-in clears the failure counter and any expired lock.
update users
set
    failed_attempts = 0,
    locked_until = null,
    last_sign_in_at = cast($signed_in_at as timestamp)
where username = $username
