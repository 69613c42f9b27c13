/**
 * A run's log as ACR keeps it: an append blob (`logs/<runId>/rawtext.log`) that grows while the
 * agent works and gets the metadata `Complete=<final status>` when the run ends. Writes are batched
 * (every 100 ms) and serialised, so the blob grows in order and in realistic chunks.
 */
import type { AppendBlobClient } from '@azure/storage-blob';

export class LogBlob {
  private pending: Buffer[] = [];
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly blob: AppendBlobClient) {}

  /** Creates the (empty) append blob. */
  static async create(blob: AppendBlobClient): Promise<LogBlob> {
    await blob.createIfNotExists({ blobHTTPHeaders: { blobContentType: 'text/plain; charset=utf-8' } });
    return new LogBlob(blob);
  }

  /** Queues bytes; they reach the blob within about 100 ms. */
  write(data: string | Buffer): void {
    this.pending.push(typeof data === 'string' ? Buffer.from(data) : data);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, 100);
  }

  /** Writes a timestamped line, as ACR's own agent messages look (`2026/03/24 00:29:12 ...`). */
  line(text: string): void {
    const now = new Date().toISOString().replace('T', ' ').replace(/-/g, '/').slice(0, 19);
    this.write(`${now} ${text}\n`);
  }

  /** Appends everything queued so far. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    if (data.length > 0) {
      // Azure caps one Append Block at 4 MiB; build logs stay far below per 100 ms.
      this.chain = this.chain.then(() => this.blob.appendBlock(data, data.length).then(() => undefined));
    }
    return this.chain;
  }

  /** Flushes and sets `Complete` (ACR's spelling of the final status: Succeeded, Failed, Canceled, TimedOut, InternalError). */
  async complete(status: string): Promise<void> {
    await this.flush();
    await this.blob.setMetadata({ Complete: status });
  }
}
