/**
 * Progress of the build-context upload in the job log: a line per UPLOAD_LOG_STEP sent, so a large
 * context shows it is moving without flooding the log (the core logs the total when it is done).
 */
const MiB = 1 << 20;
export const UPLOAD_LOG_STEP = 32 * MiB;

/** Returns the `onUpload` hook for runCloudBuild, writing through `info`. */
export function uploadProgressLog(info: (line: string) => void): (progress: { entries: number; bytesSent: number }) => void {
  let next = UPLOAD_LOG_STEP;
  return ({ entries, bytesSent }) => {
    if (bytesSent < next) return;
    next = (Math.floor(bytesSent / UPLOAD_LOG_STEP) + 1) * UPLOAD_LOG_STEP;
    info(`uploading the build context (${entries} entries): ${Math.floor(bytesSent / MiB)} MiB sent`);
  };
}
