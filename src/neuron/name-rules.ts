/**
 * Which characters a feature or class name may hold: anything but a control
 * character. Names are written into generated SQL, JavaScript and Python and
 * read back by command-line clients (psql, sqlite3) that cut a line at NUL,
 * end it at CR or LF, and run what follows as their own commands; the CSV
 * reader refuses NUL in data for the same reason. So C0 (U+0000-U+001F),
 * DEL (U+007F) and C1 (U+0080-U+009F) are refused wherever a name comes in
 * (the weights file, --features), and again by every generator. So is an
 * unpaired surrogate (JSON can spell one, "\ud800"): UTF-8 cannot hold it, so
 * it would be written as U+FFFD and two such names would become one. Other
 * characters (quotes, backslashes, U+2028, any script) are allowed; each
 * generator quotes them.
 */
import { type Location, NeuronError } from '../errors.js';

/** Whether a code point is a C0 or C1 control character or DEL. */
export function isControl(codePoint: number): boolean {
  return codePoint <= 0x1f || (codePoint >= 0x7f && codePoint <= 0x9f);
}

/** `U+000A`: a code point as people look it up. */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR: line breaks to JavaScript (in comments) and to some editors. */
export function isLineSeparator(codePoint: number): boolean {
  return codePoint === 0x2028 || codePoint === 0x2029;
}

/** The first code point in `text` that passes `test`, as `U+0000`, or undefined when there is none. */
export function findCodePoint(text: string, test: (codePoint: number) => boolean): string | undefined {
  for (const ch of text) {
    const codePoint = ch.codePointAt(0) as number;
    if (test(codePoint)) return codePointName(codePoint);
  }
  return undefined;
}

/** The first control character in `name`, as `U+0000`, or undefined when there is none. */
export const controlCharacterIn = (name: string) => findCodePoint(name, isControl);

/** A UTF-16 surrogate code unit that is not half of a pair (iterating a string yields those alone). */
const isUnpairedSurrogate = (codePoint: number) => codePoint >= 0xd800 && codePoint <= 0xdfff;

/** The reason a name is refused ("holds a control character (U+0000)"), or undefined when it is allowed. */
export function nameProblem(name: string): string | undefined {
  const control = controlCharacterIn(name);
  if (control !== undefined) return `holds a control character (${control})`;
  const surrogate = findCodePoint(name, isUnpairedSurrogate);
  return surrogate === undefined ? undefined : `holds an unpaired surrogate (${surrogate}), which UTF-8 cannot encode`;
}

export const NAME_RULE = 'names may not hold control characters (U+0000-U+001F, U+007F-U+009F) or unpaired surrogates: rename it';

/**
 * Refuses the first name that breaks the rule, naming where the names came
 * from (`role`: "the header", "--features"): train and random-init write
 * them into a weights file, which every command would then refuse.
 * Exit 1 for names from a data file (`where.file`), 2 for the command line.
 */
export function refuseBadNames(names: readonly string[], role: string, where: Location = {}): void {
  for (const name of names) {
    const problem = nameProblem(name);
    if (problem !== undefined)
      throw new NeuronError(where.file === undefined ? 'bad-name-option' : 'bad-column-name', `${role}: ${JSON.stringify(name)} ${problem}`, where, NAME_RULE);
  }
}
