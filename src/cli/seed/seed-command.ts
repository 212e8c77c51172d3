import type { CliCommand } from '../program/index.js';
import { CliError } from '../program/index.js';

// Loaded on demand: seed pulls in faker and a world city list that the other commands do not need
// (both are dev dependencies, absent from the production image).
const loadSeed = async (): Promise<typeof import('./seed.js')> => {
  try {
    return await import('./seed.js');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND')
      throw new CliError(
        `seed cannot load its generators (${(err as Error).message.split('\n')[0]}); run it from a checkout with the dev dependencies installed`,
        {
          cause: err,
        },
      );
    throw err;
  }
};

export const seedCommand: CliCommand = {
  name: 'seed',
  summary: 'generate a realistic catalogue of venues and events (marquee seed --synthetic <n>)',
  run: async (args, ctx) => (await loadSeed()).run(args, ctx),
};
