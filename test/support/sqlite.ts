/**
 * SQLite for the export tests: sql.js, the SQLite library compiled to
 * WebAssembly (3.54, with its native math functions: exp, tanh), wrapped in
 * the few calls the tests use. Chosen over a native addon so that `npm ci`
 * needs no C toolchain and no compile step.
 */
import initSqlJs, { type BindParams, type Database as SqlJsDatabase } from 'sql.js';

// useOldExtensionFunctions: false gives SQLite's own exp() and tanh(), not sql.js's legacy ones.
const SQL = await initSqlJs({ useOldExtensionFunctions: false } as Parameters<typeof initSqlJs>[0]);

export class Database {
  private readonly db: SqlJsDatabase;

  constructor() {
    this.db = new SQL.Database();
  }

  exec(sql: string): void {
    this.db.run(sql);
  }

  all(sql: string, params: unknown[] = []): Record<string, unknown>[] {
    const statement = this.db.prepare(sql);
    try {
      statement.bind(params as BindParams);
      const rows: Record<string, unknown>[] = [];
      while (statement.step()) rows.push(statement.getAsObject());
      return rows;
    } finally {
      statement.free();
    }
  }

  /** Every row as an array, in column order (for results with two columns of one name). */
  rows(sql: string): unknown[][] {
    return this.db.exec(sql)[0]?.values ?? [];
  }

  prepare(sql: string) {
    return {
      run: (...params: unknown[]) => {
        this.db.run(sql, params as BindParams);
      },
      get: (...params: unknown[]) => this.all(sql, params)[0],
      all: (...params: unknown[]) => this.all(sql, params),
    };
  }

  transaction(body: () => void): () => void {
    return () => {
      this.db.run('BEGIN');
      body();
      this.db.run('COMMIT');
    };
  }
}
