/**
 * Writes registry credentials into a Docker `config.json` without the Docker CLI (which may be absent,
 * and whose `docker login` may pick a credential store), atomically and with mode 0600, and undoes
 * exactly that in the post step. docker, buildx, skopeo --authfile and podman all read this format.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { addAuthEntry, authValue, newConfigText, removeAuthEntry, valueDigest, type AuthEntryChange, type RemoveOutcome } from './docker-config-edit';

/** What a login did to the file system; saved as post-step state (holds no secret). */
export interface LoginRecord extends Omit<AuthEntryChange, 'previous'> {
  /** The config.json written. */
  file: string;
  /** Whether this login created config.json. */
  createdFile: boolean;
  /** A directory this login created for `docker-config: new` (removed at logout). */
  createdDir?: string;
  /** A 0600 file holding the replaced entry's value text, outside the state because it is a credential. */
  previousFile?: string;
}

/**
 * The directory whose config.json to use: `auto` → `$DOCKER_CONFIG` or `~/.docker`; `new` → a fresh
 * directory under `RUNNER_TEMP` (the caller exports it as DOCKER_CONFIG); anything else is a directory.
 */
export async function resolveDockerConfigDir(setting: string, env: NodeJS.ProcessEnv): Promise<{ dir: string; created: boolean }> {
  if (setting === 'auto') return { dir: env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), created: false };
  if (setting === 'new') {
    const base = env.RUNNER_TEMP || join(env.HOME || homedir(), '.cache');
    await mkdir(base, { recursive: true });
    return { dir: await mkdtemp(join(base, 'acrkit-docker-')), created: true };
  }
  return { dir: setting, created: false };
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Writes `text` to `file` via a temporary file and rename, so readers never see half a file. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file).catch(async (e) => { await unlink(tmp).catch(() => {}); throw e; });
}

/** Adds `auths[host]` for user/secret to `<dir>/config.json`; returns what to undo later. */
export async function writeDockerLogin(
  dir: string, host: string, username: string, secret: string, options: { createdDir?: boolean; stateDir: string },
): Promise<LoginRecord> {
  const file = join(dir, 'config.json');
  const value = authValue(username, secret);
  const existing = await readIfExists(file);
  const created = existing === undefined || existing.trim() === '';
  const edit = created
    ? { text: newConfigText(host, value), change: { writtenDigest: valueDigest(value), createdAuths: true, previous: undefined } }
    : addAuthEntry(existing, host, value, file);
  const record: LoginRecord = {
    host, file, writtenDigest: edit.change.writtenDigest, createdAuths: edit.change.createdAuths, createdFile: created,
  };
  if (options.createdDir) record.createdDir = dir;
  if (edit.change.previous !== undefined) {
    record.previousFile = join(options.stateDir, `acrkit-previous-${randomBytes(6).toString('hex')}.json`);
    await mkdir(options.stateDir, { recursive: true });
    await writeFile(record.previousFile, edit.change.previous, { mode: 0o600 });
  }
  await writeFileAtomic(file, edit.text);
  return record;
}

/**
 * Why Docker would not use the `auths` entry for `host`: a `credsStore` or `credHelpers[host]` makes the
 * Docker CLI ask a helper instead. Undefined when the entry will be used.
 */
export async function credentialHelperFor(file: string, host: string): Promise<string | undefined> {
  const text = await readIfExists(file);
  if (!text) return undefined;
  const config = JSON.parse(text) as { credsStore?: string; credHelpers?: Record<string, string> };
  if (config.credHelpers?.[host]) return `credHelpers["${host}"] = "${config.credHelpers[host]}"`;
  if (config.credsStore) return `credsStore = "${config.credsStore}"`;
  return undefined;
}

/** Undoes a login: removes our entry or restores the replaced one; deletes what the login created. */
export async function undoDockerLogin(record: LoginRecord): Promise<RemoveOutcome> {
  const text = await readIfExists(record.file);
  if (text === undefined) return 'missing';
  const previous = record.previousFile ? await readFile(record.previousFile, 'utf8') : undefined;
  const out = removeAuthEntry(text, { ...record, previous }, record.file);
  if (out.outcome === 'removed' || out.outcome === 'restored') {
    if (out.empty && record.createdFile) await rm(record.file, { force: true });
    else await writeFileAtomic(record.file, out.text);
  }
  if (record.previousFile) await rm(record.previousFile, { force: true });
  if (record.createdDir) await rm(record.createdDir, { recursive: true, force: true });
  return out.outcome;
}
