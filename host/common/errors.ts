// The one error type of wasmshift: a SQLSTATE, PostgreSQL's wording and the ErrorResponse fields.
// Every layer (front, bind, plan, exec, storage, wire) throws SqlError; the wire protocol turns it
// into an ErrorResponse and the library rethrows it as is.

/** SQLSTATE codes used by wasmshift, named as in PostgreSQL's errcodes.txt. */
export const SqlState = {
  successfulCompletion: '00000',
  featureNotSupported: '0A000',
  cardinalityViolation: '21000',
  dataException: '22000',
  stringDataRightTruncation: '22001',
  numericValueOutOfRange: '22003',
  nullValueNotAllowed: '22004',
  invalidDatetimeFormat: '22007',
  datetimeFieldOverflow: '22008',
  invalidParameterValue: '22023',
  divisionByZero: '22012',
  invalidTextRepresentation: '22P02',
  invalidEscapeSequence: '22025',
  notNullViolation: '23502',
  uniqueViolation: '23505',
  invalidCursorState: '24000',
  invalidTransactionState: '25000',
  activeSqlTransaction: '25001',
  noActiveSqlTransaction: '25P01',
  inFailedSqlTransaction: '25P02',
  invalidSqlStatementName: '26000',
  invalidAuthorizationSpecification: '28000',
  invalidPassword: '28P01',
  invalidCursorName: '34000',
  syntaxErrorOrAccessRuleViolation: '42000',
  syntaxError: '42601',
  insufficientPrivilege: '42501',
  groupingError: '42803',
  windowingError: '42P20',
  invalidRecursion: '42P19',
  datatypeMismatch: '42804',
  wrongObjectType: '42809',
  undefinedColumn: '42703',
  undefinedFunction: '42883',
  undefinedTable: '42P01',
  undefinedParameter: '42P02',
  undefinedObject: '42704',
  duplicateColumn: '42701',
  duplicateTable: '42P07',
  duplicateObject: '42710',
  duplicateAlias: '42712',
  duplicateSchema: '42P06',
  duplicatePreparedStatement: '42P05',
  duplicateCursor: '42P03',
  ambiguousColumn: '42702',
  ambiguousFunction: '42725',
  ambiguousAlias: '42P09',
  invalidColumnReference: '42P10',
  invalidTableDefinition: '42P16',
  invalidSchemaName: '3F000',
  cannotCoerce: '42846',
  indeterminateDatatype: '42P18',
  invalidName: '42602',
  nameTooLong: '42622',
  programLimitExceeded: '54000',
  tooManyColumns: '54011',
  objectInUse: '55006',
  dependentObjectsStillExist: '2BP01',
  queryCanceled: '57014',
  adminShutdown: '57P01',
  protocolViolation: '08P01',
  connectionException: '08000',
  ioError: '58030',
  internalError: 'XX000',
  outOfMemory: '53200',
  diskFull: '53100',
  tooManyConnections: '53300',
} as const;

export type SqlStateCode = (typeof SqlState)[keyof typeof SqlState] | string;

/** Optional ErrorResponse fields (PostgreSQL protocol §55.8 "Error and Notice Message Fields"). */
export interface SqlErrorFields {
  /** 1-based character position in the original statement text (field `P`). */
  position?: number;
  detail?: string;
  hint?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  /** ERROR (default), FATAL or PANIC. */
  severity?: 'ERROR' | 'FATAL' | 'PANIC';
}

/** An error with a SQLSTATE. `message` follows PostgreSQL's wording so drivers react as they do to PostgreSQL. */
export class SqlError extends Error {
  readonly code: SqlStateCode;
  position?: number;
  detail?: string;
  hint?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  severity: 'ERROR' | 'FATAL' | 'PANIC';

  constructor(code: SqlStateCode, message: string, fields: SqlErrorFields = {}) {
    super(message);
    this.name = 'SqlError';
    this.code = code;
    this.severity = fields.severity ?? 'ERROR';
    if (fields.position !== undefined) this.position = fields.position;
    if (fields.detail !== undefined) this.detail = fields.detail;
    if (fields.hint !== undefined) this.hint = fields.hint;
    if (fields.where !== undefined) this.where = fields.where;
    if (fields.schema !== undefined) this.schema = fields.schema;
    if (fields.table !== undefined) this.table = fields.table;
    if (fields.column !== undefined) this.column = fields.column;
  }

  /** A plain object that survives structured clone (worker -> leader). */
  toJSON(): Record<string, unknown> {
    return {
      sqlError: true, code: this.code, message: this.message, position: this.position, detail: this.detail,
      hint: this.hint, where: this.where, severity: this.severity,
    };
  }

  /** Rebuilds an error that crossed a thread boundary; anything that is not one becomes XX000. */
  static fromUnknown(e: unknown): SqlError {
    if (e instanceof SqlError) return e;
    const o = e as Record<string, unknown> | null;
    if (o && typeof o === 'object' && typeof o.code === 'string' && /^[0-9A-Z]{5}$/.test(o.code) && typeof o.message === 'string') {
      return new SqlError(o.code, o.message, o as SqlErrorFields);
    }
    const message = e instanceof Error ? e.message : String(e);
    return new SqlError(SqlState.internalError, message);
  }
}

/** A feature wasmshift does not support yet: SQLSTATE 0A000, as PostgreSQL reports unsupported features. */
export function unsupported(what: string, position?: number): SqlError {
  return new SqlError(SqlState.featureNotSupported, `${what} is not supported`, position === undefined ? {} : { position });
}

/** An internal invariant failed: a bug in wasmshift, reported as XX000. */
export function internal(message: string): SqlError {
  return new SqlError(SqlState.internalError, `internal error: ${message}`);
}
