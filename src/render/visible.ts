/**
 * Text from the data (a cell, a header, a class name, a file name) on its
 * way to a terminal: control characters are shown escaped, never sent, so a
 * file holding `ESC[2J` or an OSC title sequence cannot clear the screen or
 * retitle the window. CSV, TSV and JSON output keep the bytes; this is for
 * text meant for people only (the table, explain, metrics, messages).
 */

/** C0 controls, DEL, C1 controls, the line and paragraph separators, and the bidirectional overrides and isolates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this module's purpose
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const ALL_CONTROLS = new RegExp(CONTROLS.source, 'g');

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeControl(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control character written as an escape: `\x1b` for
 * ESC, `\t`, `\n`, `\r`, `\u202e` for a bidirectional override. Text
 * without one comes back as it is (the common case costs one test).
 *
 * @example visible('\x1b[2Jhi') // '\\x1b[2Jhi'
 */
export function visible(text: string): string {
  return CONTROLS.test(text) ? text.replace(ALL_CONTROLS, escapeControl) : text;
}

/** As `visible`, line by line: the line breaks of a multi-line text are kept. */
export function visibleLines(text: string): string {
  return CONTROLS.test(text) ? text.split('\n').map(visible).join('\n') : text;
}
