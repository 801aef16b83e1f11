// UNLOAD TO 's3://bucket/prefix': objects written with PutObject through the client of host/load/s3-client.ts
// (engine `s3` options, the statement's keys and REGION); the prefix's existing objects are listed with
// ListObjectsV2 and removed with DeleteObject (CLEANPATH, or to undo a failed UNLOAD).
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parseS3Url, s3Error, s3Url } from '../load/s3-client.js';
import { listObjects } from '../load/s3-source.js';
import type { UnloadSink } from './sink.js';

export function s3Sink(client: S3Client, destination: string): UnloadSink {
  const { bucket, key: prefix } = parseS3Url(destination);
  return {
    url: (name) => s3Url(bucket, prefix + name),
    async existing() {
      return (await listObjects(client, bucket, prefix)).map((o) => s3Url(bucket, o.key));
    },
    async remove(urls) {
      for (const u of urls) {
        const { bucket: b, key } = parseS3Url(u);
        try { await client.send(new DeleteObjectCommand({ Bucket: b, Key: key })); } catch (e) { throw s3Error(e, `deleting ${u}`); }
      }
    },
    async put(name, data) {
      try {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: prefix + name, Body: data, ContentLength: data.length }));
      } catch (e) {
        throw s3Error(e, `writing ${s3Url(bucket, prefix + name)}`);
      }
    },
    close() { client.destroy(); },
  };
}
