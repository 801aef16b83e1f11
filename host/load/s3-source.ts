// COPY FROM 's3://bucket/prefix': the objects a COPY reads from S3 as load sources. A key prefix lists
// every object whose key starts with it (ListObjectsV2, Redshift's prefix rule); with MANIFEST the object
// named is Redshift's JSON manifest and its entries are s3:// URLs (Redshift "Using a manifest to specify
// data files"). Reads are GetObject, whole or by byte range (host/load/sources.ts LoadSource contract); they
// carry no locator, so the leader reads them. Feeds host/load/copy-load.ts loadSources.
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { SqlError, SqlState } from '../common/errors.js';
import type { LoadSource } from './sources.js';
import { parseS3Url, s3Error, s3Url } from './s3-client.js';

/** An S3 object as a load source (its size is known from the listing). */
export interface S3LoadSource extends LoadSource { readonly size: number }

async function getObject(client: S3Client, bucket: string, key: string, range?: string): Promise<Buffer> {
  try {
    const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(range ? { Range: range } : {}) }));
    return Buffer.from(await r.Body!.transformToByteArray());
  } catch (e) {
    throw s3Error(e, `reading ${s3Url(bucket, key)}`);
  }
}

function source(client: S3Client, bucket: string, key: string, size: number): S3LoadSource {
  return {
    name: s3Url(bucket, key),
    size,
    read(start = 0, end = size) {
      end = Math.min(end, size);
      if (start === 0 && end === size) return getObject(client, bucket, key);
      return end <= start ? Promise.resolve(Buffer.alloc(0)) : getObject(client, bucket, key, `bytes=${start}-${end - 1}`);
    },
  };
}

/** Every object (not folder marker) whose key starts with `prefix`, in key order. */
export async function listObjects(client: S3Client, bucket: string, prefix: string): Promise<{ key: string; size: number }[]> {
  const out: { key: string; size: number }[] = [];
  let token: string | undefined;
  try {
    do {
      const r = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of r.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) out.push({ key: o.Key, size: o.Size ?? 0 });
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
  } catch (e) {
    throw s3Error(e, `listing ${s3Url(bucket, prefix)}`);
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The sources of `COPY ... FROM 's3://...' [MANIFEST]`. */
export async function s3Sources(client: S3Client, url: string, manifest = false): Promise<S3LoadSource[]> {
  const { bucket, key } = parseS3Url(url);
  if (manifest) return manifestSources(client, url);
  const objects = await listObjects(client, bucket, key);
  // Redshift: "The specified S3 prefix '...' does not exist" when nothing matches.
  if (objects.length === 0) throw new SqlError(SqlState.internalError, `The specified S3 prefix '${key}' does not exist`, { detail: url });
  return objects.map((o) => source(client, bucket, o.key, o.size));
}

async function manifestSources(client: S3Client, url: string): Promise<S3LoadSource[]> {
  const { bucket, key } = parseS3Url(url);
  let doc: unknown;
  const text = (await getObject(client, bucket, key)).toString('utf8');
  try { doc = JSON.parse(text); } catch (e) {
    throw new SqlError(SqlState.internalError, `Manifest file "${url}" is not valid JSON: ${(e as Error).message}`);
  }
  const entries = (doc as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) throw new SqlError(SqlState.invalidParameterValue, `manifest "${url}" has no "entries" array`);
  const out: S3LoadSource[] = [];
  for (const e of entries as { url?: unknown; mandatory?: unknown; meta?: { content_length?: unknown } }[]) {
    if (typeof e?.url !== 'string') throw new SqlError(SqlState.invalidParameterValue, `manifest "${url}": an entry has no "url"`);
    const loc = parseS3Url(e.url);
    let size: number;
    try {
      const h = await client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
      size = h.ContentLength ?? 0;
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== 404) throw s3Error(err, `reading ${e.url}`);
      if (e.mandatory === true) throw new SqlError(SqlState.internalError, `Manifest file is not found or is mandatory: "${e.url}"`);
      continue;
    }
    out.push(source(client, loc.bucket, loc.key, size));
  }
  return out;
}
