/** Running `neuron playground` (the built bin) as a user does, and talking to it with raw HTTP. */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { BIN, ROOT } from './helpers.js';

export interface RunningPlayground {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly child: ChildProcess;
  /** stderr so far. */
  stderr(): string;
  /** Ctrl-C, then the exit code and the whole stderr. */
  stop(): Promise<{ code: number | null; stderr: string }>;
}

/** Starts the playground; resolves once it prints its URL, rejects with stderr if it exits first. */
export function startPlayground(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunningPlayground> {
  const child = spawn(process.execPath, [BIN, 'playground', ...args], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(stderr);
      if (match === null) return;
      resolve({
        url: match[0],
        port: Number(match[1]),
        token: match[2] as string,
        child,
        stderr: () => stderr,
        stop: async () => {
          child.kill('SIGINT');
          const code = await exited;
          return { code, stderr };
        },
      });
    });
    void exited.then((code) => reject(Object.assign(new Error(`playground exited ${code} before printing its URL: ${stderr}`), { code, stderr })));
  });
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: string;
  readonly body: string;
}

/** Sends `head` (request line and headers, CRLF-separated, without the blank line) and `body` as bytes, exactly. */
export function rawRequest(port: number, head: string, body = ''): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close a connection whose body it will not read: what it answered still counts.
      if (text !== '' && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) finish();
      else reject(error);
    });
    const finish = () => {
      const end = text.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, headers: text.slice(0, end), body: text.slice(end + 4) });
    };
    socket.on('end', finish);
    socket.write(`${head}\r\nConnection: close\r\n\r\n`);
    if (body !== '') socket.write(body);
  });
}
