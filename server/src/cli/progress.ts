// The progress line on stderr ("Analysing 120/900 src/x.ts"), rewritten in place; only on a terminal.
import { displayFilePath } from '../engine/report';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressReporter {
  update(progress: { done: number; total: number; file?: string }): void;
  /** Erases the line so that the report and the summary start on a clean line. */
  finish(): void;
}

const MINIMUM_INTERVAL_MS = 50;

export function createProgressReporter(stream: ProgressStream, cwd: string, enabled: boolean): ProgressReporter {
  if (!enabled || !stream.isTTY) return { update: () => undefined, finish: () => undefined };
  let shown = false;
  let lastWrite = 0;
  return {
    update({ done, total, file }) {
      const now = Date.now();
      if (now - lastWrite < MINIMUM_INTERVAL_MS && done < total) return;
      lastWrite = now;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      const line = `Analysing ${done}/${total}${file ? ` ${displayFilePath(cwd, file)}` : ''}`;
      stream.write(`\r\u001b[2K${line.length > width ? `${line.slice(0, width - 1)}\u2026` : line}`);
      shown = true;
    },
    finish() {
      if (shown) stream.write('\r\u001b[2K');
      shown = false;
    },
  };
}
