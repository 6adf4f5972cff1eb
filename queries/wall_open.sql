-- The wall screen of a public id while it is not revoked (what wall_revoke would revoke).
select
    wall_id,
    label
from wall_screens
where wall_id = $wall_id and revoked_at is null
