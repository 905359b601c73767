/**
 * `neuron playground` as a server, over real sockets: the built bin is
 * started as a user starts it, and spoken to with raw HTTP (so paths reach it
 * byte for byte, `..` and all). Every refusal of the security rules, the
 * loopback-only bind, save (new file, replace, a folder that went away),
 * invalid data (eval's error, nothing served), Ctrl-C and --open.
 */
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runBin } from '../support/helpers.js';
import { type RunningPlayground, rawRequest, startPlayground } from '../support/playground.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-playground-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lesson = [fixture('obesity.csv'), '--label', 'Condition'];

function saveHead(p: RunningPlayground, length: number, headers: Record<string, string> = {}): string {
  const all = {
    Host: `127.0.0.1:${p.port}`,
    Cookie: `neuron-playground-${p.port}=${p.token}`,
    Origin: `http://127.0.0.1:${p.port}`,
    'X-Neuron-Token': p.token,
    'Content-Type': 'application/json',
    'Content-Length': String(length),
    ...headers,
  };
  return [`POST /save HTTP/1.1`, ...Object.entries(all).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
}

const saveBody = (replace: boolean) =>
  JSON.stringify({
    model: { features: ['Height (in feet)', 'Weight (in kgs)'], weights: [-1.25, 0.0625], bias: -0.5, classes: ['Not Obese', 'Obese'] },
    replace,
    steps: 0,
  });

describe('neuron playground, the server', () => {
  it('lets in the printed URL, then its cookie, and serves the page with a CSP and no inline script', async () => {
    const p = await startPlayground(lesson);
    try {
      const entry = await rawRequest(p.port, `GET /?token=${p.token} HTTP/1.1\r\nHost: 127.0.0.1:${p.port}`);
      expect(entry.status).toBe(303);
      expect(entry.headers).toContain(`Set-Cookie: neuron-playground-${p.port}=${p.token}; Path=/; HttpOnly; SameSite=Strict`);
      expect(entry.headers).toMatch(/\r\nLocation: \/\r\n/);
      const cookie = `Cookie: neuron-playground-${p.port}=${p.token}`;
      const page = await rawRequest(p.port, `GET / HTTP/1.1\r\nHost: localhost:${p.port}\r\n${cookie}`);
      expect(page.status).toBe(200);
      expect(page.headers).toContain("Content-Security-Policy: default-src 'none'; script-src 'self';");
      expect(page.headers).toContain('X-Frame-Options: DENY');
      const scripts = [...page.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts).toEqual(['<script src="/app.js" defer>']);
      expect(page.body).not.toMatch(/<script[^>]*>[^<]/);
      expect(page.body).not.toMatch(/\son[a-z]+=/i);
      const session = await rawRequest(p.port, `GET /session.json HTTP/1.1\r\nHost: 127.0.0.1:${p.port}\r\n${cookie}`);
      const json = JSON.parse(session.body) as { rows: { values: number[][]; label: { truths: number[] } } };
      expect(json.rows.values[0]).toEqual([4, 80]);
      expect(json.rows.label.truths).toEqual([1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]);
    } finally {
      await p.stop();
    }
  });

  it("without -w, starts from random-init's weights for --seed, the classes from the label", async () => {
    const p = await startPlayground([...lesson, '--seed', '42']);
    try {
      const cookie = `Cookie: neuron-playground-${p.port}=${p.token}`;
      const session = await rawRequest(p.port, `GET /session.json HTTP/1.1\r\nHost: 127.0.0.1:${p.port}\r\n${cookie}`);
      const json = JSON.parse(session.body) as { seed: number; model: { weights: number[]; bias: number; classes: string[] } };
      const init = runBin(['random-init', '--from', fixture('obesity.csv'), '--label', 'Condition', '--seed', '42']);
      const expected = JSON.parse(init.stdout) as { weights: number[]; bias: number };
      expect(json.seed).toBe(42);
      expect([json.model.weights, json.model.bias, json.model.classes]).toEqual([expected.weights, expected.bias, ['Not Obese', 'Obese']]);
    } finally {
      await p.stop();
    }
  });

  it('refuses no token, a wrong Host, paths outside the fixed set, an oversized body and a cross-origin save', async () => {
    const p = await startPlayground(lesson);
    const host = `Host: 127.0.0.1:${p.port}`;
    const cookie = `Cookie: neuron-playground-${p.port}=${p.token}`;
    try {
      expect((await rawRequest(p.port, `GET / HTTP/1.1\r\n${host}`)).status).toBe(403);
      expect((await rawRequest(p.port, `GET /app.js HTTP/1.1\r\n${host}`)).status).toBe(403);
      expect((await rawRequest(p.port, `GET /?token=${p.token} HTTP/1.1\r\nHost: rebound.example:${p.port}`)).status).toBe(403);
      expect((await rawRequest(p.port, `GET / HTTP/1.1\r\nHost: rebound.example:${p.port}\r\n${cookie}`)).status).toBe(403);
      for (const path of [
        '/../../../../etc/passwd',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/..%2f..%2fpackage.json',
        '/app.js/../../package.json',
        '/playground/app.js',
      ]) {
        const answer = await rawRequest(p.port, `GET ${path} HTTP/1.1\r\n${host}\r\n${cookie}`);
        expect([path, answer.status]).toEqual([path, 404]);
        expect(answer.body).not.toContain('root:');
      }
      const body = saveBody(false);
      const crossOrigin = await rawRequest(p.port, saveHead(p, body.length, { Origin: 'http://evil.example' }), body);
      expect(crossOrigin.status).toBe(403);
      const noToken = await rawRequest(p.port, saveHead(p, body.length, { 'X-Neuron-Token': 'guess' }), body);
      expect(noToken.status).toBe(403);
      const declared = await rawRequest(p.port, saveHead(p, 300_000), 'x'.repeat(1000));
      expect(declared.status).toBe(413);
      // No length given: the body is counted as it arrives and cut off past the limit.
      const chunk = 'x'.repeat(64 * 1024);
      const chunked = `${chunk.length.toString(16)}\r\n${chunk}\r\n`.repeat(5);
      const head = saveHead(p, 0).replace('Content-Length: 0', 'Transfer-Encoding: chunked');
      expect((await rawRequest(p.port, head, `${chunked}0\r\n\r\n`)).status).toBe(413);
      expect(readdirSync(dir).filter((f) => f.startsWith('playground-'))).toEqual([]);
    } finally {
      await p.stop();
    }
  });

  it('binds 127.0.0.1 only: every other address of this machine refuses the connection', async () => {
    const p = await startPlayground(lesson);
    try {
      const others = Object.values(networkInterfaces())
        .flat()
        .filter((a) => a !== undefined && !a.internal)
        .map((a) => (a as { address: string }).address);
      for (const address of ['::1', ...others]) {
        const outcome = await new Promise<string>((resolve) => {
          const socket = connect({ host: address, port: p.port });
          socket.once('connect', () => {
            socket.destroy();
            resolve('connected');
          });
          socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
        });
        expect([address, outcome]).not.toEqual([address, 'connected']);
      }
    } finally {
      await p.stop();
    }
  });

  it('saves a new file in --save-dir and replaces the -w file, each one eval scores as the same weights', async () => {
    const folder = mkdtempSync(join(dir, 'save-'));
    const weights = join(folder, 'start.json');
    copyFileSync(fixture('obesity.weights.json'), weights);
    const p = await startPlayground([...lesson, '-w', weights, '--save-dir', folder]);
    try {
      for (const [replace, path] of [
        [false, join(folder, 'playground-1.weights.json')],
        [true, weights],
      ] as const) {
        const body = saveBody(replace);
        const answer = await rawRequest(p.port, saveHead(p, Buffer.byteLength(body)), body);
        expect([answer.status, JSON.parse(answer.body)]).toEqual([200, { saved: path }]);
      }
    } finally {
      await p.stop();
    }
    const made = join(folder, 'playground-1.weights.json');
    const text = readFileSync(made, 'utf8');
    expect(JSON.parse(text).note).toBe(`saved by neuron playground on ${fixture('obesity.csv')}`);
    expect(readFileSync(weights, 'utf8')).toBe(text);
    // The same weights written by hand score the same, byte for byte.
    const byHand = join(folder, 'by-hand.json');
    writeFileSync(byHand, JSON.stringify({ ...JSON.parse(saveBody(false)).model }));
    const expected = runBin(['eval', fixture('obesity.csv'), '-w', byHand, '--label', 'Condition', '--format', 'csv']);
    expect(expected.code).toBe(0);
    expect(runBin(['eval', fixture('obesity.csv'), '-w', made, '--label', 'Condition', '--format', 'csv'])).toEqual(expected);
  });

  it('says so, and writes nothing, when the save folder is gone', async () => {
    const folder = mkdtempSync(join(dir, 'gone-'));
    const p = await startPlayground([...lesson, '--save-dir', folder]);
    try {
      rmSync(folder, { recursive: true });
      const body = saveBody(false);
      const answer = await rawRequest(p.port, saveHead(p, Buffer.byteLength(body)), body);
      expect(answer.status).toBe(500);
      expect(JSON.parse(answer.body)).toEqual({
        error: `${join(folder, 'playground-1.weights.json')}: the directory "${folder}" does not exist (the output) — create it first (mkdir -p ${folder}), or check the path`,
      });
    } finally {
      await p.stop();
    }
    expect(existsSync(folder)).toBe(false);
  });

  it('refuses to replace when there is no -w file', async () => {
    const p = await startPlayground(lesson, { cwd: dir });
    try {
      const body = saveBody(true);
      const answer = await rawRequest(p.port, saveHead(p, Buffer.byteLength(body)), body);
      expect([answer.status, JSON.parse(answer.body)]).toEqual([400, { error: 'there is no -w file to replace' }]);
    } finally {
      await p.stop();
    }
  });

  it('stops on Ctrl-C with exit 130 and says so', async () => {
    const p = await startPlayground([]);
    const { code, stderr } = await p.stop();
    expect(code).toBe(130);
    expect(stderr).toContain(`neuron: playground on the lesson’s table (14 rows): open ${p.url}\n`);
    expect(stderr).toMatch(/\nneuron: playground stopped \(Ctrl-C\); unsaved changes on the page are gone\n$/);
  });

  it('with --open, hands the URL to xdg-open', async () => {
    const bin = mkdtempSync(join(dir, 'bin-'));
    const record = join(bin, 'opened.txt');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${record}'\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const p = await startPlayground([...lesson, '--open'], { env: { PATH: `${bin}:${process.env.PATH ?? ''}` } });
    try {
      for (let i = 0; i < 50 && !existsSync(record); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(readFileSync(record, 'utf8')).toBe(p.url);
    } finally {
      await p.stop();
    }
  });
});

describe('neuron playground, refusing to start', () => {
  it.each([
    ['a cell that is not a number', fixture('bad-number.csv'), []],
    ['a label that is not a class', fixture('obesity-badlabel.csv'), ['--label', 'Condition']],
  ])('on %s: eval’s error, exit 1, nothing served', async (_, data, more) => {
    const evalRun = runBin(['eval', data, '-w', fixture('obesity.weights.json'), ...more]);
    const error = await startPlayground([data, '-w', fixture('obesity.weights.json'), ...more]).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(evalRun.code).toBe(1);
    expect(error).toEqual(
      expect.objectContaining({
        code: 1,
        stderr: `${evalRun.stderr
          .split('\n')
          .filter((l) => l.startsWith('neuron: ') && !l.includes('accuracy'))
          .join('\n')}\n`,
      }),
    );
  });

  it.each([
    [
      'a softmax layer (three classes)',
      {
        features: ['Height (in feet)', 'Weight (in kgs)'],
        weights: [
          [1, 0],
          [0, 1],
          [0, 0],
        ],
        bias: [0, 0, 0],
        activation: 'softmax',
        classes: ['a', 'b', 'c'],
      },
      'neuron playground does not take a softmax model (3 classes)',
    ],
    [
      'a model with one-hot categories',
      {
        features: ['Height (in feet)', 'Condition=Obese', 'Condition=Not Obese'],
        weights: [1, 0, 0],
        bias: 0,
        categories: { Condition: ['Obese', 'Not Obese'] },
      },
      'neuron playground does not take a model with "categories" yet',
    ],
  ])('on %s: one message naming the file, exit 2, nothing served', async (_, model, message) => {
    const weights = join(dir, 'not-two-class.json');
    writeFileSync(weights, JSON.stringify(model));
    const error = await startPlayground([fixture('obesity.csv'), '-w', weights]).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error).toEqual(expect.objectContaining({ code: 2, stderr: `neuron: ${weights}: ${message} — use eval, explain, metrics or export\n` }));
  });

  it('on a port in use: a usage error', async () => {
    const p = await startPlayground(lesson);
    try {
      const second = runBin(['playground', '--port', String(p.port)]);
      expect(second).toEqual({
        stdout: '',
        stderr: `neuron: port ${p.port} on 127.0.0.1 is in use — choose another --port, or leave it out for a free one\n`,
        code: 2,
      });
    } finally {
      await p.stop();
    }
  });
});
