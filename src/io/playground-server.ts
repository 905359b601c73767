/**
 * The playground's HTTP server: node:http on 127.0.0.1 only, carrying bytes
 * for the rules in src/serve/requests.ts (which decide every answer). The
 * assets are in memory, read once at start from fixed paths; a body is read
 * only for "save", and never past MAX_BODY_BYTES.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { NeuronError } from '../errors.js';
import { decide, entryCookie, MAX_BODY_BYTES, MAX_HEADER_BYTES, type RouteName, SECURITY_HEADERS, type ServerFacts } from '../serve/requests.js';

/** The page, as built by `npm run build` (scripts/build-playground.mjs) into dist/playground/. */
export interface Assets {
  readonly page: string;
  readonly script: string;
  readonly style: string;
}

const ASSET_FILES = { page: 'index.html', script: 'app.js', style: 'app.css' } as const;

/** Reads the built page: dist/playground/ beside dist/io/ (also when this module runs from src/, as in tests). */
export async function readAssets(): Promise<Assets> {
  const folder = new URL('../../dist/playground/', import.meta.url);
  const read = async (name: string) => {
    try {
      return await readFile(new URL(name, folder), 'utf8');
    } catch {
      throw new NeuronError('page-missing', `the playground's page is missing (${fileURLToPath(new URL(name, folder))})`, {}, 'build it with npm run build');
    }
  };
  return { page: await read(ASSET_FILES.page), script: await read(ASSET_FILES.script), style: await read(ASSET_FILES.style) };
}

/** The answer to a save: a status and a JSON body. */
export interface SaveAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface PlaygroundServerOptions {
  /** undefined: a free port. */
  readonly port: number | undefined;
  readonly assets: Assets;
  /** The session's JSON text, made once the token is known. */
  readonly session: (token: string) => string;
  readonly save: (body: string) => Promise<SaveAnswer>;
}

export interface PlaygroundServer {
  readonly facts: ServerFacts;
  /** The address bound (always 127.0.0.1). */
  readonly address: string;
  close(): Promise<void>;
}

const TYPES: Record<Exclude<RouteName, 'save'>, string> = {
  page: 'text/html; charset=utf-8',
  script: 'text/javascript; charset=utf-8',
  style: 'text/css; charset=utf-8',
  session: 'application/json; charset=utf-8',
};

function send(response: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...extra });
  response.end(body);
}

/** The body, or undefined (and a 413 sent) past the limit. */
function readBody(request: IncomingMessage, response: ServerResponse): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        send(response, 413, 'text/plain; charset=utf-8', `the body is over ${MAX_BODY_BYTES} bytes\n`, { Connection: 'close' });
        request.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', () => resolve(undefined));
  });
}

/** Starts the server on 127.0.0.1 (a free port unless one is given), with a new random token. */
export async function startPlaygroundServer(options: PlaygroundServerOptions): Promise<PlaygroundServer> {
  const token = randomBytes(24).toString('base64url');
  let facts: ServerFacts = { token, port: 0 };
  let session = '';
  const server: Server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (request, response) => {
    const decision = decide({ method: request.method ?? '', url: request.url ?? '', headers: request.headers }, facts);
    if (decision.kind === 'refuse') {
      // A refused request's body is never read: the connection closes after the answer.
      send(response, decision.status, 'text/plain; charset=utf-8', `${decision.message}\n`, { Connection: 'close' });
      return;
    }
    if (decision.kind === 'enter') {
      response.writeHead(303, { ...SECURITY_HEADERS, Location: '/', 'Set-Cookie': entryCookie(facts), 'Content-Length': '0' });
      response.end();
      return;
    }
    const { route } = decision;
    if (route !== 'save') {
      const body = route === 'session' ? session : options.assets[route];
      send(response, 200, TYPES[route], body);
      return;
    }
    void readBody(request, response)
      .then(async (body) => {
        if (body === undefined) return;
        const answer = await options.save(body);
        send(response, answer.status, 'application/json; charset=utf-8', `${JSON.stringify(answer.body)}\n`);
      })
      .catch((error: unknown) => {
        if (!response.headersSent) send(response, 500, 'application/json; charset=utf-8', `${JSON.stringify({ error: `internal error: ${String(error)}` })}\n`);
      });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const port = options.port ?? 0;
      if (error.code === 'EADDRINUSE')
        reject(new NeuronError('port-unavailable', `port ${port} on 127.0.0.1 is in use`, {}, 'choose another --port, or leave it out for a free one'));
      else if (error.code === 'EACCES') reject(new NeuronError('port-unavailable', `port ${port} needs privileges`, {}, 'choose a --port above 1023'));
      else reject(new NeuronError('io-failed', `cannot listen on 127.0.0.1:${port}: ${error.message}`));
    });
    server.listen({ host: '127.0.0.1', port: options.port ?? 0, exclusive: true }, () => resolve());
  });
  const address = server.address() as AddressInfo;
  facts = { token, port: address.port };
  session = options.session(token);
  return {
    facts,
    address: address.address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
