-- A wall screen showed its slides: when it was last seen alive (written at most once a minute).
update wall_screens
set last_used_at = greatest(last_used_at, $now)  -- a touch sent late never moves it back
where token_hash = $token_hash and revoked_at is null
