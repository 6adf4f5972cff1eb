-- One secondment a city leader recorded (ioc/capacity.py record_secondment).
insert into secondments (
    secondment_id, commune_code, officers, from_date, to_date, time_share, note, created_by,
    created_at
)
with final as (
    select
        $secondment_id as secondment_id,
        $commune as commune_code,
        $officers as officers,
        cast($from_date as date) as from_date,
        cast($to_date as date) as to_date,
        $time_share as time_share,
        $note as note,
        $created_by as created_by,
        cast($created_at as timestamp) as created_at
)

select * from final
