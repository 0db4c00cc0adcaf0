/**
 * Reads the finalized feature levels (`metadata.version` among them) a broker reports: Kafka sends
 * them as tagged fields of the ApiVersions v3 response, which is how `kafka-features describe` and
 * Java's `Admin.describeFeatures` learn them. The client library parses ApiVersions without those
 * fields, so this is a second parser for the same request. Start with {@link apiVersionsWithFeatures}.
 */
import { apiVersionsV3, createAPI, type Reader } from '@platformatic/kafka';

export interface FinalizedFeatures {
  errorCode: number;
  /** Feature name → finalized max level (`metadata.version` → 21 for 3.9-IV0). */
  finalized: Map<string, number>;
  /** Feature name → highest level this broker's software supports. */
  supported: Map<string, number>;
}

/** ApiVersions v3 response: error_code, api_keys, throttle_time_ms, then tagged fields (0:
 * SupportedFeatures, 1: FinalizedFeaturesEpoch, 2: FinalizedFeatures, 3: ZkMigrationReady). */
function parseResponse(
  _correlationId: number,
  _apiKey: number,
  _apiVersion: number,
  reader: Reader,
): FinalizedFeatures {
  const errorCode = reader.readInt16();
  reader.readArray((r) => [r.readInt16(), r.readInt16(), r.readInt16()]);
  reader.readInt32();
  const result: FinalizedFeatures = { errorCode, finalized: new Map(), supported: new Map() };
  const fields = reader.remaining > 0 ? reader.readUnsignedVarInt() : 0;
  for (let i = 0; i < fields; i++) {
    const tag = reader.readUnsignedVarInt();
    const size = reader.readUnsignedVarInt();
    if (tag === 0) {
      for (const [name, , max] of reader.readArray(
        (r) => [r.readString(), r.readInt16(), r.readInt16()] as const,
      ))
        result.supported.set(name, max);
    } else if (tag === 2) {
      for (const [name, max] of reader.readArray(
        (r) => [r.readString(), r.readInt16(), r.readInt16()] as const,
      ))
        result.finalized.set(name, max);
    } else reader.skip(size);
  }
  return result;
}

export const apiVersionsWithFeatures = createAPI<
  [clientSoftwareName: string, clientSoftwareVersion: string],
  FinalizedFeatures
>(18, 3, apiVersionsV3.createRequest, parseResponse, true, false);
