-- An account's failed sign-ins in a row and its lock, after user_sign_in_failed counted one.
select
    failed_attempts,
    locked_until
from users
where username = $username
