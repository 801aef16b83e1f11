// Where UNLOAD writes: a destination prefix with its objects, local (host/unload/local-sink.ts) or on S3
// (host/unload/s3-sink.ts). The orchestration (host/unload/unload.ts) only sees this interface.

export interface UnloadSink {
  /** The URL (or local path) that object `name`, appended to the prefix, gets. */
  url(name: string): string;
  /** URLs of the objects that already start with the prefix (Redshift's test for a non-empty destination). */
  existing(): Promise<string[]>;
  /** Deletes objects by URL (CLEANPATH, and the files of an UNLOAD that failed part-way). */
  remove(urls: readonly string[]): Promise<void>;
  /** Writes object `name` (appended to the prefix), replacing one already there. */
  put(name: string, data: Buffer): Promise<void>;
  close(): void;
}
