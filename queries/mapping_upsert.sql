-- Teach one mapping (replacing the one of the same kind, source and value); returns the count.
-- A MERGE on (kind, source_key, folded_value) rather than INSERT OR REPLACE: a DuckLake store has
-- no primary key (ioc/lake.py).
merge into value_mappings
using (
    select
        $kind as kind,
        $source_key as source_key,
        $folded_value as folded_value,
        $raw_example as raw_example,
        $canonical as canonical,
        $is_invalid as is_invalid,
        $created_by as created_by,
        $created_at as created_at
) as new
    on
        value_mappings.kind = new.kind
        and value_mappings.source_key = new.source_key
        and value_mappings.folded_value = new.folded_value
when matched then update set
    raw_example = new.raw_example,
    canonical = new.canonical,
    is_invalid = new.is_invalid,
    created_by = new.created_by,
    created_at = new.created_at
when not matched then insert (
    kind, source_key, folded_value, raw_example, canonical, is_invalid, created_by, created_at
) values (
    new.kind,
    new.source_key,
    new.folded_value,
    new.raw_example,
    new.canonical,
    new.is_invalid,
    new.created_by,
    new.created_at
)
