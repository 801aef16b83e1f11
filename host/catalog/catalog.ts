// The catalog: schemas, tables (with Redshift's distribution, sort key and encoding attributes),
// views and users, as the binder resolves names against them and pg_catalog shows them.
import { SqlError, SqlState } from '../common/errors.js';
import type { SqlType } from '../types/sql-type.js';

export type DistStyle = 'AUTO' | 'EVEN' | 'KEY' | 'ALL';

export interface ColumnDef {
  name: string;
  type: SqlType;
  notNull: boolean;
  /** DEFAULT expression as SQL text, evaluated on INSERT. */
  defaultSql?: string;
  /** ENCODE as written (upper case), or the default Redshift picks. */
  encode: string;
  distkey: boolean;
  /** 1-based position in the sort key, 0 when not in it (pg_attribute.attsortkeyord). */
  sortkeyOrd: number;
  identity?: { seed: bigint; step: bigint; next: bigint };
}

export interface TableDef {
  kind: 'table';
  oid: number;
  schema: string;
  name: string;
  columns: ColumnDef[];
  /** DISTSTYLE as declared; AUTO tables behave as ALL while small, as Redshift documents. */
  diststyle: DistStyle;
  /** Index of the DISTKEY column, or -1. */
  distkey: number;
  sortkey: { style: 'COMPOUND' | 'INTERLEAVED' | 'AUTO' | 'NONE'; columns: number[] };
  temp: boolean;
  backup: boolean;
  owner: string;
  /** Primary key / unique columns as declared (informational in Redshift). */
  primaryKey: number[];
}

export interface ViewDef {
  kind: 'view';
  oid: number;
  schema: string;
  name: string;
  /** The SELECT text of the view. */
  sql: string;
  columns: { name: string; type: SqlType }[];
  owner: string;
}

export type Relation = TableDef | ViewDef;

export interface SchemaDef { oid: number; name: string; owner: string }
export interface UserDef { oid: number; name: string; password?: string; superuser: boolean; createdb: boolean }

/** First oid handed to user objects (PostgreSQL's FirstNormalObjectId). */
const FIRST_USER_OID = 100000;

export class Catalog {
  /** The oid counter, shared with every copy of this catalog so no two transactions hand out one oid. */
  private oids = { next: FIRST_USER_OID };
  readonly schemas = new Map<string, SchemaDef>();
  /** Relations by "schema.name". */
  private relations = new Map<string, Relation>();
  readonly users = new Map<string, UserDef>();
  /** COMMENT ON texts by "classoid:objoid:subid", shared by copies (comments are not transactional). */
  comments = new Map<string, string>();
  /** Bumped on every change, so the durable store and transactions can notice. */
  version = 0;

  constructor() {
    this.schemas.set('pg_catalog', { oid: 11, name: 'pg_catalog', owner: 'rdsdb' });
    this.schemas.set('public', { oid: 2200, name: 'public', owner: 'rdsdb' });
    this.schemas.set('information_schema', { oid: 13000, name: 'information_schema', owner: 'rdsdb' });
    this.users.set('rdsdb', { oid: 1, name: 'rdsdb', superuser: true, createdb: true });
    this.users.set('dev', { oid: 100, name: 'dev', superuser: true, createdb: true });
  }

  allocOid(): number { return this.oids.next++; }

  /** The next oid to hand out (the durable store saves and restores it). */
  get nextOid(): number { return this.oids.next; }
  set nextOid(n: number) { this.oids.next = n; }

  /**
   * A transaction's private copy: its own maps of relations, schemas and users, sharing the
   * relation objects (which are never changed in place: see replace), the oid counter, the
   * comments and the identity counters with this catalog.
   */
  copy(): Catalog {
    const c = new Catalog();
    c.oids = this.oids;
    c.comments = this.comments;
    c.relations = new Map(this.relations);
    c.schemas.clear();
    for (const [k, v] of this.schemas) c.schemas.set(k, v);
    c.users.clear();
    for (const [k, v] of this.users) c.users.set(k, v);
    c.version = this.version;
    return c;
  }

