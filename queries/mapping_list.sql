-- The mappings an administrator taught, by kind and value.
with final as (
    select
        kind,
        source_key,
        folded_value,
        raw_example,
        canonical,
        is_invalid,
        created_by,
        created_at
    from value_mappings
)

select * from final
order by kind, source_key, folded_value
