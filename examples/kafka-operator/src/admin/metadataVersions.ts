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

/**
 * Feature levels of `metadata.version` as the wire carries them (Kafka's `MetadataVersion` enum):
 * UpdateFeatures takes the number, and ApiVersions reports it.
 */
const LEVELS: [string, number][] = [
  ['3.3-IV3', 7],
  ['3.4-IV0', 8],
  ['3.5-IV0', 9],
  ['3.5-IV1', 10],
  ['3.5-IV2', 11],
  ['3.6-IV0', 12],
  ['3.6-IV1', 13],
  ['3.6-IV2', 14],
  ['3.7-IV0', 15],
  ['3.7-IV1', 16],
  ['3.7-IV2', 17],
  ['3.7-IV3', 18],
  ['3.7-IV4', 19],
  ['3.8-IV0', 20],
  ['3.9-IV0', 21],
  ['4.0-IV0', 22],
  ['4.0-IV1', 23],
  ['4.0-IV2', 24],
  ['4.0-IV3', 25],
  ['4.1-IV0', 26],
  ['4.1-IV1', 27],
];

/** `3.9-IV0` → 21; undefined for a level this table does not know. */
export function metadataFeatureLevel(version: string): number | undefined {
  const level = parseMetadataVersion(version);
  if (level === undefined) return undefined;
  return LEVELS.find(([name]) => name === formatMetadataVersion(level))?.[1];
}

/** 21 → `3.9-IV0`; undefined for a number this table does not know. */
export function metadataVersionName(featureLevel: number): string | undefined {
  return LEVELS.find(([, n]) => n === featureLevel)?.[0];
}
