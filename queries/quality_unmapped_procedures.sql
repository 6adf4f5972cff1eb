-- Procedure codes met in dossiers that the catalogue does not know (or marks unknown): the codes
-- an admin has to map before other systems can join these records (đúng, dùng chung).
with seen as (
    select
        coalesce(d.procedure_code, '') as procedure_code,
        count(*) as dossiers,
        count(distinct d.commune_code) as communes
    from dossiers as d
    left join procedures as p on p.procedure_code = d.procedure_code
    where p.procedure_code is null
        or p.code_status = 'unknown'
    group by all
),

final as (
    select
        s.procedure_code,
        p.procedure_name,
        s.dossiers,
        s.communes
    from seen as s
    left join procedures as p on p.procedure_code = s.procedure_code
)

select * from final
order by dossiers desc, procedure_code
