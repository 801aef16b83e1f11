// The differential suite's queries over facts/dim/pairs (test/differential/data.ts), each in Redshift
// form and, where DuckDB spells it differently, in DuckDB form. Queries with ORDER BY order every row.

export interface DiffQuery {
  name: string;
  /** The query wasmshift runs (Redshift SQL). */
  sql: string;
  /** DuckDB's spelling when it differs (integer AVG, which is BIGINT in Redshift and DOUBLE in DuckDB). */
  duckdb?: string;
}

const q = (name: string, sql: string, duckdb?: string): DiffQuery => (duckdb ? { name, sql, duckdb } : { name, sql });

/** Redshift AVG over integers returns BIGINT ("AVG function"): truncated; DuckDB's `//` truncates toward zero too. */
const intAvg = (x: string): string => `(sum(${x}) // count(${x}))`;

export const DIFF_QUERIES: DiffQuery[] = [
  // ---- filters: each type and operator, ranges, NULL tests, LIKE ----
  q('filter int range', 'select id, i from facts where i between -300 and 300'),
  q('filter int comparison count', 'select count(*) from facts where i > 0'),
  q('filter not and null', 'select count(*) from facts where not (i > 0)'),
  q('filter bigint', 'select id, b from facts where b < -999990000000 or b >= 999995000000'),
  q('filter decimal', 'select id, d from facts where d >= 99990.00 or d = -0.50 or d = 0.50'),
  q('filter double', 'select id, f from facts where f < -999.9 or f > 999.95'),
  q('filter varchar equality', "select count(*), min(id), max(id) from facts where s = 'alpha'"),
  q('filter varchar range', "select count(*) from facts where s > 'm' and s < 'n'"),
  q('filter like prefix', "select s, count(*) from facts where s like 'al%' group by s"),
  q('filter like underscore', "select s, count(*) from facts where s like '%_1%' group by s"),
  q('filter not like', "select count(*) from facts where s not like '%a%'"),
  q('filter ilike', "select s, count(*) from facts where s ilike 'ALPHA%' group by s"),
  q('filter date range', "select id, dt from facts where dt between date '2010-01-01' and date '2010-01-03'"),
  q('filter date comparison', "select count(*) from facts where dt < '2001-01-01'"),
  q('filter is null', 'select count(*) from facts where dt is null'),
  q('filter is not null combos', 'select count(*) from facts where i is not null and b is null and k2 is not null'),
  q('filter boolean', 'select count(*) from facts where flag'),
  q('filter boolean is false', 'select count(*) from facts where flag is false and k2 = 3'),
  q('filter in list', 'select count(*) from facts where k1 in (1, 2, 3) and k2 not in (4, 5)'),
  q('filter not in with nulls', 'select count(*) from facts where k2 not in (1, 2)'),
  q('filter or of types', "select id, g from facts where (g = 'G07' and i >= 990000) or (s = 'zulu' and dt = '2020-02-29')"),
  q('filter arithmetic', 'select id, i, k1 from facts where i * 2 + k1 = 1000 or i % 100000 = 7'),
  q('filter case', "select count(*) from facts where case when k1 < 10 then 'low' when k1 < 50 then 'mid' else 'high' end = 'mid'"),
  q('filter coalesce', 'select count(*) from facts where coalesce(k2, -1) = -1'),
  // ---- projections and scalar expressions ----
  q('project arithmetic', 'select id, i + k1, i - k1, i * 3, i / 7, i % 7, b / 1000, d * 2, d + 1.25, f * 2 from facts where id % 50000 = 3',
    'select id, i + k1, i - k1, i * 3, i // 7, i % 7, b // 1000, d * 2, d + 1.25, f * 2 from facts where id % 50000 = 3'),
  q('project strings', "select id, upper(s), lower(g), length(s), substring(s, 2, 3), s || '-' || g, trim(s) from facts where id % 40000 = 11"),
  q('project casts', 'select id, cast(i as bigint), cast(d as integer), cast(k1 as varchar), cast(dt as varchar), cast(i as double precision) from facts where id % 40000 = 17',
    'select id, cast(i as bigint), cast(d as integer), cast(k1 as varchar), cast(dt as varchar), cast(i as double) from facts where id % 40000 = 17'),
  q('project date parts', 'select id, extract(year from dt), extract(month from dt), extract(day from dt) from facts where id % 40000 = 19'),
  // ---- Redshift functions against their DuckDB spelling ----
  q('dateadd', 'select id, dateadd(day, 45, dt), dateadd(month, 1, dt), dateadd(year, -1, dt) from facts where id % 20000 = 7',
    "select id, dt + interval '45 day', dt + interval '1 month', dt + interval '-1 year' from facts where id % 20000 = 7"),
  q('dateadd in group by', 'select extract(year from dateadd(day, 200, dt)) as y, count(*) from facts group by 1',
    "select extract(year from dt + interval '200 day') as y, count(*) from facts group by 1"),
  q('datediff', "select datediff(day, dt, '2010-01-01') as dd, datediff(month, dt, '2024-12-31') as dm, datediff(year, '2000-01-01', dt) as dy, count(*) from facts where k1 = 9 group by 1, 2, 3",
    "select date_diff('day', dt, DATE '2010-01-01') as dd, date_diff('month', dt, DATE '2024-12-31') as dm, date_diff('year', DATE '2000-01-01', dt) as dy, count(*) from facts where k1 = 9 group by 1, 2, 3"),
  q('date_trunc', "select date_trunc('month', dt) as m, count(*), sum(i) from facts where dt >= '2015-01-01' and dt < '2016-01-01' group by 1",
    "select cast(date_trunc('month', dt) as timestamp) as m, count(*), sum(i) from facts where dt >= '2015-01-01' and dt < '2016-01-01' group by 1"),
  q('nvl nvl2 decode', "select nvl(k2, -1) as a, nvl2(s, 'has', 'none') as b, decode(k2, 1, 'one', 2, 'two', 'other') as c, count(*) from facts group by 1, 2, 3",
    "select coalesce(k2, -1) as a, case when s is not null then 'has' else 'none' end as b, case k2 when 1 then 'one' when 2 then 'two' else 'other' end as c, count(*) from facts group by 1, 2, 3"),
  q('len and charindex', "select len(s), charindex('a', s), count(*) from facts group by 1, 2",
    "select length(s), strpos(s, 'a'), count(*) from facts group by 1, 2"),
  q('date arithmetic', "select count(*), min(dt + 30), max(dt - 30), sum(dt - date '2000-01-01') from facts"),
  // ---- aggregates ----
  q('aggregate global', 'select count(*), count(i), count(k2), sum(i), sum(b), sum(d), min(i), max(i), min(b), max(b), min(d), max(d), min(f), max(f), sum(f) from facts'),
  q('aggregate min max strings dates', 'select min(s), max(s), min(g), max(g), min(dt), max(dt) from facts'),
  q('aggregate avg', `select avg(d), avg(f), ${'avg(i)'} from facts`, `select avg(d), avg(f), ${intAvg('i')} from facts`),
  q('group by 1 key', 'select k1, count(*), sum(i), sum(d), min(s), max(dt), avg(d) from facts group by k1'),
  q('group by nullable key', 'select k2, count(*), count(i), sum(b), avg(i) from facts group by k2',
    `select k2, count(*), count(i), sum(b), ${intAvg('i')} from facts group by k2`),
  q('group by 2 keys', 'select k1, k2, count(*), sum(b), max(f) from facts group by k1, k2'),
  q('group by 3 keys having', 'select k1, k2, g, count(*), sum(d) from facts group by k1, k2, g having count(*) > 28'),
  q('group by string', 'select g, count(*), avg(f), min(s), max(s), min(dt), max(dt) from facts group by g'),
  q('group by boolean', 'select flag, count(*), sum(i) from facts group by flag'),
  q('group by date part', 'select extract(year from dt) as y, count(*), sum(d) from facts group by extract(year from dt)'),
  q('group by expression', 'select k1 % 7 as m, count(*), sum(i) from facts group by k1 % 7'),
  q('group by many groups', 'select fk, count(*), sum(d), min(i) from facts group by fk having sum(d) > 100000'),
  q('count distinct', 'select k2, count(distinct g), count(distinct s), count(distinct k1) from facts group by k2'),
  q('count distinct global', 'select count(distinct fk), count(distinct dt), count(distinct s) from facts'),
  q('having without group column', "select g from facts group by g having max(i) > 999900 and min(s) < 'Z'"),
  q('aggregate with case', 'select k2, sum(case when flag then 1 else 0 end), sum(case when i > 0 then d else 0 end) from facts group by k2'),
  q('distinct', 'select distinct k2, flag from facts'),
  q('distinct strings', 'select distinct g from facts where k1 = 3'),
  // ---- joins ----
  q('inner join grouped', 'select d.grp, count(*), sum(f.i), sum(f.d) from facts f join dim d on f.fk = d.id group by d.grp'),
  q('inner join rows', 'select f.id, d.name, d.w from facts f join dim d on f.fk = d.id where f.i between 0 and 40'),
  q('left join', 'select count(*), count(d.id), sum(d.w) from facts f left join dim d on f.fk = d.id'),
  q('left join rows with nulls', 'select f.id, f.fk, d.name from facts f left join dim d on f.fk = d.id where f.i between 100 and 160'),
  q('right join', 'select count(*), count(f.id) from (select fk, id from facts where k1 = 7) f right join dim d on f.fk = d.id'),
  q('full join', 'select count(*), count(a.fk), count(b.id) from (select distinct fk from facts where k1 < 3) a full join (select id from dim where grp < 5) b on a.fk = b.id'),
  q('semi join exists', 'select count(*) from facts f where exists (select 1 from dim d where d.id = f.fk and d.grp = 1)'),
  q('anti join not exists', 'select count(*), sum(i) from facts f where not exists (select 1 from dim d where d.id = f.fk)'),
  q('in subquery', 'select count(*) from facts where fk in (select id from dim where w > 5000)'),
  q('not in subquery', 'select count(*) from facts where fk not in (select id from dim where grp <> 3)'),
  q('multi-key join', 'select p.label, count(*), sum(f.i) from facts f join pairs p on f.k1 = p.a and f.k2 = p.b group by p.label'),
  q('non-equi join', 'select count(*) from facts f join pairs p on f.k1 = p.a and f.i between p.b * 1000 and p.b * 1000 + 300'),
  q('self join non-equi', 'select d1.id, d2.id from dim d1 join dim d2 on d2.id > d1.id and d2.id < d1.id + 3 and d1.grp = d2.grp where d1.id < 2000'),
  q('three-way join', 'select d.grp, p.b, count(*) from facts f join dim d on f.fk = d.id join pairs p on f.k1 = p.a and f.k2 = p.b group by d.grp, p.b'),
  q('join with using', 'select count(*) from facts join (select id as fk, grp from dim) x using (fk) where grp = 4'),
  q('correlated scalar subquery', 'select d.id, (select count(*) from facts f where f.fk = d.id) from dim d where d.id < 50'),
  q('derived table and cte', 'with t as (select fk, sum(d) as s from facts group by fk) select d.grp, count(*), sum(t.s) from t join dim d on t.fk = d.id group by d.grp'),
  // ---- sorts ----
  q('sort desc nulls last limit', 'select id, i from facts order by i desc nulls last, id limit 20'),
  q('sort default nulls', 'select id, i from facts where id < 3000 order by i, id limit 300'),
  q('sort desc default nulls first', 'select id, k2 from facts where id < 100 order by k2 desc, id'),
  q('sort multi-key mixed', 'select g, dt, id from facts order by g, dt desc nulls last, id limit 50'),
  q('sort strings nulls first', 'select s, id from facts order by s nulls first, id limit 30'),
  q('sort offset', 'select id, d from facts where d is not null order by d, id limit 10 offset 100'),
  q('sort top-n of groups', 'select k1, sum(d) as t from facts group by k1 order by t desc, k1 limit 5'),
  q('sort doubles', 'select id, f from facts where f is not null order by f, id limit 10'),
  q('sort dates desc', 'select id, dt from facts order by dt desc nulls last, id desc limit 15'),
  q('sort full table', 'select id, name, grp from dim order by name, id'),
  q('sort by expression', 'select id, i from facts where id < 2000 order by abs(i) desc nulls last, id limit 25'),
  // ---- set operations ----
  q('union', 'select k1 from facts where i > 999000 union select a from pairs where b = 0'),
  q('union all', 'select count(*) from (select fk from facts where k2 = 1 union all select id from dim) x'),
  q('intersect', 'select fk from facts where k1 = 5 intersect select id from dim where grp = 2'),
  q('except', 'select id from dim except select fk from facts where k1 < 1'),
  q('union of mixed rows', "select g, 'facts' from facts where i > 999950 union select name, 'dim' from dim where id < 20"),
];
