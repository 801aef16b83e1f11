// Constants of the PostgreSQL frontend/backend protocol v3 that the wire server speaks
// (PostgreSQL docs, "Frontend/Backend Protocol" > "Message Formats").

/** Protocol 3.0 as the startup packet encodes it: major in the high 16 bits, minor in the low 16. */
export const PROTOCOL_3_0 = 196608;
/** SSLRequest's magic "version" 1234.5679. */
export const SSL_REQUEST_CODE = 80877103;
/** GSSENCRequest's magic "version" 1234.5680. */
export const GSSENC_REQUEST_CODE = 80877104;
/** CancelRequest's magic "version" 1234.5678. */
export const CANCEL_REQUEST_CODE = 80877102;

/** PostgreSQL's MAX_STARTUP_PACKET_LENGTH: a startup packet longer than this is refused. */
export const MAX_STARTUP_PACKET_BYTES = 10000;

/** Frontend message type bytes after startup. */
export const Frontend = {
  bind: 'B', close: 'C', copyData: 'd', copyDone: 'c', copyFail: 'f', describe: 'D', execute: 'E', flush: 'H',
  functionCall: 'F', parse: 'P', password: 'p', query: 'Q', sync: 'S', terminate: 'X',
} as const;

/** Format codes of parameters and result columns. */
export const TEXT_FORMAT = 0;
export const BINARY_FORMAT = 1;
