/**
 * Turns a byte stream into text lines: UTF-8 decoded across chunk boundaries, `\n` and `\r\n` line
 * ends, the last partial line held back until its end (or `flush`) arrives.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  /** Adds bytes; emits every line they complete. */
  push(chunk: Uint8Array): void {
    this.pending += this.decoder.decode(chunk, { stream: true });
    let at = this.pending.indexOf('\n');
    while (at >= 0) {
      const line = this.pending.slice(0, at);
      this.pending = this.pending.slice(at + 1);
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      at = this.pending.indexOf('\n');
    }
  }

  /** Emits what is left as a last line (a log that does not end with a line break). */
  flush(): void {
    this.pending += this.decoder.decode();
    if (this.pending.length > 0) this.onLine(this.pending);
    this.pending = '';
  }
}
