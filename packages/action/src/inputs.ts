/**
 * The Action's typed inputs and their validation. Pure: `readInputs` takes a reader (core.getInput in
 * `context.ts`, a map in tests) so every check runs before any network call and is testable without a runner.
 * Every message names the input (kebab-case, as in action.yml) and the accepted values.
 */
import { getAzureCloud, type AzureCloudName } from '@acrkit/core/acr/login-server';
import { parseSourceDateEpoch } from '@acrkit/core/tags/oci-labels';
import { parseTagRules } from '@acrkit/core/tags/parse-tag-rules';
import { sanitizeImageName } from '@acrkit/core/tags/sanitize';
import type { TagRule } from '@acrkit/core/tags/tag-rule';
import { InputError } from './input-error';
import { isInsecureRegistry, isLoopbackRegistry, parseInsecureRegistries } from './insecure-registries';
import { parseSource, type ImageSourceSpec } from './source-spec';

export const COMMANDS = ['login', 'push', 'tag', 'meta', 'build'] as const;
export type Command = (typeof COMMANDS)[number];

export const AUTH_TYPES = ['auto', 'oidc', 'client-secret', 'managed-identity', 'default', 'password'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

/** Resolved auth: never `auto`. */
export type ResolvedAuth = Exclude<AuthType, 'auto'>;

export interface Inputs {
  command: Command;
  /** Login server host (`myreg.azurecr.io`, `127.0.0.1:5000`); '' only for `meta`. */
  registry: string;
  /**
   * Registries reached over plain http: those named in `insecure-registries`, plus `registry` when it
   * was given as `http://` (loopback only, or named). Everything else is https with TLS verification.
   */
  insecureRegistries: string[];
  /** Repository path (`team/app`), lower-cased; '' when not needed. */
  image: string;
  tagRules: TagRule[];
  latest: 'auto' | 'true' | 'false';
  prHeadSha: boolean;
  labels: Record<string, string>;
  auth: ResolvedAuth;
  clientId: string;
  tenantId: string;
  clientSecret: string;
  username: string;
  password: string;
  environment: AzureCloudName;
  /** Entra authority host; '' means the environment's. */
  authorityHost: string;
  audience: string;
  /** `auto`, `new`, or a directory that holds (or will hold) config.json. */
  dockerConfig: string;
  logout: boolean;
  source?: ImageSourceSpec;
  /** `SOURCE_DATE_EPOCH` from the environment, checked; undefined when unset. */
  sourceDateEpoch?: string;
}

/** Returns the raw input value ('' when unset), as core.getInput does. */
export type InputReader = (name: string) => string;

function oneOf<T extends string>(read: InputReader, name: string, accepted: readonly T[], fallback: T): T {
  const v = read(name).trim() || fallback;
  if (!(accepted as readonly string[]).includes(v)) throw new InputError(name, v, accepted.join(', '));
  return v as T;
}

/** Reads a boolean input the way YAML 1.2 core schema spells it; '' gives `fallback`. */
export function bool(read: InputReader, name: string, fallback: boolean): boolean {
  const v = read(name).trim();
  if (v === '') return fallback;
  if (/^(true|True|TRUE)$/.test(v)) return true;
  if (/^(false|False|FALSE)$/.test(v)) return false;
  throw new InputError(name, v, 'true, false');
}

const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

function registryInput(read: InputReader, command: Command, insecure: string[]): string {
  const given = read('registry').trim();
  const http = /^http:\/\//i.test(given);
  const raw = given.replace(/^https?:\/\//i, '').replace(/\/+$/, '').toLowerCase();
  if (raw === '' && command !== 'meta') throw new InputError('registry', '', 'a login server such as myreg.azurecr.io', `required for command: ${command}`);
  if (raw !== '' && !HOST.test(raw)) throw new InputError('registry', raw, 'a host name with an optional port, such as myreg.azurecr.io');
  if (http && !isInsecureRegistry(raw, insecure)) {
    // Never downgrade silently: plain http only for loopback or a registry the user named as insecure.
    if (!isLoopbackRegistry(raw)) throw new InputError('registry', given, 'https (the default), or http:// only for a loopback registry', `plain http to ${raw} needs it named in insecure-registries`);
    insecure.push(raw);
  }
  return raw;
}

function imageInput(read: InputReader, command: Command): string {
  const raw = sanitizeImageName(read('image'));
  const needed = command === 'push' || command === 'meta' || command === 'build';
  if (raw === '' && needed) throw new InputError('image', '', 'a repository name such as team/app', `required for command: ${command}`);
  if (raw !== '' && !REPOSITORY.test(raw)) throw new InputError('image', raw, 'a repository path of lower-case letters, digits and separators (team/app)');
  return raw;
}

function labelsInput(read: InputReader): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of read('labels').split(/\r?\n/)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new InputError('labels', line.trim(), 'one key=value a line');
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

function tagRulesInput(read: InputReader): TagRule[] {
  try {
    return parseTagRules(read('tags'));
  } catch (e) {
    throw new InputError('tags', undefined, undefined, (e as Error).message);
  }
}

/** Picks the auth for `auto` from which inputs are set; checks the inputs each auth needs. */
export function resolveAuth(type: AuthType, i: Pick<Inputs, 'clientId' | 'tenantId' | 'clientSecret' | 'username' | 'password'>): ResolvedAuth {
  const auth: ResolvedAuth = type !== 'auto' ? type
    : i.username || i.password ? 'password'
      : i.clientSecret ? 'client-secret'
        : i.clientId || i.tenantId ? 'oidc'
          : 'default';
  const need = (name: string, value: string, why: string): void => {
    if (!value) throw new InputError(name, '', 'a non-empty value', why);
  };
  if (auth === 'password') { need('username', i.username, 'auth-type password needs username and password'); need('password', i.password, 'auth-type password needs username and password'); }
  if (auth === 'oidc' || auth === 'client-secret') { need('client-id', i.clientId, `auth-type ${auth} needs client-id and tenant-id`); need('tenant-id', i.tenantId, `auth-type ${auth} needs client-id and tenant-id`); }
  if (auth === 'client-secret') need('client-secret', i.clientSecret, 'auth-type client-secret needs client-secret');
  return auth;
}

function authorityHostInput(read: InputReader): string {
  const v = read('authority-host').trim();
  if (v === '') return '';
  let url: URL | undefined;
  try { url = new URL(v); } catch { url = undefined; }
  if (!url || url.protocol !== 'https:') throw new InputError('authority-host', v, 'an https:// URL such as https://login.microsoftonline.com');
  return v.replace(/\/+$/, '');
}

/** Reads and validates every input (and SOURCE_DATE_EPOCH from `env`). Throws for the first bad one. */
export function readInputs(read: InputReader, env: Record<string, string | undefined> = {}): Inputs {
  const command = oneOf(read, 'command', COMMANDS, 'login');
  const creds = {
    clientId: read('client-id').trim(),
    tenantId: read('tenant-id').trim(),
    clientSecret: read('client-secret'),
    username: read('username').trim(),
    password: read('password'),
  };
  const environment = oneOf(read, 'environment', ['AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment'] as const, 'AzureCloud');
  getAzureCloud(environment);
  const insecureRegistries = parseInsecureRegistries(read('insecure-registries'));
  const inputs: Inputs = {
    command,
    registry: registryInput(read, command, insecureRegistries),
    insecureRegistries,
    image: imageInput(read, command),
    tagRules: tagRulesInput(read),
    latest: oneOf(read, 'latest', ['auto', 'true', 'false'] as const, 'auto'),
    prHeadSha: bool(read, 'pr-head-sha', false),
    labels: labelsInput(read),
    auth: command === 'meta' ? 'default' : resolveAuth(oneOf(read, 'auth-type', AUTH_TYPES, 'auto'), creds),
    ...creds,
    environment,
    authorityHost: authorityHostInput(read),
    audience: read('audience').trim() || 'api://AzureADTokenExchange',
    dockerConfig: read('docker-config').trim() || 'auto',
    logout: bool(read, 'logout', true),
  };
  if (command === 'build' && isInsecureRegistry(inputs.registry, insecureRegistries)) {
    // ACR Tasks push over https from Azure, and the index is pushed through the ACR backend: no http there.
    throw new InputError('insecure-registries', inputs.registry, undefined, 'command build runs in ACR Tasks and needs an https registry');
  }
  if (parseSourceDateEpoch(env.SOURCE_DATE_EPOCH)) inputs.sourceDateEpoch = env.SOURCE_DATE_EPOCH;
  if (command === 'push' || command === 'tag') inputs.source = parseSource(read('source'), command, inputs.registry);
  return inputs;
}
