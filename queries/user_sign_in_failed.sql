-- Count a failed sign-in; the failure that reaches $max_failures locks the account until
-- $locked_until. The state after it is read by user_failures: no RETURNING, which a DuckLake
-- store does not support.
update users
set
    failed_attempts = failed_attempts + 1,
    locked_until = case
        when failed_attempts + 1 >= $max_failures then cast($locked_until as timestamp)
        else locked_until
    end
where username = $username
