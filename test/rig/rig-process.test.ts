import { existsSync } from 'node:fs';
import { expect, test } from 'vitest';
import { startRigProcess } from './rig-process';

test('a rig in a child process serves the front and stops with its registry', async () => {
  const rig = await startRigProcess({ anonymousPull: true });
  try {
    const res = await fetch(`${rig.url}/oauth2/token?service=${rig.loginServer}&scope=repository:x:pull`);
    expect(res.status).toBe(200);
    expect(rig.secrets).toContain(rig.admin.password);
    // The default /acr/v1 plugin is loaded in the child too.
    const catalog = await fetch(`${rig.url}/acr/v1/_catalog`, { headers: { authorization: `Basic ${Buffer.from(`${rig.admin.username}:${rig.admin.password}`).toString('base64')}` } });
    expect(catalog.status).toBe(200);
    expect(existsSync(`/proc/${rig.distributionPid}`)).toBe(true);
  } finally {
    await rig.stop();
  }
  expect(existsSync(`/proc/${rig.distributionPid}`)).toBe(false);
  expect(existsSync(rig.storageDir)).toBe(false);
});
