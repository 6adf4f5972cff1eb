-- Every change of a mapping, newest first.
with final as (
    select
        changed_at,
        changed_by,
        kind,
        source_key,
        folded_value,
        raw_example,
        old_canonical,
        new_canonical
    from value_mapping_history
)

select * from final
order by changed_at desc
