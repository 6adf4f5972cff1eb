-- rollup_open summed over procedures, for the communes being refreshed.
insert into rollup_open_commune
with final as (
    select
        province_code,
        commune_code,
        day,
        sum(open_change) as open_change,
        sum(overdue_change) as overdue_change,
        sum(due_soon_change) as due_soon_change
    from rollup_open
    where $everything or list_contains($communes, commune_code)
    group by all
)

select * from final
order by province_code, day
