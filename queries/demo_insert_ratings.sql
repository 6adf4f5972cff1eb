-- The demo's ratings (docs/demo.md): citizens rate a share of the resolved dossiers within four
-- days of the result, drawn from hashes of the dossier id and $seed, so the same dossier always
-- gets the same rating and a feed moving on to $until adds exactly the ratings a build straight to
-- $until has: those given after $since and by $until (a build passes the demo's start as $since).
-- Each commune has its own rating habit and satisfaction level; dissatisfaction falls as the
-- months go by (TREND months from 1/7/2025 to 30/11/2026, as the online share rises); land
-- procedures draw twice as much of it; a few communes (about 1 in 16) have one bad month with
-- four times the dissatisfaction plus 15 points. A not-satisfied rating carries the criterion
-- that failed, and most carry a comment; comments are stored masked, as an import stores them.
insert into dossier_ratings (
    rating_id, dossier_id, commune_code, procedure_code, rated_at, criterion, level,
    comment_masked, source_file, ingest_run_id
)
with commune_habits as (
    select
        commune_code,
        (hash(commune_code, $seed, 'rate') % 10000) / 10000.0 as u_rate,
        (hash(commune_code, $seed, 'happy') % 10000) / 10000.0 as u_happy,
        (hash(commune_code, $seed, 'bad') % 10000) / 10000.0 as u_bad,
        date '2025-09-01'
        + to_months(cast(hash(commune_code, $seed, 'month') % 14 as integer)) as bad_month
    from communes
),

resolved as (
    select
        d.dossier_id,
        d.commune_code,
        d.procedure_code,
        d.channel,
        d.finished_at,
        coalesce(p.is_land, false) as is_land,
        (hash(d.dossier_id, $seed, 'rated') % 1000000) / 1000000.0 as u_rated,
        (hash(d.dossier_id, $seed, 'level') % 1000000) / 1000000.0 as u_level,
        (hash(d.dossier_id, $seed, 'lag') % 1000000) / 1000000.0 as u_lag,
        hash(d.dossier_id, $seed, 'pick') as pick
    from dossiers as d
    left join procedures as p on p.procedure_code = d.procedure_code
    where @resolved(d)
        and d.finished_at > $since - interval 4 day
        and d.finished_at <= $until
),

drawn as (
    select
        r.*,
        h.u_rate,
        h.u_happy,
        -- a day within four of the result, between 07:00 and 22:00, after the result
        greatest(
            cast(r.finished_at as date) + to_days(cast(floor(r.u_lag * 4) as integer))
            + to_seconds(cast(25200 + (r.u_lag * 4 - floor(r.u_lag * 4)) * 54000 as bigint)),
            r.finished_at + interval 10 minute
        ) as rated_at,
        least(greatest(datediff('day', date '2025-07-01', r.finished_at) / 518.0, 0), 1)
            as progress,
        h.u_bad < 0.06 and date_trunc('month', r.finished_at) = h.bad_month as bad
    from resolved as r
    inner join commune_habits as h on h.commune_code = r.commune_code
),

levelled as (
    select
        *,
        (0.03 + 0.14 * u_happy) * (1.0 - 0.55 * progress) * (case when is_land then 2 else 1 end)
            as p_base
    from drawn
    where rated_at > $since
        and rated_at <= $until
        -- the rating habit: 18% to 48% of resolved dossiers, more of the online ones
        and u_rated < 0.18 + 0.22 * u_rate + (case when channel = 'online' then 0.08 else 0 end)
),

rated as (
    select
        *,
        case
            when u_level < (case when bad then least(4 * p_base + 0.15, 0.8) else p_base end)
                then 'not_satisfied'
            when u_level > 1 - (0.30 + 0.30 * u_happy + 0.15 * progress) then 'very_satisfied'
            else 'satisfied'
        end as level
    from levelled
),

overall as (
    select
        dossier_id || '|' || strftime(rated_at, '%Y-%m-%dT%H:%M:%S') as rating_id,
        dossier_id,
        commune_code,
        procedure_code,
        rated_at,
        cast(null as varchar) as criterion,
        level,
        case
            when level = 'not_satisfied' and pick % 10 < 7 then [
                'Thời gian chờ ở Bộ phận Một cửa quá lâu',
                'Phải đi lại nhiều lần mới nộp được hồ sơ',
                'Cán bộ Nguyễn V. H. hướng dẫn chưa rõ, phải bổ sung nhiều lần',
                'Trả kết quả chậm so với giấy hẹn, không được báo trước',
                'Không thanh toán trực tuyến được, phải nộp tiền mặt',
                'Hệ thống dịch vụ công hay bị lỗi khi nộp hồ sơ',
                'Yêu cầu thêm giấy tờ không có trong quy định',
                'Thái độ tiếp nhận chưa niềm nở',
                'Gọi số *** nhiều lần không ai nghe máy',
                'Kết quả có sai sót thông tin, phải làm lại'
            ][1 + cast((pick // 10) % 10 as integer)]
            when level <> 'not_satisfied' and pick % 10 = 0 then [
                'Cán bộ hướng dẫn nhiệt tình',
                'Nhanh gọn, đúng hẹn',
                'Nộp trực tuyến thuận tiện',
                'Cảm ơn chị Trần T. M. đã hỗ trợ'
            ][1 + cast((pick // 10) % 4 as integer)]
        end as comment_masked
    from rated
),

criteria as (
    select
        dossier_id || '|' || criterion || '|' || strftime(rated_at, '%Y-%m-%dT%H:%M:%S')
            as rating_id,
        dossier_id,
        commune_code,
        procedure_code,
        rated_at,
        criterion,
        'not_satisfied' as level,
        cast(null as varchar) as comment_masked
    from (
        select
            *,
            [
                'Thời gian giải quyết',
                'Thái độ phục vụ',
                'Hướng dẫn hồ sơ',
                'Kết quả giải quyết'
            ][1 + cast((pick // 1000) % 4 as integer)] as criterion
        from rated
        where level = 'not_satisfied'
    ) as failing
),

final as (
    select
        *,
        $source_file as source_file,
        cast(null as varchar) as ingest_run_id
    from (
        select * from overall
        union all
        select * from criteria
    ) as rows
)

select * from final
