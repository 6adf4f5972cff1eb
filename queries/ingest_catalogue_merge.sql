-- A catalogue import's flags (registered frame ingest_batch_catalogue) into procedures: a flag the
-- file leaves empty keeps the stored one; a code the store does not hold comes in with the file's
-- name as 'unknown' (not in the packaged catalogue), as a dossier export's new codes do. A MERGE on
-- procedure_code rather than INSERT ... ON CONFLICT: a DuckLake store has no primary key.
merge into procedures
using ingest_batch_catalogue as new
    on procedures.procedure_code = new.procedure_code
when matched then update set
    published = coalesce(new.published, procedures.published),
    paper_result = coalesce(new.paper_result, procedures.paper_result)
when not matched then insert (
    procedure_code, procedure_name, code_status, published, paper_result
) values (
    new.procedure_code, new.procedure_name, 'unknown', new.published, new.paper_result
)
