// A local S3-compatible server for the UNLOAD/COPY tests: s3rver on 127.0.0.1 at a free port, storing
// objects in a temporary directory, with one bucket; and the engine's `s3` options that reach it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { S3Options } from '../../host/load/s3-client.js';

export interface TestS3 {
  bucket: string;
  endpoint: string;
  /** Engine options for `open({ s3 })`. */
  options: S3Options;
  close(): Promise<void>;
}

interface S3rverInstance { run(): Promise<{ port: number }>; close(): Promise<void>; httpServer?: Server }

export async function startS3(bucket = 'wasmshift-test'): Promise<TestS3> {
  const dir = mkdtempSync(join(tmpdir(), 'wasmshift-s3rver-'));
  // s3rver ships no types; the part used here is S3rverInstance.
  const mod = (await import('s3rver' as string)) as { default: new (o: object) => S3rverInstance };
  const server = new mod.default({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    bucket, endpoint,
    options: { endpoint, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true },
    async close() {
      server.httpServer?.closeAllConnections();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
