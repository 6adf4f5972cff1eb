-- The open sessions of an account (what sessions_revoke_user would end).
select token_hash
from user_sessions
where username = $username and revoked_at is null
