-- Dossiers with their procedure and commune names, for an export in a one-stop system's format.
with dossier_rows as (
    select
        d.dossier_id,
        d.procedure_code,
        p.procedure_name,
        d.commune_code,
        c.commune_name,
        d.channel,
        d.service_level,
        d.status,
        d.submitted_at,
        d.received_at,
        d.due_at,
        d.finished_at,
        d.returned_at,
        d.rejected_at,
        d.paid_online,
        d.has_fee,
        d.digitized,
        d.vneid_verified,
        d.e_result_issued,
        d.synced_to_portal,
        d.applicant_masked,
        d.map_sheet,
        d.parcel_no
    from dossiers as d
    left join procedures as p on p.procedure_code = d.procedure_code
    left join communes as c on c.commune_code = d.commune_code
),

final as (
    select *
    from dossier_rows
)

select * from final
order by dossier_id
