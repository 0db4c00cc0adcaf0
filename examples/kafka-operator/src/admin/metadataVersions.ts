/**
 * KRaft `metadata.version` levels (`3.9-IV0`): parsing, ordering, and the highest level each Kafka
 * release supports. The finalized level can only be raised once every node runs software that
 * supports it, which is why an upgrade rolls every pod before raising it. Start with
 * {@link highestMetadataVersion}.
 */

export interface MetadataLevel {
  major: number;
  minor: number;
  iv: number;
}

/** The last `-IV` level of each release (the level a fresh cluster of that release starts at). */
const LATEST_IV: Record<string, number> = {
  '3.3': 3,
  '3.4': 0,
  '3.5': 2,
  '3.6': 2,
  '3.7': 4,
  '3.8': 0,
  '3.9': 0,
  '4.0': 3,
  '4.1': 1,
};

/** `3.9-IV0` → `{ major: 3, minor: 9, iv: 0 }`; a bare `3.9` means its last level; else undefined. */
export function parseMetadataVersion(level: string): MetadataLevel | undefined {
  const match = /^(\d+)\.(\d+)(?:-IV(\d+))?$/.exec(level.trim());
  if (match === null) return undefined;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  const iv = match[3] === undefined ? (LATEST_IV[`${major}.${minor}`] ?? 0) : Number(match[3]);
  return { major, minor, iv };
}

export function formatMetadataVersion(level: MetadataLevel): string {
  return `${level.major}.${level.minor}-IV${level.iv}`;
}

/** Negative, zero or positive as `a` is below, at or above `b`. */
export function compareMetadataVersions(a: MetadataLevel, b: MetadataLevel): number {
  return a.major - b.major || a.minor - b.minor || a.iv - b.iv;
}

/** The highest `metadata.version` Kafka `version` (`3.9.0`) can run, e.g. `3.9-IV0`. */
export function highestMetadataVersion(version: string): string | undefined {
  const match = /^(\d+)\.(\d+)/.exec(version.trim());
  if (match === null) return undefined;
  const release = `${match[1]}.${match[2]}`;
  return `${release}-IV${LATEST_IV[release] ?? 0}`;
}
