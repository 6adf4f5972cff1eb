-- Demo dossiers from the frame registered as demo_dossiers, as store rows (the columns an import
-- writes). The receipt number is H<province>.<commune>-<yymmdd submitted>-<running number of the
-- commune>; the applicant key is the hex form of the generator's 64-bit person hash (no real
-- identity behind it).
with final as (
    select
        'H' || province_code || '.' || commune_code || '-' || strftime(submitted_at, '%y%m%d')
        || '-' || lpad(cast(seq as varchar), 6, '0') as dossier_id,
        procedure_code,
        cast(null as varchar) as procedure_name,
        commune_code,
        channel,
        service_level,
        submitted_at,
        received_at,
        due_at,
        finished_at,
        returned_at,
        rejected_at,
        status,
        paid_online,
        has_fee,
        digitized,
        vneid_verified,
        e_result_issued,
        synced_to_portal,
        applicant_masked,
        printf('%016x', person_key) as applicant_key,
        map_sheet,
        parcel_no
    from demo_dossiers
)

select * from final
