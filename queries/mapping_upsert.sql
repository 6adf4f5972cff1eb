-- Teach one mapping (replacing the one of the same kind, source and value); returns the count.
insert or replace into value_mappings (
    kind, source_key, folded_value, raw_example, canonical, is_invalid, created_by, created_at
)
with final as (
    select
        $kind as kind,
        $source_key as source_key,
        $folded_value as folded_value,
        $raw_example as raw_example,
        $canonical as canonical,
        $is_invalid as is_invalid,
        $created_by as created_by,
        $created_at as created_at
)

select * from final
