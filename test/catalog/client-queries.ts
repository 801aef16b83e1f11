// Catalog statements real clients send on connect and for metadata (captured against a server presenting
// Redshift's identity, server_version 8.0.2): psql 15's \d family, SQLAlchemy, pgJDBC, psqlODBC,
// redshift_connector and dbt-redshift. `$TABLE` and `$VIEW` stand for the oids of sales.orders and sales.v_orders.

export interface ClientQuery { client: string; sql: string }

export const CLIENT_QUERIES: ClientQuery[] = [
  { client: 'psql \\dt', sql: `SELECT n.nspname as "Schema",
  c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
  pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r','p','v','m','S','f','')
      AND n.nspname <> 'pg_catalog'
      AND n.nspname !~ '^pg_toast'
      AND n.nspname <> 'information_schema'
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 1,2;` },
  { client: 'psql \\dn', sql: `SELECT n.nspname AS "Name",
  pg_catalog.pg_get_userbyid(n.nspowner) AS "Owner"
FROM pg_catalog.pg_namespace n
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
ORDER BY 1;` },
  { client: 'psql \\l', sql: `SELECT d.datname as "Name",
       pg_catalog.pg_get_userbyid(d.datdba) as "Owner",
       pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding",
       d.datcollate as "Collate",
       d.datctype as "Ctype",
       NULL as "ICU Locale",
       'libc' AS "Locale Provider",
       pg_catalog.array_to_string(d.datacl, E'\\n') AS "Access privileges"
FROM pg_catalog.pg_database d
ORDER BY 1;` },
  { client: 'psql \\d (lookup)', sql: `SELECT c.oid,
  n.nspname,
  c.relname
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname OPERATOR(pg_catalog.~) '^(orders)$'
  AND n.nspname OPERATOR(pg_catalog.~) '^(sales)$'
ORDER BY 2, 3;` },
  { client: 'psql \\d (table)', sql: `SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers, false, false, c.relhasoids, false as relispartition, '', c.reltablespace, CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, c.relpersistence
FROM pg_catalog.pg_class c
 LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)
WHERE c.oid = '$TABLE';` },
  { client: 'psql \\d (columns)', sql: `SELECT a.attname,
  pg_catalog.format_type(a.atttypid, a.atttypmod),
  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
   FROM pg_catalog.pg_attrdef d
   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
  a.attnotnull,
  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t
   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,
  ''::pg_catalog.char AS attidentity,
  ''::pg_catalog.char AS attgenerated
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = '$TABLE' AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum;` },
  { client: 'psql \\d (indexes)', sql: `SELECT c2.relname, i.indisprimary, i.indisunique, i.indisclustered, i.indisvalid, pg_catalog.pg_get_indexdef(i.indexrelid, 0, true),
  pg_catalog.pg_get_constraintdef(con.oid, true), contype, condeferrable, condeferred, false AS indisreplident, c2.reltablespace
FROM pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_index i
  LEFT JOIN pg_catalog.pg_constraint con ON (conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x'))
WHERE c.oid = '$TABLE' AND c.oid = i.indrelid AND i.indexrelid = c2.oid
ORDER BY i.indisprimary DESC, c2.relname;` },
  { client: 'psql \\d (parents)', sql: `SELECT c.oid::pg_catalog.regclass
FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i
WHERE c.oid = i.inhparent AND i.inhrelid = '$TABLE'
  AND c.relkind != 'p' AND c.relkind != 'I'
ORDER BY inhseqno;` },
  { client: 'psql \\d (children)', sql: `SELECT c.oid::pg_catalog.regclass, c.relkind, false AS inhdetachpending, NULL
FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i
WHERE c.oid = i.inhrelid AND i.inhparent = '$TABLE'
ORDER BY c.oid::pg_catalog.regclass::pg_catalog.text;` },
  { client: 'psql \\d+ view', sql: `SELECT a.attname,
  pg_catalog.format_type(a.atttypid, a.atttypmod),
  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
   FROM pg_catalog.pg_attrdef d
   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
  a.attnotnull,
  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t
   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,
  ''::pg_catalog.char AS attidentity,
  ''::pg_catalog.char AS attgenerated,
  a.attstorage,
  pg_catalog.col_description(a.attrelid, a.attnum)
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = '$VIEW' AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum;` },
  { client: 'psql \\d+ view (definition)', sql: `SELECT pg_catalog.pg_get_viewdef('$VIEW'::pg_catalog.oid, true);` },
  { client: 'psql \\d+ view (rules)', sql: `SELECT r.rulename, trim(trailing ';' from pg_catalog.pg_get_ruledef(r.oid, true))
FROM pg_catalog.pg_rewrite r
WHERE r.ev_class = '$VIEW' AND r.rulename != '_RETURN' ORDER BY 1;` },
  { client: 'psql \\dt+', sql: `SELECT n.nspname as "Schema",
  c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
  pg_catalog.pg_get_userbyid(c.relowner) as "Owner",
  CASE c.relpersistence WHEN 'p' THEN 'permanent' WHEN 't' THEN 'temporary' WHEN 'u' THEN 'unlogged' END as "Persistence",
  pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid)) as "Size",
  pg_catalog.obj_description(c.oid, 'pg_class') as "Description"
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r','p','')
      AND n.nspname <> 'pg_catalog'
      AND n.nspname !~ '^pg_toast'
      AND n.nspname <> 'information_schema'
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 1,2;` },
  { client: 'psql \\du', sql: `SELECT r.rolname, r.rolsuper, r.rolinherit,
  r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,
  r.rolconnlimit, r.rolvaliduntil,
  ARRAY(SELECT b.rolname
        FROM pg_catalog.pg_auth_members m
        JOIN pg_catalog.pg_roles b ON (m.roleid = b.oid)
        WHERE m.member = r.oid) as memberof
, r.rolreplication
FROM pg_catalog.pg_roles r
WHERE r.rolname !~ '^pg_'
ORDER BY 1;` },
  { client: 'postgres.js fetch_types', sql: `select b.oid, b.typarray
      from pg_catalog.pg_type a
      left join pg_catalog.pg_type b on b.oid = a.typelem
      where a.typcategory = 'A'
      group by b.oid, b.typarray
      order by b.oid` },
  { client: 'SQLAlchemy hstore', sql: `SELECT t.oid, NULL
FROM pg_type t JOIN pg_namespace ns
    ON typnamespace = ns.oid
WHERE typname = 'hstore';` },
  { client: 'SQLAlchemy', sql: 'select pg_catalog.version()' },
  { client: 'SQLAlchemy', sql: 'select current_schema()' },
  { client: 'SQLAlchemy', sql: "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%' ORDER BY nspname" },
  { client: 'SQLAlchemy', sql: "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'sales' AND c.relkind in ('r', 'p')" },
  { client: 'SQLAlchemy', sql: "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'sales' AND c.relkind IN ('v', 'm')" },
  { client: 'SQLAlchemy', sql: `SELECT c.oid
            FROM pg_catalog.pg_class c
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE (n.nspname = 'sales')
            AND c.relname = 'orders' AND c.relkind in
            ('r', 'v', 'm', 'f', 'p')` },
  { client: 'SQLAlchemy columns', sql: `SELECT a.attname,
              pg_catalog.format_type(a.atttypid, a.atttypmod),
              (
                SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid)
                FROM pg_catalog.pg_attrdef d
                WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum
                AND a.atthasdef
              ) AS DEFAULT,
              a.attnotnull,
              a.attrelid as table_oid,
              pgd.description as comment,
              NULL as generated,
              NULL as identity_options
            FROM pg_catalog.pg_attribute a
            LEFT JOIN pg_catalog.pg_description pgd ON (
                pgd.objoid = a.attrelid AND pgd.objsubid = a.attnum)
            WHERE a.attrelid = $TABLE
            AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum` },
  { client: 'SQLAlchemy domains', sql: `SELECT t.typname as "name",
               pg_catalog.format_type(t.typbasetype, t.typtypmod) as "attype",
               not t.typnotnull as "nullable",
               t.typdefault as "default",
               pg_catalog.pg_type_is_visible(t.oid) as "visible",
               n.nspname as "schema"
            FROM pg_catalog.pg_type t
               LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype = 'd'` },
  { client: 'SQLAlchemy pk', sql: `SELECT a.attname
                FROM
                    pg_class t
                    join pg_index ix on t.oid = ix.indrelid
                    join pg_attribute a
                        on t.oid=a.attrelid AND (ix.indkey[0] = a.attnum OR ix.indkey[1] = a.attnum OR ix.indkey[2] = a.attnum OR ix.indkey[3] = a.attnum OR ix.indkey[4] = a.attnum OR ix.indkey[5] = a.attnum OR ix.indkey[6] = a.attnum OR ix.indkey[7] = a.attnum OR ix.indkey[8] = a.attnum OR ix.indkey[9] = a.attnum)
                 WHERE
                  t.oid = $TABLE and ix.indisprimary = 't'
                ORDER BY a.attnum` },
  { client: 'SQLAlchemy pk name', sql: `SELECT conname
           FROM  pg_catalog.pg_constraint r
           WHERE r.conrelid = $TABLE AND r.contype = 'p'
           ORDER BY 1` },
  { client: 'SQLAlchemy fks', sql: `SELECT r.conname,
                pg_catalog.pg_get_constraintdef(r.oid, true) as condef,
                n.nspname as conschema
          FROM  pg_catalog.pg_constraint r,
                pg_namespace n,
                pg_class c
          WHERE r.conrelid = $TABLE AND
                r.contype = 'f' AND
                c.oid = confrelid AND
                n.oid = c.relnamespace
          ORDER BY 1` },
  { client: 'SQLAlchemy unique', sql: `SELECT
                cons.conname as name,
                cons.conkey as key,
                a.attnum as col_num,
                a.attname as col_name
            FROM
                pg_catalog.pg_constraint cons
                join pg_attribute a
                  on cons.conrelid = a.attrelid AND
                    a.attnum = ANY(cons.conkey)
            WHERE
                cons.conrelid = $TABLE AND
                cons.contype = 'u'` },
  { client: 'SQLAlchemy comment', sql: `SELECT
                pgd.description as table_comment
            FROM
                pg_catalog.pg_description pgd
            WHERE
                pgd.objsubid = 0 AND
                pgd.objoid = $TABLE` },
  { client: 'pgJDBC getSchemas', sql: "SELECT nspname AS TABLE_SCHEM, NULL AS TABLE_CATALOG FROM pg_catalog.pg_namespace  WHERE nspname <> 'pg_toast' AND (nspname !~ '^pg_temp_'  OR nspname = (pg_catalog.current_schemas(true))[1]) AND (nspname !~ '^pg_toast_temp_'  OR nspname = replace((pg_catalog.current_schemas(true))[1], 'pg_temp_', 'pg_toast_temp_'))  ORDER BY TABLE_SCHEM" },
  { client: 'pgJDBC getTables', sql: "SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, c.relname AS TABLE_NAME,  CASE n.nspname ~ '^pg_' OR n.nspname = 'information_schema'  WHEN true THEN CASE  WHEN n.nspname = 'pg_catalog' OR n.nspname = 'information_schema' THEN CASE c.relkind   WHEN 'r' THEN 'SYSTEM TABLE'   WHEN 'v' THEN 'SYSTEM VIEW'   WHEN 'i' THEN 'SYSTEM INDEX'   ELSE NULL   END  WHEN n.nspname = 'pg_toast' THEN CASE c.relkind   WHEN 'r' THEN 'SYSTEM TOAST TABLE'   WHEN 'i' THEN 'SYSTEM TOAST INDEX'   ELSE NULL   END  ELSE CASE c.relkind   WHEN 'r' THEN 'TEMPORARY TABLE'   WHEN 'p' THEN 'TEMPORARY TABLE'   WHEN 'i' THEN 'TEMPORARY INDEX'   WHEN 'S' THEN 'TEMPORARY SEQUENCE'   WHEN 'v' THEN 'TEMPORARY VIEW'   ELSE NULL   END  END  WHEN false THEN CASE c.relkind  WHEN 'r' THEN 'TABLE'  WHEN 'p' THEN 'PARTITIONED TABLE'  WHEN 'i' THEN 'INDEX'  WHEN 'P' then 'PARTITIONED INDEX'  WHEN 'S' THEN 'SEQUENCE'  WHEN 'v' THEN 'VIEW'  WHEN 'c' THEN 'TYPE'  WHEN 'f' THEN 'FOREIGN TABLE'  WHEN 'm' THEN 'MATERIALIZED VIEW'  ELSE NULL  END  ELSE NULL  END  AS TABLE_TYPE, d.description AS REMARKS,  '' as TYPE_CAT, '' as TYPE_SCHEM, '' as TYPE_NAME, '' AS SELF_REFERENCING_COL_NAME, '' AS REF_GENERATION  FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c  LEFT JOIN pg_catalog.pg_description d ON (c.oid = d.objoid AND d.objsubid = 0  and d.classoid = 'pg_class'::regclass)  WHERE c.relnamespace = n.oid  AND n.nspname LIKE 'sales' AND c.relname LIKE '%' AND (false  OR ( c.relkind = 'r' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' )  OR ( c.relkind = 'v' AND n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema' ) )  ORDER BY TABLE_TYPE,TABLE_SCHEM,TABLE_NAME" },
  { client: 'pgJDBC getColumns', sql: "SELECT n.nspname,c.relname,a.attname,a.atttypid,a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) AS attnotnull,a.atttypmod,a.attlen,t.typtypmod,a.attnum,null as attidentity,null as attgenerated,pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS adsrc,dsc.description,t.typbasetype,t.typtype  FROM pg_catalog.pg_namespace n  JOIN pg_catalog.pg_class c ON (c.relnamespace = n.oid)  JOIN pg_catalog.pg_attribute a ON (a.attrelid=c.oid)  JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid)  LEFT JOIN pg_catalog.pg_attrdef def ON (a.attrelid=def.adrelid AND a.attnum = def.adnum)  LEFT JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)  LEFT JOIN pg_catalog.pg_class dc ON (dc.oid=dsc.classoid AND dc.relname='pg_class')  LEFT JOIN pg_catalog.pg_namespace dn ON (dc.relnamespace=dn.oid AND dn.nspname='pg_catalog')  WHERE c.relkind in ('r','p','v','f','m') and a.attnum > 0 AND NOT a.attisdropped  AND n.nspname LIKE 'sales' AND c.relname LIKE 'orders' AND attname LIKE '%' ORDER BY nspname,c.relname,attnum" },
  { client: 'pgJDBC', sql: "SELECT setting FROM pg_catalog.pg_settings WHERE name='max_index_keys'" },
  { client: 'pgJDBC getIndexInfo', sql: "SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM,  ct.relname AS TABLE_NAME, NOT i.indisunique AS NON_UNIQUE, NULL AS INDEX_QUALIFIER, ci.relname AS INDEX_NAME,  CASE i.indisclustered  WHEN true THEN 1 ELSE CASE am.amname  WHEN 'hash' THEN 2 ELSE 3 END  END AS TYPE,  a.attnum AS ORDINAL_POSITION,  CASE WHEN i.indexprs IS NULL THEN a.attname  ELSE pg_catalog.pg_get_indexdef(ci.oid,a.attnum,false) END AS COLUMN_NAME,  NULL AS ASC_OR_DESC,  ci.reltuples AS CARDINALITY,  ci.relpages AS PAGES,  pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS FILTER_CONDITION  FROM pg_catalog.pg_namespace n, pg_catalog.pg_class ct, pg_catalog.pg_class ci,  pg_catalog.pg_attribute a, pg_catalog.pg_am am , pg_catalog.pg_index i  WHERE ct.oid=i.indrelid AND ci.oid=i.indexrelid AND a.attrelid=ci.oid AND ci.relam=am.oid  AND n.oid = ct.relnamespace  AND n.nspname = 'sales' AND ct.relname = 'orders' ORDER BY NON_UNIQUE, TYPE, INDEX_NAME, ORDINAL_POSITION" },
  { client: 'pgJDBC type names', sql: "SELECT t.typname,t.oid FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON (t.typnamespace = n.oid)  WHERE n.nspname  != 'pg_toast' AND  (t.typrelid = 0 OR (SELECT c.relkind = 'c' FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid))" },
  { client: 'pgJDBC getFunctions', sql: "SELECT current_database() AS FUNCTION_CAT, n.nspname AS FUNCTION_SCHEM, p.proname AS FUNCTION_NAME,  d.description AS REMARKS, 0  AS FUNCTION_TYPE,  p.proname || '_' || p.oid AS SPECIFIC_NAME FROM pg_catalog.pg_proc p INNER JOIN pg_catalog.pg_namespace n ON p.pronamespace=n.oid LEFT JOIN pg_catalog.pg_description d ON p.oid=d.objoid WHERE true   AND n.nspname LIKE 'public' AND p.proname LIKE '%' ORDER BY FUNCTION_SCHEM, FUNCTION_NAME, p.oid::text" },
  { client: 'pgJDBC', sql: "SELECT c.oid, a.attnum, a.attname, c.relname, n.nspname, a.attnotnull OR (t.typtype = 'd' AND t.typnotnull), pg_catalog.pg_get_expr(d.adbin, d.adrelid) LIKE '%nextval(%' FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON (c.relnamespace = n.oid) JOIN pg_catalog.pg_attribute a ON (c.oid = a.attrelid) JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid) LEFT JOIN pg_catalog.pg_attrdef d ON (d.adrelid = a.attrelid AND d.adnum = a.attnum) JOIN (SELECT $TABLE AS oid , 1 AS attnum UNION ALL SELECT $TABLE, 2 UNION ALL SELECT $TABLE, 3 UNION ALL SELECT $TABLE, 4 UNION ALL SELECT $TABLE, 5) vals ON (c.oid = vals.oid AND a.attnum = vals.attnum)" },
  { client: 'psqlODBC', sql: "select oid, typbasetype from pg_type where typname = 'lo'" },
  { client: 'psqlODBC columns', sql: "select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, c.relhasoids, '', c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.oid = $TABLE) inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum" },
  { client: 'psqlODBC tables', sql: "select relname, nspname, relkind from pg_catalog.pg_class c, pg_catalog.pg_namespace n where relkind in ('r', 'v', 'm', 'f', 'p') and nspname like 'sales' and nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'pg_temp_1') and n.oid = relnamespace order by nspname, relname" },
  { client: 'redshift_connector', sql: "SELECT nspname AS TABLE_SCHEM, current_database() AS TABLE_CATALOG FROM pg_catalog.pg_namespace  WHERE nspname <> 'pg_toast' AND (nspname !~ '^pg_temp_'  OR nspname = (pg_catalog.current_schemas(true))[1]) AND (nspname !~ '^pg_toast_temp_'  OR nspname = replace((pg_catalog.current_schemas(true))[1], 'pg_temp_', 'pg_toast_temp_'))  AND nspname LIKE 'sales' ORDER BY TABLE_SCHEM" },
  { client: 'redshift_connector', sql: "select 1 from svv_external_schemas where schemaname like 'sales'" },
  { client: 'redshift_connector getPrimaryKeys', sql: "SELECT current_database() AS TABLE_CAT, n.nspname AS TABLE_SCHEM,  ct.relname AS TABLE_NAME,   a.attname AS COLUMN_NAME,   a.attnum AS KEY_SEQ,   ci.relname AS PK_NAME   FROM  pg_catalog.pg_namespace n,  pg_catalog.pg_class ct,  pg_catalog.pg_class ci, pg_catalog.pg_attribute a, pg_catalog.pg_index i WHERE ct.oid=i.indrelid AND ci.oid=i.indexrelid  AND a.attrelid=ci.oid AND i.indisprimary  AND ct.relnamespace = n.oid  AND n.nspname = 'sales' AND ct.relname = 'orders' ORDER BY table_name, pk_name, key_seq" },
  { client: 'sqlsmith', sql: 'select table_name, table_schema, is_insertable_into, table_type from information_schema.tables' },
  { client: 'dbt-redshift columns', sql: `with bound_views as (
  select ordinal_position, table_schema, column_name, data_type, character_maximum_length, numeric_precision, numeric_scale
  from information_schema."columns" where table_name = 'orders'
),
unbound_views as (
  select col_num as ordinal_position, view_schema as table_schema, col_name as column_name,
    case when col_type ilike 'character varying%' then 'character varying' when col_type ilike 'numeric%' then 'numeric' else col_type end as data_type,
    case when col_type like 'character%' then nullif(regexp_substr(col_type, '[0-9]+'), '')::int else null end as character_maximum_length,
    case when col_type like 'numeric%' then nullif(split_part(regexp_substr(col_type, '[0-9,]+'), ',', 1), '')::int else null end as numeric_precision,
    case when col_type like 'numeric%' then nullif(split_part(regexp_substr(col_type, '[0-9,]+'), ',', 2), '')::int else null end as numeric_scale
  from pg_get_late_binding_view_cols() cols(view_schema name, view_name name, col_name name, col_type varchar, col_num int)
  where view_name = 'orders'
),
external_views as (
  select columnnum as ordinal_position, schemaname as table_schema, columnname as column_name,
    case when external_type ilike 'character varying%' or external_type ilike 'varchar%' then 'character varying' else external_type end as data_type,
    null::int as character_maximum_length, null::int as numeric_precision, null::int as numeric_scale
  from pg_catalog.svv_external_columns where schemaname = 'sales' and tablename = 'orders'
),
unioned as (
  select * from bound_views
  union all
  select * from unbound_views
  union all
  select * from external_views
)
select column_name, data_type, character_maximum_length, numeric_precision, numeric_scale
from unioned
where table_schema ilike 'sales'
order by ordinal_position` },
  { client: 'dbt-redshift relations', sql: `select table_catalog as database, table_name as name, table_schema as schema,
  case when table_type = 'BASE TABLE' then 'table' when table_type = 'VIEW' then 'view' else table_type end as table_type
from information_schema.tables where table_schema ilike 'sales'
union all
select table_catalog as database, table_name as name, table_schema as schema, 'view' as table_type
from information_schema.views where table_schema ilike 'sales'` },
  { client: 'dbt-redshift catalog', sql: `select tbl.table_schema, tbl.table_name, svv.diststyle, svv.tbl_rows, svv.size
from information_schema.tables tbl left join svv_table_info svv on svv."schema" = tbl.table_schema and svv."table" = tbl.table_name
where tbl.table_schema = 'sales' order by 2` },
  { client: 'dbt-redshift', sql: 'select pg_backend_pid()' },
  { client: 'dbt-redshift schemas', sql: "select distinct nspname from pg_namespace where nspname ilike 'sales'" },
  { client: 'dbt-redshift pg_tables/pg_views', sql: "select 'sales' as schema_name, tablename as name, 'table' as kind from pg_tables where schemaname = 'sales' union all select 'sales', viewname, 'view' from pg_views where schemaname = 'sales'" },
  { client: 'Metabase', sql: "SELECT HAS_SCHEMA_PRIVILEGE('sales', 'USAGE'), has_table_privilege('sales.orders', 'select')" },
  { client: 'DBeaver', sql: 'select "database", "schema", "table", diststyle, sortkey1, tbl_rows from svv_table_info order by 3' },
  { client: 'Redshift users', sql: "select * from pg_table_def where tablename = 't'" },
];
