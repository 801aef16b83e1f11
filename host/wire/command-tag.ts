// The CommandComplete tag of a statement result, written as PostgreSQL writes it (PostgreSQL docs, "Message
// Formats" > CommandComplete): the connection sends it after the last DataRow of each statement.
import type { StatementResult } from '../session/api.js';

/** Commands whose tag carries a row count after the verb. */
const COUNTED = new Set(['SELECT', 'UPDATE', 'DELETE', 'MERGE', 'MOVE', 'FETCH', 'COPY']);

/**
 * 'INSERT 0 n' (the 0 is the legacy oid field), 'SELECT n', 'UPDATE n', 'DELETE n', 'COPY n', 'FETCH n', 'MOVE n',
 * 'MERGE n'; CREATE TABLE AS and SELECT INTO report 'SELECT n' as in PostgreSQL; any other command is its verb.
 */
export function commandTag(result: Pick<StatementResult, 'command' | 'rowCount'>, rowCount = result.rowCount): string {
  const command = result.command.toUpperCase();
  if (command === 'INSERT') return `INSERT 0 ${rowCount}`;
  if (command === 'CREATE TABLE AS' || command === 'SELECT INTO') return `SELECT ${rowCount}`;
  if (COUNTED.has(command)) return `${command} ${rowCount}`;
  return command;
}
