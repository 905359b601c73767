/**
 * The playground server's rules, as pure functions of a request: which
 * requests are answered and with what. The server (src/io/playground-server.ts)
 * only carries bytes. The rules, because the page can write files:
 * - the Host header must name the loopback address and our port (a DNS
 *   rebinding attack arrives with the attacker's host name);
 * - every request carries the token: in the URL the first time (answered with
 *   a cookie and a redirect that drops it from the address bar), then in the
 *   cookie;
 * - a fixed set of paths, matched as exact strings (nothing from a request
 *   reaches the file system: the assets are read at start);
 * - "save" is a POST from the same origin (the Origin header, and
 *   Sec-Fetch-Site where the browser sends it) with the token in a header too
 *   (which a cross-origin page could only send after a CORS preflight that is
 *   never granted);
 * - sizes are bounded: the URL, the headers (by the server), any body.
 */

/** What the server needs of a request: the method, the URL as sent, the headers (names in lower case). */
export interface IncomingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The server's own facts that the rules depend on. */
export interface ServerFacts {
  readonly token: string;
  readonly port: number;
}

/** The assets and endpoints there are. */
export const routes = {
  '/': { method: 'GET', name: 'page' },
  '/app.js': { method: 'GET', name: 'script' },
  '/app.css': { method: 'GET', name: 'style' },
  '/session.json': { method: 'GET', name: 'session' },
  '/save': { method: 'POST', name: 'save' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; name: string }>;

export type RouteName = (typeof routes)[keyof typeof routes]['name'];

/** The longest URL answered. */
export const MAX_URL_LENGTH = 2048;
/** The largest body of a "save" (a weights file is a few hundred bytes; a wide one a few KiB). */
export const MAX_BODY_BYTES = 256 * 1024;
/** The largest request header block, given to node:http. */
export const MAX_HEADER_BYTES = 16 * 1024;

export type Decision =
  | { readonly kind: 'refuse'; readonly status: number; readonly message: string }
  /** The token came in the URL: set the cookie and redirect to `/`. */
  | { readonly kind: 'enter' }
  | { readonly kind: 'serve'; readonly route: RouteName };

/** Headers on every answer: no inline or foreign script, no framing, no sniffing, no caching, no referrer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** The cookie's name: per port, since browsers share cookies between the ports of one host. */
export function cookieName(port: number): string {
  return `neuron-playground-${port}`;
}

/** The Set-Cookie value that lets the browser in after the token in the URL. */
export function entryCookie(facts: ServerFacts): string {
  return `${cookieName(facts.port)}=${facts.token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The URL to print: the token in it, on the loopback address. */
export function playgroundUrl(facts: ServerFacts): string {
  return `http://127.0.0.1:${facts.port}/?token=${facts.token}`;
}

/** The origins the page is served from. */
export function allowedHosts(port: number): readonly string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** Equal strings, compared in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= (a.charCodeAt(i % Math.max(1, a.length)) ^ b.charCodeAt(i)) | 0;
  return difference === 0;
}

function header(request: IncomingRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function cookieToken(request: IncomingRequest, port: number): string | undefined {
  const wanted = `${cookieName(port)}=`;
  for (const part of (header(request, 'cookie') ?? '').split(';')) {
    const text = part.trim();
    if (text.startsWith(wanted)) return text.slice(wanted.length);
  }
  return undefined;
}

const refuse = (status: number, message: string): Decision => ({ kind: 'refuse', status, message });

/** Whether a request is answered, and how. */
export function decide(request: IncomingRequest, facts: ServerFacts): Decision {
  if (request.url.length > MAX_URL_LENGTH) return refuse(414, 'URL too long');
  const host = (header(request, 'host') ?? '').toLowerCase();
  if (!allowedHosts(facts.port).includes(host)) return refuse(403, 'this server answers only on 127.0.0.1 and localhost');

  const query = request.url.indexOf('?');
  const path = query === -1 ? request.url : request.url.slice(0, query);
  const search = query === -1 ? undefined : request.url.slice(query + 1);
  const fromUrl = search?.startsWith('token=') === true ? search.slice('token='.length) : undefined;
  const fromCookie = cookieToken(request, facts.port);
  // A token in the URL must be right on its own (a wrong one is not rescued by the cookie).
  const given = fromUrl ?? fromCookie;
  const tokenOk = given !== undefined && sameSecret(given, facts.token);
  if (!tokenOk) return refuse(403, 'open the playground with the URL it printed (with its token)');

  const route = Object.hasOwn(routes, path) ? routes[path as keyof typeof routes] : undefined;
  if (route === undefined) return refuse(404, 'not found');
  if (request.method !== route.method) return refuse(405, `use ${route.method}`);
  if (search !== undefined && !(path === '/' && fromUrl !== undefined)) return refuse(404, 'not found');

  const length = header(request, 'content-length');
  const chunked = header(request, 'transfer-encoding') !== undefined;
  if (route.method === 'GET') {
    if (chunked || (length !== undefined && length !== '0')) return refuse(413, 'a GET request has no body');
    return fromUrl !== undefined ? { kind: 'enter' } : { kind: 'serve', route: route.name };
  }

  // "save": the same origin only, the token in a header too, a JSON body of bounded size.
  const origin = header(request, 'origin');
  if (origin === undefined || origin !== `http://${host}`) return refuse(403, 'save is accepted only from the playground page itself');
  const site = header(request, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return refuse(403, 'save is accepted only from the playground page itself');
  const sent = header(request, 'x-neuron-token');
  if (sent === undefined || !sameSecret(sent, facts.token)) return refuse(403, 'save needs the page’s token');
  if (!(header(request, 'content-type') ?? '').toLowerCase().startsWith('application/json')) return refuse(415, 'send the weights as application/json');
  if (length !== undefined && !(/^\d+$/.test(length) && Number(length) <= MAX_BODY_BYTES)) return refuse(413, `the body is over ${MAX_BODY_BYTES} bytes`);
  return { kind: 'serve', route: 'save' };
}
