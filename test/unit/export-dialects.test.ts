/**
 * Each dialect's quoting and literals, against the rules in its own manual
 * (expected text written by hand): PostgreSQL/DuckDB/SQLite double a quote
 * inside "..." and '...'; SQLite names go in backticks (a "name" that is no
 * column would be read as a string); PostgreSQL strings are E'...' with ' and
 * \ doubled (the same under standard_conforming_strings on and off); Spark
 * doubles a backtick and backslash-escapes strings; BigQuery backslash-escapes both.
 */
import { describe, expect, it } from 'vitest';
import { linearModel } from '../../src/export/linear.js';
import { type DialectName, dialects, exportSql } from '../../src/export/sql.js';
import { makeModel } from '../support/export-data.js';

describe('dialect quoting', () => {
  it.each<[DialectName, string, string]>([
    ['duckdb', 'say "hi"', '"say ""hi"""'],
    ['postgres', 'select', '"select"'],
    ['sqlite', "it's `odd`", "`it's ``odd```"],
    ['spark', "it's `odd`", "`it's ``odd```"],
    ['spark', 'a\\b [c]', '`a\\b [c]`'],
    ['bigquery', "it's `odd`", "`it's \\`odd\\``"],
    ['bigquery', 'a\\b\nc', '`a\\\\b\\nc`'],
  ])('%s identifier %j is %s', (dialect, name, quoted) => {
    expect(dialects[dialect].identifier(name)).toBe(quoted);
  });

  it.each<[DialectName, string, string]>([
    ['duckdb', "it's", "'it''s'"],
    ['postgres', 'a\\b', "E'a\\\\b'"],
    ['postgres', "\\'; \\! touch pwned", "E'\\\\''; \\\\! touch pwned'"],
    ['spark', "it's a\\b", "'it\\'s a\\\\b'"],
    ['bigquery', "it's\na\\b", "'it\\'s\\na\\\\b'"],
  ])('%s string %j is %s', (dialect, text, quoted) => {
    expect(dialects[dialect].string(text)).toBe(quoted);
  });

  it.each<[DialectName, number, string]>([
    ['duckdb', 0.1, '1e-1'],
    ['sqlite', -0, '-0e+0'],
    ['postgres', 1e-7, '1e-7::float8'],
    ['spark', 0.30000000000000004, '3.0000000000000004E-1D'],
    ['bigquery', 1.7976931348623157e308, '1.7976931348623157e+308'],
  ])('%s writes %d as %s', (dialect, x, literal) => {
    expect(dialects[dialect].number(x)).toBe(literal);
  });

  it('every dialect writes the three outputs once each, and the query form is the --expression items over the table', () => {
    const model = linearModel(makeModel('sigmoid', undefined));
    for (const dialect of Object.keys(dialects) as DialectName[]) {
      const sql = exportSql(model, { dialect, table: 't' });
      for (const name of ['z', 'sigmoid', 'class']) expect(sql.split(` AS ${dialects[dialect].identifier(name)}`).length, `${dialect} ${name}`).toBe(2);
      // z is written out whole wherever it is used: every input as often as every other.
      const counts = model.terms.map((t) => sql.split(dialects[dialect].identifier(t.feature)).length - 1);
      expect(new Set(counts).size, dialect).toBe(1);
      const items = exportSql(model, { dialect, expression: true }).split('\n').slice(1).join('\n');
      expect(sql.split('\n').slice(1).join('\n'), dialect).toBe(`SELECT\n  *,\n${items.trimEnd().replaceAll(/^/gm, '  ')}\nFROM t;\n`);
    }
  });
});
