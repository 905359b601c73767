import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LESSON_CSV } from '../../src/serve/lesson.js';
import { decide, type IncomingRequest, MAX_BODY_BYTES, MAX_URL_LENGTH, sameSecret } from '../../src/serve/requests.js';
import { parseSaveRequest, savedText } from '../../src/serve/save.js';
import { fixture } from '../support/helpers.js';

const facts = { token: 'tok3n-ABC_def', port: 4321 };
const cookie = `other=1; neuron-playground-4321=${facts.token}`;
const get = (url: string, headers: Record<string, string> = {}): IncomingRequest => ({
  method: 'GET',
  url,
  headers: { host: '127.0.0.1:4321', cookie, ...headers },
});
const save = (headers: Record<string, string | undefined> = {}): IncomingRequest => ({
  method: 'POST',
  url: '/save',
  headers: {
    host: '127.0.0.1:4321',
    cookie,
    origin: 'http://127.0.0.1:4321',
    'sec-fetch-site': 'same-origin',
    'x-neuron-token': facts.token,
    'content-type': 'application/json',
    'content-length': '120',
    ...headers,
  },
});

describe('the playground server rules', () => {
  it('lets the token in the URL in (cookie and redirect), then the cookie alone', () => {
    expect(decide(get(`/?token=${facts.token}`, { cookie: '' }), facts)).toEqual({ kind: 'enter' });
    expect(decide(get('/'), facts)).toEqual({ kind: 'serve', route: 'page' });
    expect(decide(get('/app.js'), facts)).toEqual({ kind: 'serve', route: 'script' });
    expect(decide(get('/session.json', { host: 'LOCALHOST:4321' }), facts)).toEqual({ kind: 'serve', route: 'session' });
    expect(decide(save(), facts)).toEqual({ kind: 'serve', route: 'save' });
  });

  it.each([
    ['no token at all', get('/', { cookie: '' })],
    ['a wrong cookie', get('/', { cookie: 'neuron-playground-4321=tok3n-ABC_deF' })],
    ['a shorter token', get('/', { cookie: 'neuron-playground-4321=tok3n' })],
    ["another port's cookie", get('/', { cookie: `neuron-playground-4322=${facts.token}` })],
    ['a wrong token in the URL, even with the cookie', get('/?token=nope')],
  ])('refuses %s (403)', (_, request) => {
    expect(decide(request, facts)).toMatchObject({ kind: 'refuse', status: 403 });
  });

  it.each([['evil.example:4321'], ['127.0.0.1:80'], ['127.0.0.1'], ['localhost.evil.example:4321'], ['[::1]:4321'], ['']])(
    'refuses the Host %j (no DNS rebinding)',
    (host) => {
      expect(decide(get('/', { host }), facts)).toMatchObject({ kind: 'refuse', status: 403 });
    },
  );

  it.each([
    ['/../etc/passwd'],
    ['/%2e%2e/etc/passwd'],
    ['/app.js/..'],
    ['/.%2fapp.js'],
    ['//app.js'],
    ['/App.js'],
    ['/app.js%00'],
    ['/index.html'],
    ['/app.js?x=1'],
    ['/dist/playground/app.js'],
  ])('answers %s with 404: only the fixed paths exist', (url) => {
    expect(decide(get(url), facts)).toMatchObject({ kind: 'refuse', status: 404 });
  });

  it('refuses a URL over the limit and a GET with a body', () => {
    expect(decide(get(`/?${'a'.repeat(MAX_URL_LENGTH)}`), facts)).toMatchObject({ status: 414 });
    expect(decide(get('/', { 'content-length': '5' }), facts)).toMatchObject({ status: 413 });
    expect(decide(get('/', { 'transfer-encoding': 'chunked' }), facts)).toMatchObject({ status: 413 });
    expect(decide({ ...get('/'), method: 'POST' }, facts)).toMatchObject({ status: 405 });
    expect(decide({ ...save(), method: 'GET' }, facts)).toMatchObject({ status: 405 });
  });

  it.each([
    ['from another origin', { origin: 'http://evil.example' }, 403],
    ['with no Origin', { origin: undefined }, 403],
    ['from another port', { origin: 'http://127.0.0.1:4322' }, 403],
    ['cross-site by Sec-Fetch-Site', { 'sec-fetch-site': 'cross-site' }, 403],
    ['without the token header', { 'x-neuron-token': undefined }, 403],
    ['with a wrong token header', { 'x-neuron-token': 'tok3n-ABC_deX' }, 403],
    ['as a form', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['over the size limit', { 'content-length': String(MAX_BODY_BYTES + 1) }, 413],
    ['with a bad length', { 'content-length': '1e9' }, 413],
  ])('refuses a save %s', (_, headers, status) => {
    expect(decide(save(headers), facts)).toMatchObject({ kind: 'refuse', status });
  });

  it('compares secrets whole', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('ab', 'abc')).toBe(false);
    expect(sameSecret('abcd', 'abc')).toBe(false);
    expect(sameSecret('', 'a')).toBe(false);
  });
});

describe('the save request', () => {
  it('takes a weights file, checked as eval checks it, and writes it with a note', () => {
    const request = parseSaveRequest('{"model": {"features": ["a"], "weights": [0.5], "bias": -1}, "replace": false, "steps": 2}');
    expect(savedText(request, 'data.csv')).toBe(
      '{\n  "features": ["a"],\n  "weights": [0.5],\n  "bias": -1,\n  "activation": "sigmoid",\n  "classes": ["0", "1"],\n  "note": "saved by neuron playground on data.csv, after 2 epochs of gradient descent"\n}\n',
    );
  });

  it.each([
    ['not JSON', 'the save request is not JSON'],
    ['[]', 'the save request is not a JSON object'],
    ['{"model": {"weights": [1], "bias": 0}, "replace": false, "steps": 0, "path": "/etc/x"}', 'the save request has an unknown key "path"'],
    ['{"model": {"weights": [1], "bias": 0}, "replace": "yes", "steps": 0}', 'the save request needs "replace": true or false'],
    ['{"model": {"weights": [1], "bias": 0}, "replace": true, "steps": -1}', 'the save request needs "steps": a whole number'],
    ['{"model": {"weights": ["1"], "bias": 0}, "replace": true, "steps": 0}', 'weights[0]: expected a finite number, got "1"'],
  ])('refuses %s', (text, message) => {
    expect(() => parseSaveRequest(text)).toThrow(message);
  });
});

describe("the lesson's table", () => {
  it('is fixtures/obesity.csv byte for byte', () => {
    expect(LESSON_CSV).toBe(readFileSync(fixture('obesity.csv'), 'utf8'));
  });
});
