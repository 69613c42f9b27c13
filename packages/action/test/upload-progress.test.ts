import { describe, expect, it } from 'vitest';
import { UPLOAD_LOG_STEP, uploadProgressLog } from '../src/build/upload-progress';

describe('uploadProgressLog', () => {
  it('writes one line per step crossed, not per block', () => {
    const lines: string[] = [];
    const onUpload = uploadProgressLog((l) => lines.push(l));
    for (let sent = 4 << 20; sent <= 3 * UPLOAD_LOG_STEP + (8 << 20); sent += 4 << 20) onUpload({ entries: 120, bytesSent: sent });
    expect(lines).toEqual([
      'uploading the build context (120 entries): 32 MiB sent',
      'uploading the build context (120 entries): 64 MiB sent',
      'uploading the build context (120 entries): 96 MiB sent',
    ]);
  });

  it('a block that jumps several steps gives one line', () => {
    const lines: string[] = [];
    const onUpload = uploadProgressLog((l) => lines.push(l));
    onUpload({ entries: 3, bytesSent: 1 << 20 });
    onUpload({ entries: 3, bytesSent: 2 * UPLOAD_LOG_STEP + 5 });
    onUpload({ entries: 3, bytesSent: 2 * UPLOAD_LOG_STEP + 9 });
    expect(lines).toEqual(['uploading the build context (3 entries): 64 MiB sent']);
  });
});
