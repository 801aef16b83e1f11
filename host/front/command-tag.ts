// Command tags: the verb PostgreSQL reports in CommandComplete for a statement, computed from the
// libpg-query tree alone (PostgreSQL src/include/tcop/cmdtaglist.h), for the session and wire layers.

const TRANSACTION_TAGS: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN', TRANS_STMT_START: 'START TRANSACTION', TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK', TRANS_STMT_SAVEPOINT: 'SAVEPOINT', TRANS_STMT_RELEASE: 'RELEASE',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK', TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED', TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};

const OBJECT_NAMES: Record<string, string> = {
  OBJECT_TABLE: 'TABLE', OBJECT_VIEW: 'VIEW', OBJECT_MATVIEW: 'MATERIALIZED VIEW', OBJECT_SCHEMA: 'SCHEMA',
  OBJECT_INDEX: 'INDEX', OBJECT_SEQUENCE: 'SEQUENCE', OBJECT_FUNCTION: 'FUNCTION', OBJECT_PROCEDURE: 'PROCEDURE',
  OBJECT_TYPE: 'TYPE', OBJECT_DATABASE: 'DATABASE', OBJECT_ROLE: 'ROLE', OBJECT_COLUMN: 'TABLE',
  OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE', OBJECT_AGGREGATE: 'AGGREGATE', OBJECT_ROUTINE: 'ROUTINE',
  OBJECT_TABCONSTRAINT: 'TABLE', OBJECT_EXTENSION: 'EXTENSION', OBJECT_TRIGGER: 'TRIGGER',
};

/**
 * The command tag PostgreSQL reports for a statement (src/include/tcop/cmdtaglist.h), from the
 * libpg-query node alone, e.g. `{SelectStmt}` -> 'SELECT', `{DropStmt: {removeType: 'OBJECT_VIEW'}}` -> 'DROP VIEW'.
 */
export function statementKind(ast: any): string {
  const type = Object.keys(ast)[0] ?? '';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const n: any = ast[type] ?? {};
  const obj = (k: string | undefined): string => OBJECT_NAMES[k ?? ''] ?? 'TABLE';
  switch (type) {
    case 'SelectStmt': return n.intoClause ? 'SELECT INTO' : 'SELECT';
    case 'InsertStmt': return 'INSERT';
    case 'UpdateStmt': return 'UPDATE';
    case 'DeleteStmt': return 'DELETE';
    case 'MergeStmt': return 'MERGE';
    case 'CreateStmt': return 'CREATE TABLE';
    case 'CreateTableAsStmt': return n.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS';
    case 'ViewStmt': return 'CREATE VIEW';
    case 'IndexStmt': return 'CREATE INDEX';
    case 'CreateSchemaStmt': return 'CREATE SCHEMA';
    case 'CreateSeqStmt': return 'CREATE SEQUENCE';
    case 'CreatedbStmt': return 'CREATE DATABASE';
    case 'DropdbStmt': return 'DROP DATABASE';
    case 'CreateFunctionStmt': return n.is_procedure ? 'CREATE PROCEDURE' : 'CREATE FUNCTION';
    case 'CreateRoleStmt': return n.stmt_type === 'ROLESTMT_USER' ? 'CREATE USER' : n.stmt_type === 'ROLESTMT_GROUP' ? 'CREATE GROUP' : 'CREATE ROLE';
    case 'AlterRoleStmt': return 'ALTER ROLE';
    case 'DropRoleStmt': return 'DROP ROLE';
    case 'DropStmt': return `DROP ${obj(n.removeType)}`;
    case 'AlterTableStmt': return `ALTER ${obj(n.objtype)}`;
    case 'RenameStmt': return `ALTER ${obj(n.renameType === 'OBJECT_COLUMN' || n.renameType === 'OBJECT_TABCONSTRAINT' ? n.relationType : n.renameType)}`;
    case 'AlterOwnerStmt': return `ALTER ${obj(n.objectType)}`;
    case 'AlterObjectSchemaStmt': return `ALTER ${obj(n.objectType)}`;
    case 'TruncateStmt': return 'TRUNCATE TABLE';
    case 'TransactionStmt': return TRANSACTION_TAGS[n.kind] ?? 'BEGIN';
    case 'VariableSetStmt': return n.kind === 'VAR_RESET' || n.kind === 'VAR_RESET_ALL' ? 'RESET' : 'SET';
    case 'VariableShowStmt': return 'SHOW';
    case 'ExplainStmt': return 'EXPLAIN';
    case 'VacuumStmt': return n.is_vacuumcmd ? 'VACUUM' : 'ANALYZE';
    case 'PrepareStmt': return 'PREPARE';
    case 'ExecuteStmt': return 'EXECUTE';
    case 'DeallocateStmt': return n.isall ? 'DEALLOCATE ALL' : 'DEALLOCATE';
    case 'DeclareCursorStmt': return 'DECLARE CURSOR';
    case 'FetchStmt': return n.ismove ? 'MOVE' : 'FETCH';
    case 'ClosePortalStmt': return n.portalname ? 'CLOSE CURSOR' : 'CLOSE CURSOR ALL';
    case 'GrantStmt': return n.is_grant ? 'GRANT' : 'REVOKE';
    case 'GrantRoleStmt': return n.is_grant ? 'GRANT ROLE' : 'REVOKE ROLE';
    case 'CallStmt': return 'CALL';
    case 'CommentStmt': return 'COMMENT';
    case 'LockStmt': return 'LOCK TABLE';
    case 'RefreshMatViewStmt': return 'REFRESH MATERIALIZED VIEW';
    case 'DiscardStmt': return n.target === 'DISCARD_ALL' ? 'DISCARD ALL' : n.target === 'DISCARD_PLANS' ? 'DISCARD PLANS' : n.target === 'DISCARD_SEQUENCES' ? 'DISCARD SEQUENCES' : 'DISCARD TEMP';
    case 'CheckPointStmt': return 'CHECKPOINT';
    case 'ListenStmt': return 'LISTEN';
    case 'UnlistenStmt': return 'UNLISTEN';
    case 'NotifyStmt': return 'NOTIFY';
    case 'DoStmt': return 'DO';
    case 'CopyStmt': return 'COPY';
    case 'ConstraintsSetStmt': return 'SET CONSTRAINTS';
    case 'CreateExtensionStmt': return 'CREATE EXTENSION';
    case 'CompositeTypeStmt': case 'CreateEnumStmt': case 'CreateRangeStmt': return 'CREATE TYPE';
    case 'AlterDatabaseSetStmt': case 'AlterDatabaseStmt': return 'ALTER DATABASE';
    case 'AlterDefaultPrivilegesStmt': return 'ALTER DEFAULT PRIVILEGES';
    case 'AlterFunctionStmt': return 'ALTER FUNCTION';
    case 'AlterSeqStmt': return 'ALTER SEQUENCE';
    default:
      // e.g. 'CreateTrigStmt' -> 'CREATE TRIG': a readable fallback for statements wasmshift rejects anyway
      return type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
  }
}
