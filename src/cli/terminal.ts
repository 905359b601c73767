/**
 * What the terminal can show, decided from the World's environment, as
 * chalk's supports-color decides it (its rules, read from
 * chalk/source/vendor/supports-color, less the argv sniffing and Windows),
 * with neuron's own `--no-color` and the NO_COLOR convention (no-color.org)
 * first. Pure: the environment and "is it a terminal" are passed in.
 */

export type ColorLevel = 0 | 1 | 2 | 3;

type Env = Readonly<Record<string, string | undefined>>;

/** FORCE_COLOR as supports-color reads it: undefined when unset. */
function forcedLevel(env: Env): ColorLevel | undefined {
  const force = env.FORCE_COLOR;
  if (force === undefined) return undefined;
  if (force === 'true' || force === '') return 1;
  if (force === 'false') return 0;
  const level = Number.parseInt(force, 10);
  if (Number.isNaN(level)) return 1;
  return Math.max(0, Math.min(level, 3)) as ColorLevel;
}

/** The colour level for output to a stream that is (or is not) a terminal. */
export function colorLevel(env: Env, isTerminal: boolean, colorFlag = true): ColorLevel {
  if (!colorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return 0;
  const forced = forcedLevel(env);
  if (forced === 0) return 0;
  if (env.TF_BUILD !== undefined && env.AGENT_NAME !== undefined) return 1;
  if (!isTerminal && forced === undefined) return 0;
  const min: ColorLevel = forced ?? 0;
  const term = env.TERM ?? '';
  if (term === 'dumb') return min;
  if (env.CI !== undefined) {
    if (['GITHUB_ACTIONS', 'GITEA_ACTIONS', 'CIRCLECI'].some((key) => env[key] !== undefined)) return 3;
    if (['TRAVIS', 'APPVEYOR', 'GITLAB_CI', 'BUILDKITE', 'DRONE'].some((key) => env[key] !== undefined) || env.CI_NAME === 'codeship') return 1;
    return min;
  }
  if (env.TEAMCITY_VERSION !== undefined) return /^(9\.(0*[1-9]\d*)\.|\d{2,}\.)/.test(env.TEAMCITY_VERSION) ? 1 : 0;
  if (env.COLORTERM === 'truecolor' || ['xterm-kitty', 'xterm-ghostty', 'wezterm'].includes(term)) return 3;
  if (env.TERM_PROGRAM === 'iTerm.app') return Number.parseInt((env.TERM_PROGRAM_VERSION ?? '').split('.')[0] ?? '', 10) >= 3 ? 3 : 2;
  if (env.TERM_PROGRAM === 'Apple_Terminal') return 2;
  if (/-256(color)?$/i.test(term)) return 2;
  if (/^screen|^xterm|^vt100|^vt220|^rxvt|color|ansi|cygwin|linux/i.test(term)) return 1;
  if (env.COLORTERM !== undefined) return 1;
  return min;
}

/**
 * Whether text for people may use Unicode block and box-drawing characters
 * (the table's bars, explain's plot): not on a dumb terminal (TERM=dumb),
 * which gets plain ASCII instead.
 */
export function unicodeGraphics(env: Env): boolean {
  return env.TERM !== 'dumb';
}
