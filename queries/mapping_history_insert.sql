-- One change of a mapping, its old and new canonical value.
insert into value_mapping_history (
    changed_at, changed_by, kind, source_key, folded_value, raw_example, old_canonical,
    new_canonical
)
with final as (
    select
        $changed_at as changed_at,
        $changed_by as changed_by,
        $kind as kind,
        $source_key as source_key,
        $folded_value as folded_value,
        $raw_example as raw_example,
        $old_canonical as old_canonical,
        $new_canonical as new_canonical
)

select * from final
