/**
 * The Management API's view of the ring (`GET /api/v0/metadata/endpoints`: one gossip endpoint state
 * per member, every value a string) and how it reads as `nodetool status`. Start with
 * {@link ringMemberOf}; {@link endpointStateOf} writes the same shape (the simulation's test server).
 */
import type { RingMember, RingState } from './cassandraAdmin.js';

/** One entry of the endpoints answer's `entity` list, as Cassandra's gossiper names the fields. */
export interface EndpointState {
  DC?: string;
  RACK?: string;
  HOST_ID?: string;
  ENDPOINT_IP?: string;
  /** `"true"` or `"false"`: whether this node's failure detector thinks the member is up. */
  IS_ALIVE?: string;
  /** The gossip status and its tokens, e.g. `NORMAL,-2444908528344618126`, `BOOT,…`, `LEAVING,…`. */
  STATUS?: string;
  STATUS_WITH_PORT?: string;
  /** Bytes on disk, as a decimal string (`"135527.0"`). */
  LOAD?: string;
  [field: string]: string | undefined;
}

export interface EndpointsResponse {
  entity: EndpointState[];
}

/**
 * The gossip status word behind `nodetool status`'s second letter. `BOOT` is a node streaming its
 * ranges in (Joining); `LEAVING` one streaming them out; `LEFT` (and `removed`, after `removenode`) one
 * gone from the ring that gossip still remembers. A member with no status yet is still starting up,
 * which nodetool also shows as Joining.
 */
function movementOf(status: string): 'N' | 'J' | 'L' | 'M' | 'LEFT' {
  const word = status.split(',')[0]?.toUpperCase() ?? '';
  if (word === 'NORMAL' || word === 'SHUTDOWN') return 'N';
  if (word === 'LEAVING' || word === 'REMOVING') return 'L';
  if (word === 'LEFT' || word === 'REMOVED') return 'LEFT';
  if (word === 'MOVING') return 'M';
  return 'J';
}

/** Reads one endpoint state as a ring member; a missing LOAD (not gossiped yet) is 0 bytes. */
export function ringMemberOf(state: EndpointState): RingMember {
  const movement = movementOf(state.STATUS_WITH_PORT ?? state.STATUS ?? '');
  const up = state.IS_ALIVE === 'true';
  const ringState: RingState = movement === 'LEFT' ? 'LEFT' : (((up ? 'U' : 'D') + movement) as RingState);
  const load = Number(state.LOAD ?? '0');
  return {
    address: state.ENDPOINT_IP ?? '',
    hostId: state.HOST_ID ?? '',
    rack: state.RACK ?? '',
    datacenter: state.DC ?? '',
    state: ringState,
    load: Number.isFinite(load) ? Math.round(load) : 0,
  };
}

const STATUS_WORD: Record<string, string> = { N: 'NORMAL', J: 'BOOT', L: 'LEAVING', M: 'MOVING' };

/** The endpoint state a Management API would answer for `member` (tokens left out). */
export function endpointStateOf(member: RingMember): EndpointState {
  const status = member.state === 'LEFT' ? 'LEFT' : (STATUS_WORD[member.state.slice(1)] ?? 'NORMAL');
  return {
    DC: member.datacenter,
    RACK: member.rack,
    HOST_ID: member.hostId,
    ENDPOINT_IP: member.address,
    IS_ALIVE: String(member.state.startsWith('U')),
    STATUS: status,
    STATUS_WITH_PORT: status,
    LOAD: `${member.load}.0`,
  };
}
