// The artifacts table of a merged SARIF run: every artifact location re-numbered, each file listed once, in the
// order the locations are visited.
import type * as Sarif from 'sarif';
import { isObject } from './sarif-check';

/** Re-numbers artifact locations in the merged run, listing each file once. */
export class ArtifactTable {
  readonly list: Sarif.Artifact[] = [];
  private readonly indexByKey = new Map<string, number>();
  private readonly visited = new WeakSet<object>();

  /** Every artifact location under `value` (properties named artifactLocation or analysisTarget), in key order. */
  visit(value: unknown, run: Sarif.Run): void {
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, run);
      return;
    }
    if (!isObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'artifactLocation' || key === 'analysisTarget') && isObject(child)) this.relocate(child as Sarif.ArtifactLocation, run);
      else this.visit(child, run);
    }
  }

  /** An artifact of an input that nothing references (another tool may list every file it read). */
  keep(artifact: Sarif.Artifact, index: number): void {
    const location = artifact.location ?? {};
    const key = location.uri !== undefined ? artifactKey(location) : `#${index}`;
    if (this.indexByKey.has(key) || location.uri === undefined) return;
    this.indexByKey.set(key, this.list.length);
    this.list.push(withoutIndex(clone(artifact)));
  }

  private relocate(location: Sarif.ArtifactLocation, run: Sarif.Run): void {
    if (this.visited.has(location)) return;
    this.visited.add(location);
    const resolved = resolveArtifactLocation(location, run);
    if (!resolved) return;
    const key = artifactKey(resolved);
    let index = this.indexByKey.get(key);
    if (index === undefined) {
      index = this.list.length;
      this.indexByKey.set(key, index);
      const original = location.index !== undefined ? run.artifacts?.[location.index] : undefined;
      this.list.push(original ? withoutIndex(clone(original)) : { location: { uri: resolved.uri, ...(resolved.uriBaseId !== undefined && { uriBaseId: resolved.uriBaseId }) } });
    }
    if (location.uri === undefined) {
      location.uri = resolved.uri;
      if (resolved.uriBaseId !== undefined) location.uriBaseId = resolved.uriBaseId;
    }
    // index last, as the SARIF writer puts it.
    delete location.index;
    location.index = index;
  }
}

export function resolveArtifactLocation(location: Sarif.ArtifactLocation, run: Sarif.Run): Sarif.ArtifactLocation | undefined {
  if (location.uri !== undefined) return { uri: location.uri, ...(location.uriBaseId !== undefined && { uriBaseId: location.uriBaseId }) };
  const listed = location.index !== undefined ? run.artifacts?.[location.index]?.location : undefined;
  if (listed?.uri === undefined) return undefined;
  return { uri: listed.uri, ...(listed.uriBaseId !== undefined && { uriBaseId: listed.uriBaseId }) };
}

export function artifactKey(location: Sarif.ArtifactLocation): string {
  return `${location.uriBaseId ?? ''}\n${location.uri ?? ''}`;
}

function withoutIndex(artifact: Sarif.Artifact): Sarif.Artifact {
  if (artifact.location) delete artifact.location.index;
  return artifact;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
