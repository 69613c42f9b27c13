/** Shared helpers of the extension-host tests: the rig's details, the extension's API, tree walking. */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { AcrkitApi } from '../../src/extension';
import type { ModelNode } from '../../src/model/nodes';
import type { Prompts } from '../../src/prompts';

export interface RigDetails {
  loginServer: string;
  username: string;
  password: string;
  caFile: string;
  appTags: string[];
  /** The dev rig's process: SIGUSR2 makes it write `<ACRKIT_E2E_RIG>.secrets.json`. */
  pid: number;
  entra: { authorityHost: string; tenantId: string; clientId: string; clientSecret: string };
  arm?: { endpoint: string; tenants: Array<{ tenantId: string; displayName: string; defaultDomain?: string }>; subscriptionId: string; resourceGroup: string; registryName: string; registryId: string };
}

/** What the dev rig writes on SIGUSR2: every secret handed out so far, the ARM stand-in's SAS signatures apart. */
export interface RigSecretsDump {
  rig: string[];
  sasSignatures: string[];
}

export function rigDetails(): RigDetails {
  const file = process.env.ACRKIT_E2E_RIG;
  assert.ok(file, 'ACRKIT_E2E_RIG is not set: run through scripts/vscode-e2e.sh');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RigDetails;
}

export async function api(): Promise<AcrkitApi> {
  const ext = vscode.extensions.getExtension<AcrkitApi>('acrkit.acrkit-vscode');
  assert.ok(ext, 'extension acrkit.acrkit-vscode not found');
  return ext.activate();
}

export function labelOf(api: AcrkitApi, node: ModelNode): string {
  const label = api.tree.getTreeItem(node).label;
  return typeof label === 'string' ? label : label?.label ?? '';
}

/** Children of a node through the provider, as VS Code asks for them. */
export async function children(api: AcrkitApi, node?: ModelNode): Promise<ModelNode[]> {
  return api.tree.getChildren(node);
}

/** Walks down by labels and returns the last node. */
export async function find(api: AcrkitApi, ...path: Array<string | RegExp>): Promise<ModelNode> {
  let node: ModelNode | undefined;
  for (const step of path) {
    const list = await children(api, node);
    const found = list.find((n) => (typeof step === 'string' ? labelOf(api, n) === step : step.test(labelOf(api, n))));
    assert.ok(found, `no ${String(step)} among ${list.map((n) => labelOf(api, n)).join(', ')}`);
    node = found;
  }
  return node!;
}

/** Prompts that answer confirmations with `confirm` and record what was asked. */
export function scriptedPrompts(confirm: boolean, asked: string[]): Prompts {
  return {
    confirm: async (message, detail) => { asked.push(`${message}\n${detail}`); return confirm; },
    input: async () => undefined,
    pickOne: async () => undefined,
    pickMany: async () => undefined,
    info: (message) => { asked.push(message); },
  };
}
