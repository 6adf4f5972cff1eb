-- Activity in a session: its idle clock starts again (written at most once a minute).
update user_sessions
set last_seen_at = greatest(last_seen_at, $now)  -- a touch sent late never moves it back
where token_hash = $token_hash and revoked_at is null
