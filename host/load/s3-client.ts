// The S3 client COPY and UNLOAD use for s3:// locations: built from the engine's `s3` option (endpoint,
// region, keys) and the statement's authorization clauses (Redshift "Authorization parameters": keys in
// the statement win; IAM_ROLE is accepted and has no effect here), plus S3 URL parsing and S3 errors as
// SqlErrors. Sits under host/load/s3-source.ts (COPY) and host/unload/s3-sink.ts (UNLOAD).
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SqlError, SqlState } from '../common/errors.js';
import type { Authorization } from '../front/copy-unload.js';

/** How the engine reaches an S3-compatible object store (`open({ s3: {...} })`, `wasmshift serve --s3-*`). */
export interface S3Options {
  /** Endpoint URL of an S3-compatible server, e.g. http://127.0.0.1:9000 (default: the SDK's, or AWS_ENDPOINT_URL_S3). */
  endpoint?: string;
  /** Region (default: the statement's REGION, else AWS_REGION, else us-east-1). */
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** Path-style URLs (http://host/bucket/key): default true when an endpoint is given, as most S3-compatible servers need. */
  forcePathStyle?: boolean;
  /** Checksums only where S3 requires them (default true: S3-compatible servers often reject the newer ones). */
  checksumsWhenRequired?: boolean;
}

/** Bucket and key of an `s3://bucket/key` URL. */
export interface S3Location { bucket: string; key: string }

export function isS3Url(s: string): boolean { return /^s3:\/\//i.test(s); }

export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/is.exec(url);
  if (!m || !m[1]) throw new SqlError(SqlState.invalidParameterValue, `invalid S3 location "${url}": expected s3://bucket/prefix`);
  return { bucket: m[1], key: m[2] ?? '' };
}

export function s3Url(bucket: string, key: string): string { return `s3://${bucket}/${key}`; }

/** Keys from the statement: ACCESS_KEY_ID / SECRET_ACCESS_KEY / SESSION_TOKEN, or CREDENTIALS 'aws_access_key_id=...;aws_secret_access_key=...[;token=...]'. */
function statementKeys(auth: Authorization): { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string } {
  const out: { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string } = {};
  if (auth.credentials) {
    for (const part of auth.credentials.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const k = part.slice(0, eq).trim().toLowerCase();
      const v = part.slice(eq + 1).trim();
      if (k === 'aws_access_key_id') out.accessKeyId = v;
      else if (k === 'aws_secret_access_key') out.secretAccessKey = v;
      else if (k === 'token') out.sessionToken = v;
      // aws_iam_role=... is accepted like IAM_ROLE: there is no role to assume here.
    }
  }
  if (auth.accessKeyId) out.accessKeyId = auth.accessKeyId;
  if (auth.secretAccessKey) out.secretAccessKey = auth.secretAccessKey;
  if (auth.sessionToken) out.sessionToken = auth.sessionToken;
  return out;
}

/** A client for one statement: the engine's options, overridden by the statement's keys and REGION. */
export function s3Client(options: S3Options | undefined, auth: Authorization, region?: string): S3Client {
  const o = options ?? {};
  const keys = statementKeys(auth);
  const accessKeyId = keys.accessKeyId ?? o.accessKeyId;
  const secretAccessKey = keys.secretAccessKey ?? o.secretAccessKey;
  const sessionToken = keys.accessKeyId ? keys.sessionToken : (keys.sessionToken ?? o.sessionToken);
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new SqlError(SqlState.invalidParameterValue, 'S3 credentials need both an access key id and a secret access key');
  }
  const endpoint = o.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  const config: S3ClientConfig = {
    region: region ?? o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    forcePathStyle: o.forcePathStyle ?? endpoint !== undefined,
  };
  if (endpoint) config.endpoint = endpoint;
  if (accessKeyId !== undefined) config.credentials = { accessKeyId, secretAccessKey: secretAccessKey!, ...(sessionToken ? { sessionToken } : {}) };
  if (o.checksumsWhenRequired !== false) {
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  return new S3Client(config);
}

/** An S3 failure as Redshift reports one (XX000, the service's code and message, the object). */
export function s3Error(e: unknown, what: string): SqlError {
  if (e instanceof SqlError) return e;
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; code?: string };
  const status = err.$metadata?.httpStatusCode;
  const code = err.name && err.name !== 'Error' ? err.name : (err.code ?? 'Error');
  return new SqlError(SqlState.internalError, `S3ServiceException:${err.message ?? String(e)},Status ${status ?? 'none'},Error ${code}`, { detail: what });
}
