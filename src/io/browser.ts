/** `--open`: hands a URL to the system's browser launcher, without a shell (the URL is one argument). */
import { spawn } from 'node:child_process';

/** The launcher of this platform: xdg-open on Linux and the BSDs, open on macOS, start on Windows. */
function launcher(url: string): [string, string[]] {
  if (process.platform === 'darwin') return ['open', [url]];
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""', url]];
  return ['xdg-open', [url]];
}

/** Starts the launcher; resolves to undefined once it runs, or to why it could not. */
export function openInBrowser(url: string, env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  const [command, args] = launcher(url);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, env: { ...env } as NodeJS.ProcessEnv });
    child.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ENOENT' ? `${command} is not installed` : error.message));
    child.once('spawn', () => {
      child.unref();
      resolve(undefined);
    });
  });
}
