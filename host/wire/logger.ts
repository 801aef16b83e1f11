// The logging contract of the wire server: the pino logger the CLI creates fits it, tests pass the silent one.
// One line per connection and per statement; never passwords, SQL literals or parameter values.

export interface WireLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: object): WireLogger;
}

/** A logger that drops everything. */
export const silentLogger: WireLogger = {
  debug() {}, info() {}, warn() {}, error() {},
  child() { return silentLogger; },
};
