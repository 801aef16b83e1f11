// Name scopes for the binder: the relations of a FROM clause, their columns, and the enclosing
// query's scope for correlated references.
import { SqlError, SqlState } from '../common/errors.js';
import type { Col } from '../plan/logical.js';

export interface ScopeRel {
  alias: string;
  cols: Col[];
  /** Columns merged by JOIN USING / NATURAL: name -> the column to use for the unqualified name. */
  merged?: Map<string, Col>;
}

export class Scope {
  readonly rels: ScopeRel[] = [];
  /** Outer column ids this scope (a subquery) reads: non-empty means correlated. */
  readonly outerRefs = new Set<number>();
  /** Names of USING/NATURAL columns visible unqualified once. */
  readonly mergedNames = new Map<string, Col>();

  constructor(readonly parent: Scope | null) {}

  add(rel: ScopeRel): void {
    if (rel.alias && this.rels.some((r) => r.alias === rel.alias)) {
      throw new SqlError(SqlState.duplicateAlias, `table name "${rel.alias}" specified more than once`);
    }
    this.rels.push(rel);
  }

  allCols(): Col[] { return this.rels.flatMap((r) => r.cols); }

  /**
   * Resolves [rel.]name in this scope only. Returns undefined when absent; throws 42702 when
   * ambiguous.
   */
  resolveLocal(name: string, rel: string | undefined, position?: number): Col | undefined {
    if (rel === undefined) {
      const merged = this.mergedNames.get(name);
      if (merged) return merged;
    }
    let found: Col | undefined;
    for (const r of this.rels) {
      if (rel !== undefined && r.alias !== rel) continue;
      for (const c of r.cols) {
        if (c.name !== name || c.hidden && rel === undefined) continue;
        if (found && found.id !== c.id) {
          throw new SqlError(SqlState.ambiguousColumn, `column reference "${name}" is ambiguous`, position === undefined ? {} : { position });
        }
        found = c;
      }
    }
    return found;
  }

  hasRel(alias: string): boolean { return this.rels.some((r) => r.alias === alias); }
}
