/**
 * The inputs of `command: build` (ACR Tasks cloud builds), read and validated before any network call.
 * Pure: `readBuildInputs` takes a reader (core.getInput in the Action, a map in tests). Every message
 * names the input and the accepted values; a message about `secret-build-args` never holds a value.
 */
import { parsePlatform } from '@acrkit/core/acr/tasks/build-request';
import { InputError } from '../input-error';
import { bool, type InputReader } from '../inputs';

export interface BuildInputs {
  /** Build context directory as given (relative paths are relative to the workspace); `.` by default. */
  context: string;
  /** Dockerfile path (relative to the context, or absolute); undefined means `<context>/Dockerfile`. */
  file?: string;
  target?: string;
  buildArgs: Record<string, string>;
  secretBuildArgs: Record<string, string>;
  /** `os/arch[/variant]`, deduplicated; `linux/amd64` by default. */
  platforms: string[];
  noCache: boolean;
  push: boolean;
  /** Run timeout in seconds (ACR accepts 300..28800); undefined means ACR's default (3,600). */
  timeoutSeconds?: number;
  agentPool?: string;
  agentCpu?: number;
  subscriptionId?: string;
  resourceGroup?: string;
  /** Resource Manager endpoint without trailing slash; undefined means the `environment`'s. */
  armEndpoint?: string;
}

const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// ARM resource group names: 1-90 of letters, digits, _ . - ( ), not ending with a period.
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;
// Agent pool names: 3-20 letters, digits and dashes (ACR's rule for agentPools).
const AGENT_POOL = /^[a-zA-Z0-9-]{3,20}$/;
const TARGET = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const DURATION = /^(\d+)\s*(s|m|h)?$/;

interface ArgLine { name: string; value: string; line: number }

/** Splits KEY=VALUE lines; blank lines and `#` comments are skipped. Names and values are trimmed, inner spaces kept. */
function argLines(text: string): Array<ArgLine | { line: number; bad: true }> {
  const out: Array<ArgLine | { line: number; bad: true }> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) out.push({ line: i + 1, bad: true });
    else out.push({ name: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim(), line: i + 1 });
  });
  return out;
}

/** The values of `secret-build-args` as written (for masking before anything else reads them). */
export function secretBuildArgValues(text: string): string[] {
  return [...new Set(argLines(text).flatMap((a) => ('bad' in a || a.value === '' ? [] : [a.value])))];
}

function argsInput(read: InputReader, input: 'build-args' | 'secret-build-args'): Record<string, string> {
  const secret = input === 'secret-build-args';
  const out: Record<string, string> = {};
  const seen = new Map<string, number>();
  for (const a of argLines(read(input))) {
    if ('bad' in a) throw new InputError(input, secret ? undefined : read(input).split(/\r?\n/)[a.line - 1]!.trim(), 'one KEY=VALUE a line', `line ${a.line} is not KEY=VALUE`);
    if (!ARG_NAME.test(a.name)) throw new InputError(input, secret ? undefined : a.name, 'argument names of letters, digits and _ (not starting with a digit)', secret ? `line ${a.line} has a bad name` : undefined);
    if (seen.has(a.name)) throw new InputError(input, undefined, undefined, `${a.name} is given twice (lines ${seen.get(a.name)} and ${a.line})`);
    seen.set(a.name, a.line);
    out[a.name] = a.value;
  }
  return out;
}

function optional(read: InputReader, name: string, pattern: RegExp, accepted: string): string | undefined {
  const v = read(name).trim();
  if (v === '') return undefined;
  if (!pattern.test(v)) throw new InputError(name, v, accepted);
  return v;
}

function platformsInput(read: InputReader): string[] {
  const items = read('platforms').split(/[,\n]/).map((p) => p.trim()).filter(Boolean);
  for (const p of items) {
    try {
      parsePlatform(p);
    } catch {
      throw new InputError('platforms', p, 'os/arch[/variant], comma or newline separated: os linux|windows, arch amd64|x86|386|arm|arm64, variant v6|v7|v8');
    }
  }
  const unique = [...new Set(items.map((p) => p.toLowerCase()))];
  return unique.length ? unique : ['linux/amd64'];
}

function timeoutInput(read: InputReader): number | undefined {
  const v = read('timeout').trim();
  if (v === '') return undefined;
  const m = DURATION.exec(v);
  const seconds = m ? Number(m[1]) * ({ s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'] ?? 1) : NaN;
  if (!(seconds >= 300 && seconds <= 28_800)) throw new InputError('timeout', v, 'seconds (or 10m, 2h) from 300 (5m) to 28800 (8h), the range ACR Tasks accept');
  return seconds;
}

function agentCpuInput(read: InputReader): number | undefined {
  const v = read('agent-cpu').trim();
  if (v === '') return undefined;
  if (!/^[1-9]\d{0,2}$/.test(v)) throw new InputError('agent-cpu', v, 'a positive whole number of cores, such as 2');
  return Number(v);
}

function armEndpointInput(read: InputReader): string | undefined {
  const v = read('arm-endpoint').trim();
  if (v === '') return undefined;
  let url: URL | undefined;
  try { url = new URL(v); } catch { url = undefined; }
  if (!url || url.protocol !== 'https:' || url.search || url.hash) throw new InputError('arm-endpoint', v, 'an https:// URL such as https://management.azure.com');
  return v.replace(/\/+$/, '');
}

/** Reads and validates the build inputs. Throws InputError for the first bad one. */
export function readBuildInputs(read: InputReader): BuildInputs {
  const buildArgs = argsInput(read, 'build-args');
  const secretBuildArgs = argsInput(read, 'secret-build-args');
  const both = Object.keys(buildArgs).find((k) => k in secretBuildArgs);
  if (both) throw new InputError('secret-build-args', undefined, undefined, `${both} is also in build-args; give each argument once`);
  const file = read('file').trim();
  const inputs: BuildInputs = {
    context: read('context').trim() || '.',
    ...(file ? { file } : {}),
    buildArgs,
    secretBuildArgs,
    platforms: platformsInput(read),
    noCache: bool(read, 'no-cache', false),
    push: bool(read, 'push', true),
  };
  const target = optional(read, 'target', TARGET, 'a build stage name (letters, digits, _ . -)');
  if (target) inputs.target = target;
  const timeoutSeconds = timeoutInput(read);
  if (timeoutSeconds !== undefined) inputs.timeoutSeconds = timeoutSeconds;
  const agentPool = optional(read, 'agent-pool', AGENT_POOL, 'an agent pool name of 3-20 letters, digits and -');
  if (agentPool) inputs.agentPool = agentPool;
  const agentCpu = agentCpuInput(read);
  if (agentCpu !== undefined) inputs.agentCpu = agentCpu;
  const subscriptionId = optional(read, 'subscription-id', GUID, 'a subscription id (a GUID)');
  if (subscriptionId) inputs.subscriptionId = subscriptionId;
  const resourceGroup = optional(read, 'resource-group', RESOURCE_GROUP, 'a resource group name (1-90 letters, digits, _ . - ( ), not ending with .)');
  if (resourceGroup) inputs.resourceGroup = resourceGroup;
  const armEndpoint = armEndpointInput(read);
  if (armEndpoint) inputs.armEndpoint = armEndpoint;
  return inputs;
}
