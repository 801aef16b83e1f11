// The catalog as the durable store keeps it (host/storage/durable): schemas, users, tables with all
// their Redshift attributes (DISTSTYLE, DISTKEY, SORTKEY, ENCODE, IDENTITY counters, BACKUP), views,
// and the next oid, as a plain JSON-able object inside the manifest. Temporary tables are left out:
// they belong to a session and do not outlive the process (Redshift CREATE TABLE, TEMPORARY).
import { isTempSchema, type Catalog, type Relation, type SchemaDef, type UserDef } from '../../catalog/catalog.js';
import { parseJson, toJson } from './json-text.js';

export interface CatalogImage {
  nextOid: number;
  schemas: SchemaDef[];
  users: UserDef[];
  /** Tables and views in catalog order; identity counters are bigints (see json-text.ts). */
  relations: Relation[];
}

/** The catalog's private oid counter (Catalog has no accessor for it yet). */
interface OidCounter { nextOid: number }

/**
 * A deep copy of the persistent part of the catalog, made through the same JSON text the manifest
 * holds (so the copy is exactly what a reopen restores, and a field JSON cannot hold is dropped
 * rather than failing the commit).
 */
export function catalogImage(cat: Catalog): CatalogImage {
  const relations = cat.relationsList().filter((r) => !(r.kind === 'table' && r.temp) && !isTempSchema(r.schema));
  return {
    nextOid: (cat as unknown as OidCounter).nextOid,
    // Temporary schemas end with their sessions, as their tables do.
    schemas: [...cat.schemas.values()].filter((s) => !isTempSchema(s.name)).map((s) => ({ ...s })),
    users: [...cat.users.values()].map((u) => ({ ...u })),
    relations: parseJson<Relation[]>(toJson(relations)),
  };
}

/** Replaces the contents of a fresh catalog by an image read from disk. */
export function restoreCatalog(cat: Catalog, image: CatalogImage): void {
  cat.schemas.clear();
  for (const s of image.schemas) cat.schemas.set(s.name, s);
  cat.users.clear();
  for (const u of image.users) cat.users.set(u.name, u);
  for (const r of cat.relationsList()) cat.remove(r);
  for (const r of image.relations) cat.add(r);
  (cat as unknown as OidCounter).nextOid = Math.max((cat as unknown as OidCounter).nextOid, image.nextOid);
}
