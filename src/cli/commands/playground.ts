/** `neuron playground`: a local page with a slider for every weight, over the user's CSV (or the lesson's table). */
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { formatError, NeuronError } from '../../errors.js';
import { openInBrowser } from '../../io/browser.js';
import { firstFreePath } from '../../io/free-name.js';
import { readAssets, type SaveAnswer, startPlaygroundServer } from '../../io/playground-server.js';
import { playgroundUrl } from '../../serve/requests.js';
import { newFileName, parseSaveRequest, savedText } from '../../serve/save.js';
import { sessionOf } from '../../serve/session.js';
import { parseClasses, parseSeed, shared } from '../options.js';
import { writeText } from '../output-target.js';
import { loadPlayground, type PlaygroundDataOptions } from '../playground-data.js';
import { say, type World } from '../world.js';

interface PlaygroundOptions extends PlaygroundDataOptions {
  port?: number;
  open: boolean;
  saveDir: string;
}

function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 65535) throw new InvalidArgumentError('Expected a port number from 1 to 65535.');
  return Number(text);
}

export function playgroundCommand(program: Command, world: World): void {
  program
    .command('playground')
    .description('a page in your browser with a slider for every weight: watch z, the classes and the loss move, train, save')
    .argument('[data]', "CSV file with a header line, or - for standard input (default: the lesson's table)")
    .addOption(shared.weights('starting weights file (default: random-init weights)'))
    .option('--label <column>', 'ground-truth column: accuracy, log loss, training')
    .addOption(shared.features())
    .option('--classes <names>', 'the two class names, comma-separated (default: from the weights file, else the label values)', parseClasses)
    .option('--seed <n>', 'without -w: the seed of the random starting weights', parseSeed)
    .option('--port <n>', 'the port on 127.0.0.1 (default: a free one)', parsePort)
    .option('--open', 'open the page in the system browser', false)
    .option('--save-dir <folder>', '"save" writes new weights files here', '.')
    .addOption(shared.delimiter())
    .addOption(shared.noHeader())
    .action(async (data: string | undefined, options: PlaygroundOptions) => {
      await runPlayground(world, data, options);
    });
}

async function checkFolder(folder: string): Promise<void> {
  const stats = await stat(folder).catch(() => undefined);
  if (stats?.isDirectory() !== true)
    throw new NeuronError('not-a-directory', `--save-dir ${JSON.stringify(folder)} is not a folder`, {}, 'name an existing folder');
}

async function runPlayground(world: World, dataPath: string | undefined, options: PlaygroundOptions): Promise<void> {
  await checkFolder(options.saveDir);
  const { rows, model, seed } = await loadPlayground(world, dataPath, options);
  const assets = await readAssets();

  const save = async (body: string): Promise<SaveAnswer> => {
    try {
      const request = parseSaveRequest(body);
      if (request.replace && options.weights === undefined) throw new NeuronError('missing-option', 'there is no -w file to replace');
      const path = request.replace && options.weights !== undefined ? options.weights : await firstFreePath(options.saveDir, newFileName);
      await writeText(world, path, savedText(request, rows.source));
      say(world, `saved the weights to ${path}`);
      return { status: 200, body: { saved: path } };
    } catch (error) {
      if (!(error instanceof NeuronError)) throw error;
      return { status: error.kind === 'usage' || error.kind === 'weights' ? 400 : 500, body: { error: formatError(error) } };
    }
  };
  const server = await startPlaygroundServer({
    port: options.port,
    assets,
    session: (token) => JSON.stringify(sessionOf(token, rows, model, { seed, weightsFile: options.weights, saveFolder: options.saveDir })),
    save,
  });
  const url = playgroundUrl(server.facts);
  say(world, `playground on ${rows.source} (${rows.values.length} rows): open ${url}`);
  say(world, 'the URL holds a token: only it opens the page. Ctrl-C stops the server');
  if (options.open) {
    const problem = await openInBrowser(url, world.env);
    if (problem !== undefined) say(world, `could not open a browser (${problem}): open the URL above yourself`);
  }
  await new Promise<void>((resolve) => {
    if (world.signal === undefined) return; // no Ctrl-C to hear: serve until the process ends
    if (world.signal.aborted) resolve();
    world.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  say(world, 'playground stopped (Ctrl-C); unsaved changes on the page are gone');
  throw new NeuronError('interrupted', 'interrupted');
}
