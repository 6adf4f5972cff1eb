-- Commune names the ingest matches export values against; $province null = every province.
with communes_in_scope as (
    select
        commune_code,
        commune_name
    from communes
    where $province is null
        or province_code = $province
),

final as (
    select
        commune_code,
        commune_name
    from communes_in_scope
)

select * from final
