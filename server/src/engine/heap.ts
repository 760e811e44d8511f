// A full garbage collection on demand: the language server's worker collects what its analyses leave behind, and the
// CLI collects a project's Program once its analysis is over (see `ScanOptions.releaseMemory`).
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let collector: (() => void) | null | undefined;

/**
 * A full garbage collection of this thread's heap, or false when the runtime offers none. Node has no API for it:
 * `gc` is only exposed with `--expose-gc`, which an editor does not pass, so the flag is set at run time and the
 * function taken from a fresh context (what Jest's leak detector does). V8 flags are process-wide, but this one only
 * adds a `gc` global to contexts created later; the server creates none.
 */
export function collectGarbage(): boolean {
  if (collector === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    try {
      if (!exposed) v8.setFlagsFromString('--expose-gc');
      collector = exposed ?? (vm.runInNewContext('gc') as () => void);
    } catch {
      collector = null;
    }
  }
  if (!collector) return false;
  collector();
  return true;
}
