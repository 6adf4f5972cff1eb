-- A new wall screen (ioc/sessions.py); the token itself is never stored, only its hash.
insert into wall_screens (
    token_hash,
    wall_id,
    label,
    slides,
    theme,
    auto_seconds,
    period,
    created_by,
    created_at,
    expires_at
)
select
    $token_hash,
    $wall_id,
    $label,
    $slides,
    $theme,
    $auto_seconds,
    $period,
    $created_by,
    $now,
    $expires_at
