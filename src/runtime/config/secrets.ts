import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * A secret generated once and kept in DATA_DIR (mode 0600), so tokens and
 * signatures survive restarts of the embedded default. Concurrent first
 * starts agree: the secret is written to a temporary file and linked into
 * place (atomic, fails when it exists), and the loser reads the winner's.
 */
export const loadOrCreateSecret = async (dataDir: string, name: string, bytes = 32): Promise<string> => {
  if (!NAME.test(name)) throw new Error(`secret name ${JSON.stringify(name)} is not a plain file name`);
  const dir = join(dataDir, 'secrets');
  const file = join(dir, name);
  const existing = await readSecret(file);
  if (existing !== undefined) return existing;
  // DATA_DIR itself stays traversable: the embedded PostgreSQL (another user) keeps its data below it.
  await mkdir(dataDir, { recursive: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(bytes).toString('base64url');
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(`${secret}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(tmp, file);
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const raced = await readSecret(file);
    if (raced === undefined) throw new Error(`secret file ${file} exists but is empty`, { cause: err });
    return raced;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
};

const readSecret = async (file: string): Promise<string | undefined> => {
  try {
    const s = (await readFile(file, 'utf8')).trim();
    return s === '' ? undefined : s;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
};
