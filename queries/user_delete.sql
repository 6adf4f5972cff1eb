-- Remove an account (the demo accounts of a store that left demo mode).
delete from users
where username = $username
