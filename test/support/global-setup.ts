/**
 * Vitest global setup: makes sure the machine's rig CA exists and exports NODE_EXTRA_CA_CERTS so the
 * forked test workers (which Node starts after this runs) trust the rig's HTTPS servers. Node reads
 * that variable only at process start, which is why this cannot happen inside a test file.
 * People running clients by hand: `npm run rig` prints the matching `export NODE_EXTRA_CA_CERTS=...`.
 */
import { ensureRigCa } from '../rig/ca';

export default async function setup(): Promise<void> {
  const ca = await ensureRigCa();
  process.env.NODE_EXTRA_CA_CERTS = ca.certFile;
}
