// TPC-H table definitions, in Redshift DDL (distribution, sort keys, encodings) and in DuckDB DDL,
// plus the load statements for the .tbl files that bench/tpch/generate.ts writes.

import { join } from 'node:path';
import type { TpchTable } from './generate.js';

interface Column { name: string; type: string; encode?: string }
interface TableDef {
  name: TpchTable;
  columns: Column[];
  /** Redshift physical design ("Choose the best distribution style", "Choose the best sort key"). */
  dist: { style: 'KEY'; key: string } | { style: 'ALL' };
  sortkey?: string[];
}

const c = (name: string, type: string, encode?: string): Column => (encode ? { name, type, encode } : { name, type });

/** Column types follow the TPC-H spec's clause 1.4 (identifier, integer, decimal(15,2), char(n), varchar(n), date). */
export const TPCH_SCHEMA: readonly TableDef[] = [
  { name: 'region', dist: { style: 'ALL' }, columns: [c('r_regionkey', 'INTEGER'), c('r_name', 'CHAR(25)'), c('r_comment', 'VARCHAR(152)')] },
  {
    name: 'nation', dist: { style: 'ALL' },
    columns: [c('n_nationkey', 'INTEGER'), c('n_name', 'CHAR(25)'), c('n_regionkey', 'INTEGER'), c('n_comment', 'VARCHAR(152)')],
  },
  {
    name: 'supplier', dist: { style: 'ALL' }, sortkey: ['s_suppkey'],
    columns: [c('s_suppkey', 'INTEGER'), c('s_name', 'CHAR(25)'), c('s_address', 'VARCHAR(40)'), c('s_nationkey', 'INTEGER', 'az64'),
      c('s_phone', 'CHAR(15)'), c('s_acctbal', 'DECIMAL(15,2)'), c('s_comment', 'VARCHAR(101)', 'zstd')],
  },
  {
    name: 'part', dist: { style: 'KEY', key: 'p_partkey' }, sortkey: ['p_partkey'],
    columns: [c('p_partkey', 'INTEGER'), c('p_name', 'VARCHAR(55)', 'zstd'), c('p_mfgr', 'CHAR(25)', 'bytedict'), c('p_brand', 'CHAR(10)', 'bytedict'),
      c('p_type', 'VARCHAR(25)', 'bytedict'), c('p_size', 'INTEGER'), c('p_container', 'CHAR(10)', 'bytedict'),
      c('p_retailprice', 'DECIMAL(15,2)'), c('p_comment', 'VARCHAR(23)')],
  },
  {
    name: 'partsupp', dist: { style: 'KEY', key: 'ps_partkey' }, sortkey: ['ps_partkey'],
    columns: [c('ps_partkey', 'INTEGER'), c('ps_suppkey', 'INTEGER', 'az64'), c('ps_availqty', 'INTEGER', 'az64'),
      c('ps_supplycost', 'DECIMAL(15,2)', 'az64'), c('ps_comment', 'VARCHAR(199)', 'zstd')],
  },
  {
    name: 'customer', dist: { style: 'KEY', key: 'c_custkey' }, sortkey: ['c_custkey'],
    columns: [c('c_custkey', 'INTEGER'), c('c_name', 'VARCHAR(25)'), c('c_address', 'VARCHAR(40)'), c('c_nationkey', 'INTEGER', 'az64'),
      c('c_phone', 'CHAR(15)'), c('c_acctbal', 'DECIMAL(15,2)'), c('c_mktsegment', 'CHAR(10)', 'bytedict'), c('c_comment', 'VARCHAR(117)', 'zstd')],
  },
  {
    name: 'orders', dist: { style: 'KEY', key: 'o_orderkey' }, sortkey: ['o_orderdate'],
    columns: [c('o_orderkey', 'BIGINT'), c('o_custkey', 'INTEGER', 'az64'), c('o_orderstatus', 'CHAR(1)', 'runlength'),
      c('o_totalprice', 'DECIMAL(15,2)', 'az64'), c('o_orderdate', 'DATE', 'raw'), c('o_orderpriority', 'CHAR(15)', 'bytedict'),
      c('o_clerk', 'CHAR(15)', 'zstd'), c('o_shippriority', 'INTEGER', 'az64'), c('o_comment', 'VARCHAR(79)', 'zstd')],
  },
  {
    name: 'lineitem', dist: { style: 'KEY', key: 'l_orderkey' }, sortkey: ['l_shipdate'],
    columns: [c('l_orderkey', 'BIGINT'), c('l_partkey', 'INTEGER', 'az64'), c('l_suppkey', 'INTEGER', 'az64'), c('l_linenumber', 'INTEGER', 'az64'),
      c('l_quantity', 'DECIMAL(15,2)', 'az64'), c('l_extendedprice', 'DECIMAL(15,2)', 'az64'), c('l_discount', 'DECIMAL(15,2)', 'az64'),
      c('l_tax', 'DECIMAL(15,2)', 'az64'), c('l_returnflag', 'CHAR(1)', 'runlength'), c('l_linestatus', 'CHAR(1)', 'runlength'),
      c('l_shipdate', 'DATE', 'raw'), c('l_commitdate', 'DATE', 'az64'), c('l_receiptdate', 'DATE', 'az64'),
      c('l_shipinstruct', 'CHAR(25)', 'bytedict'), c('l_shipmode', 'CHAR(10)', 'bytedict'), c('l_comment', 'VARCHAR(44)', 'zstd')],
  },
];

/** CREATE TABLE statements in Redshift form, e.g. `... l_shipdate DATE ENCODE raw ...) DISTSTYLE KEY DISTKEY (l_orderkey) SORTKEY (l_shipdate)`. */
export function redshiftDdl(): string[] {
  return TPCH_SCHEMA.map((t) => {
    const cols = t.columns.map((col) => `  ${col.name} ${col.type} NOT NULL${col.encode ? ` ENCODE ${col.encode}` : ''}`).join(',\n');
    const dist = t.dist.style === 'ALL' ? 'DISTSTYLE ALL' : `DISTSTYLE KEY DISTKEY (${t.dist.key})`;
    const sort = t.sortkey ? ` SORTKEY (${t.sortkey.join(', ')})` : '';
    return `CREATE TABLE ${t.name} (\n${cols}\n) ${dist}${sort}`;
  });
}

/**
 * CREATE TABLE statements in DuckDB form. CHAR(n) becomes VARCHAR: DuckDB does not pad, and Redshift
 * ignores trailing blanks when comparing CHAR ("Character types"), so results agree.
 */
export function duckdbDdl(): string[] {
  return TPCH_SCHEMA.map((t) => {
    const cols = t.columns.map((col) => `  ${col.name} ${col.type.replace(/^CHAR\(\d+\)$/, 'VARCHAR')} NOT NULL`).join(',\n');
    return `CREATE TABLE ${t.name} (\n${cols}\n)`;
  });
}

/** Redshift COPY of each table from `<dir>/<table>.tbl` (pipe-delimited, no trailing delimiter). */
export function redshiftCopy(dir: string): string[] {
  return TPCH_SCHEMA.map((t) => `COPY ${t.name} FROM '${join(dir, `${t.name}.tbl`)}' DELIMITER '|'`);
}

/** DuckDB COPY of each table from `<dir>/<table>.tbl`. */
export function duckdbCopy(dir: string): string[] {
  return TPCH_SCHEMA.map((t) => `COPY ${t.name} FROM '${join(dir, `${t.name}.tbl`)}' (DELIMITER '|', HEADER false, QUOTE '')`);
}
