// The COPY sub-protocol contract between the wire connection and the session (PostgreSQL docs, "COPY
// Operations"): when the session runs COPY ... FROM STDIN or COPY ... TO STDOUT it asks these hooks for the
// client's data stream or a sink to the client; the connection turns them into CopyIn/CopyOut messages.
import type { ExecuteOptions } from '../session/api.js';

/** What the session tells the client about a COPY stream (CopyInResponse/CopyOutResponse). */
export interface CopyStreamSpec {
  /** 'text' and 'csv' are textual (format 0) on the wire; 'binary' is PostgreSQL's binary COPY format (1). */
  format: 'text' | 'csv' | 'binary';
  /** Number of columns being copied. */
  columnCount: number;
}

/** Where COPY ... TO STDOUT writes: each write becomes one CopyData message; end() sends CopyDone. */
export interface CopySink {
  /** Resolves when the socket can take more (backpressure); rejects if the client went away. */
  write(chunk: Uint8Array): Promise<void>;
  end(): Promise<void>;
}

/** Hooks the connection passes to `SessionApi.execute` so that COPY can talk to the client mid-statement. */
export interface CopyHooks {
  /**
   * COPY ... FROM STDIN: sends CopyInResponse and yields the client's CopyData payloads in order until CopyDone.
   * A CopyFail from the client makes the iteration throw 57014 "COPY from stdin failed: <client message>".
   * The session must consume the iterator to its end (or stop early only by throwing).
   */
  copyFromClient(spec: CopyStreamSpec): AsyncIterable<Uint8Array>;
  /** COPY ... TO STDOUT: sends CopyOutResponse and returns the sink for the data. */
  copyToClient(spec: CopyStreamSpec): CopySink;
}

/** ExecuteOptions as the wire server passes them: the session's options plus the COPY hooks. */
export interface WireExecuteOptions extends ExecuteOptions {
  copy?: CopyHooks;
}
