import type { Projection } from '../../projections/projector/index.js';
import { rebuildProjections, selectProjections } from '../../projections/projector/index.js';
import { parseArgs, UsageError } from '../program/index.js';
import type { CliCommand, CliContext } from '../program/index.js';
import { writeChunk } from '../backup/index.js';

const help = `Usage: marquee rebuild <projection|all> [<projection> ...]

Empties the named read models and replays the whole event log into them, in one
PostgreSQL transaction per batch together with each projection's checkpoint.
When a projector is running and holds a projection, the reset makes it replay
from zero and this command waits until it has caught up.

Arguments:
  <projection>   a projection name (marquee rebuild --list shows them), or all

Options:
  --list         print the projection names and exit
  -h, --help     show this help`;

const run = async (args: readonly string[], ctx: CliContext): Promise<void> => {
  const parsed = parseArgs(args, { list: 'boolean' });
  if (parsed.help) {
    ctx.stdout.write(`${help}\n`);
    return;
  }
  const list = parsed.options.list === true;
  const names = parsed.positionals;
  if (!list && names.length === 0) throw new UsageError('name a projection to rebuild, or all');
  if (names.includes('all') && names.length > 1) throw new UsageError('"all" goes alone');

  const log = ctx.log();
  // The server's own wiring (loaded on demand: it pulls in the whole app), so the projections and their
  // adapters are exactly those the projector runs. start() is not called: no projector, sweeper or demo data.
  const { compose } = await import('../../runtime/compose/index.js');
  const runtime = await compose(ctx.config(), log);
  try {
    const { projections } = runtime;
    if (list) {
      for (const p of projections) await writeChunk(ctx.stdout, `${p.name}\n`);
      return;
    }
    const wanted = names[0] === 'all' ? 'all' : names;
    let selected: Projection[];
    try {
      selected = selectProjections(projections, wanted);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const started = Date.now();
    await rebuildProjections({ store: runtime.store, pool: runtime.pool, projections, names: wanted, log });
    ctx.stderr.write(`rebuilt ${selected.map((p) => p.name).join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } finally {
    await runtime.close();
  }
};

export const rebuildCommand: CliCommand = {
  name: 'rebuild',
  summary: 'drop and rebuild read models from the log (one projection, several, or all)',
  run,
};
