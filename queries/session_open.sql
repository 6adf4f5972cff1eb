-- One session by its token's hash while it is not revoked (what session_revoke would end).
select username
from user_sessions
where token_hash = $token_hash and revoked_at is null
