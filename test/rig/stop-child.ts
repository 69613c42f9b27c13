/** Stopping the servers the rig starts: one place for "ask, then insist". */
import type { ChildProcess } from 'node:child_process';

/** SIGTERM, then SIGKILL if it is still running after `graceMs`; resolves once it has exited (at once if it had). */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
