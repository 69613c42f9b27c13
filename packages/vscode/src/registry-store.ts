/**
 * Registries added by hand: login server, auth kind and user name in `globalState`; passwords and
 * tokens only in `SecretStorage` (never settings or state). Also serves a registry handed to this
 * session by the environment (the local rig in "Run extension on the local rig"), kept in memory.
 */
import * as vscode from 'vscode';
import { manualRegistryId, normalizeLoginServer, type RegistryAuth, type RegistryEntry, type RegistrySource, secretKey } from './model/registry-entry';

const STATE_KEY = 'acrkit.registries';

interface StoredRegistry {
  loginServer: string;
  auth: RegistryAuth;
  username?: string;
  backend?: 'acr' | 'distribution';
}

/** What "Add registry" collects. */
export interface NewRegistry {
  loginServer: string;
  auth: RegistryAuth;
  /** 'acr' for an ACR behind a custom domain (or the local rig); undefined decides from the login server. */
  backend?: 'acr' | 'distribution';
  username?: string;
  /** Password or token; stored in SecretStorage only. */
  password?: string;
}

export class ManualRegistryStore implements RegistrySource {
  readonly name = 'Added registries';
  private readonly session = new Map<string, { entry: RegistryEntry; password?: string }>();

  constructor(private readonly state: vscode.Memento, private readonly secrets: vscode.SecretStorage) {}

  async listRegistries(): Promise<RegistryEntry[]> {
    const stored = this.state.get<StoredRegistry[]>(STATE_KEY, []).map(toEntry);
    return [...stored, ...[...this.session.values()].map((s) => s.entry)];
  }

  /** Adds (or replaces) a registry; the password goes to SecretStorage. */
  async add(input: NewRegistry): Promise<RegistryEntry> {
    const entry = toEntry({ loginServer: normalizeLoginServer(input.loginServer), auth: input.auth, username: input.auth === 'basic' ? input.username : undefined, backend: input.backend });
    if (entry.auth === 'basic' && (!entry.username || !input.password)) {
      throw new Error(`registry ${entry.loginServer}: a user name and a password or token are required for Basic sign-in`);
    }
    const others = this.state.get<StoredRegistry[]>(STATE_KEY, []).filter((r) => manualRegistryId(r.loginServer) !== entry.id);
    await this.state.update(STATE_KEY, [...others, { loginServer: entry.loginServer, auth: entry.auth, username: entry.username, backend: entry.backend }]);
    if (input.password) await this.secrets.store(secretKey(entry), input.password);
    return entry;
  }

  /** Adds a registry for this session only (not persisted; the password stays in memory). */
  addForSession(input: NewRegistry): RegistryEntry {
    const entry = toEntry({ loginServer: normalizeLoginServer(input.loginServer), auth: input.auth, username: input.username, backend: input.backend });
    this.session.set(entry.id, { entry, password: input.password });
    return entry;
  }

  async remove(entry: RegistryEntry): Promise<void> {
    this.session.delete(entry.id);
    const kept = this.state.get<StoredRegistry[]>(STATE_KEY, []).filter((r) => manualRegistryId(r.loginServer) !== entry.id);
    await this.state.update(STATE_KEY, kept);
    await this.secrets.delete(secretKey(entry));
  }

  /** The stored password or token of a Basic registry. */
  async password(entry: RegistryEntry): Promise<string | undefined> {
    return this.session.get(entry.id)?.password ?? (await this.secrets.get(secretKey(entry)));
  }
}

function toEntry(stored: StoredRegistry): RegistryEntry {
  return { id: manualRegistryId(stored.loginServer), loginServer: stored.loginServer, source: 'manual', auth: stored.auth, username: stored.username, backend: stored.backend };
}