  /**
   * Puts `next` in the place of `rel` (same oid; the name may differ). DDL that changes a relation
   * makes a changed copy and replaces the old object, so transactions holding the old catalog keep
   * seeing the old definition.
   */
  replace(rel: Relation, next: Relation): void {
    const key = `${rel.schema}.${rel.name}`;
    const nextKey = `${next.schema}.${next.name}`;
    if (this.relations.get(key) !== rel) throw new SqlError(SqlState.internalError, `relation "${rel.name}" is not in this catalog`);
    if (key !== nextKey && this.relations.has(nextKey)) throw new SqlError(SqlState.duplicateTable, `relation "${next.name}" already exists`);
    this.relations.delete(key);
    this.relations.set(nextKey, next);
    this.version++;
  }

  relationsList(): Relation[] { return [...this.relations.values()]; }

  /**
   * Finds a relation by schema (or the search path) and name; undefined when absent. The schema
   * `pg_temp` names the temporary schema on the search path (the session's own), and a relation in
   * another session's temporary schema fails with 0A000 (PostgreSQL "CREATE TABLE", TEMPORARY:
   * "cannot access temporary tables of other sessions"; Redshift's temporary tables are visible only
   * to the session that made them).
   */
  find(name: string, schema: string | undefined, searchPath: readonly string[]): Relation | undefined {
    if (schema !== undefined) {
      if (schema === 'pg_temp') schema = searchPath.find(isTempSchema) ?? schema;
      const r = this.relations.get(`${schema}.${name}`);
      if (r && isTempSchema(schema) && !searchPath.includes(schema)) {
        throw new SqlError(SqlState.featureNotSupported, 'cannot access temporary tables of other sessions');
      }
      return r;
    }
    for (const s of searchPath) {
      const r = this.relations.get(`${s}.${name}`);
      if (r) return r;
    }
    return undefined;
  }

  /** Like find, but throws 42P01 `relation "x" does not exist`. */
  get(name: string, schema: string | undefined, searchPath: readonly string[], position?: number): Relation {
    const r = this.find(name, schema, searchPath);
    if (!r) {
      const shown = schema ? `${schema}.${name}` : name;
      throw new SqlError(SqlState.undefinedTable, `relation "${shown}" does not exist`, position === undefined ? {} : { position });
    }
    return r;
  }

  add(rel: Relation): void {
    const key = `${rel.schema}.${rel.name}`;
    if (this.relations.has(key)) throw new SqlError(SqlState.duplicateTable, `relation "${rel.name}" already exists`);
    if (!this.schemas.has(rel.schema)) throw new SqlError(SqlState.invalidSchemaName, `schema "${rel.schema}" does not exist`);
    this.relations.set(key, rel);
    this.version++;
  }

  remove(rel: Relation): void {
    this.relations.delete(`${rel.schema}.${rel.name}`);
    this.version++;
  }

  /** Renames a relation (a renamed copy replaces it); returns the copy. */
  rename<R extends Relation>(rel: R, newName: string): R {
    const next = { ...rel, name: newName };
    this.replace(rel, next);
    return next;
  }

  byOid(oid: number): Relation | undefined {
    for (const r of this.relations.values()) if (r.oid === oid) return r;
    return undefined;
  }

  addSchema(name: string, owner: string, ifNotExists: boolean): void {
    if (this.schemas.has(name)) {
      if (ifNotExists) return;
      throw new SqlError(SqlState.duplicateSchema, `schema "${name}" already exists`);
    }
    this.schemas.set(name, { oid: this.allocOid(), name, owner });
    this.version++;
  }

  dropSchema(name: string, ifExists: boolean, cascade: boolean): void {
    if (!this.schemas.has(name)) {
      if (ifExists) return;
      throw new SqlError(SqlState.invalidSchemaName, `schema "${name}" does not exist`);
    }
    const members = [...this.relations.values()].filter((r) => r.schema === name);
    if (members.length > 0 && !cascade) {
      throw new SqlError('2BP01', `cannot drop schema ${name} because other objects depend on it`, { hint: 'Use DROP ... CASCADE to drop the dependent objects too.' });
    }
    for (const m of members) this.remove(m);
    this.schemas.delete(name);
    this.version++;
  }
}

/** Whether a schema is a session's temporary schema (pg_temp_N, made by its first CREATE TEMP TABLE or VIEW). */
export function isTempSchema(schema: string): boolean { return schema.startsWith('pg_temp_'); }
