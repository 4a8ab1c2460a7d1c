// The contract's codec-filter shapes (§3.8, §3.13) in jco's value model, and what a decoding proxy mode asks
// of the plugin runtime for each connection (plugins/codec-router.ts answers).
import type { ConnectionState, RawPacket } from './guest-types';

export interface CodecFilterMetadata {
  id: string;
  /** 0 = first … 4 = last. */
  priority: number;
  after: string[];
  before: string[];
  /** 0.3.0: a side that cannot run this filter refuses (or later closes) its connection. */
  required?: boolean;
}

export type ConnectionSide = 'client-side' | 'server-side';

export interface CodecSessionInit {
  clientVersion: number;
  connectionId: bigint;
  remoteAddr: string;
  realIp: string | undefined;
  side: ConnectionSide;
}

export interface FilterExtras {
  packet: RawPacket | undefined;
  injectBefore: RawPacket[];
  injectAfter: RawPacket[];
}

export type CodecFilterError =
  | { tag: 'translation-failed'; val: string }
  | { tag: 'malformed-payload' }
  | { tag: 'unsupported-version'; val: number }
  | { tag: 'internal'; val: string };

export type FilterOutput =
  | { tag: 'pass' }
  | { tag: 'drop' }
  | { tag: 'pass-modified'; val: FilterExtras }
  | { tag: 'replace'; val: FilterExtras }
  | { tag: 'error'; val: CodecFilterError };

/** What the chain of filters of one side made of a frame: the packets to send in its place (none = dropped). */
export type ChainVerdict = { tag: 'pass' } | { tag: 'packets'; val: RawPacket[] } | { tag: 'close'; reason: string };

/** The filters of one side of one connection, in order. */
export interface CodecChain {
  /** Set when a required filter could not be created for this side: the connection is refused with it (JSON text). */
  refused?: string;
  /** The frames of one batch (one read of a socket), in order: a verdict for each. */
  filterBatch(packets: RawPacket[]): Promise<ChainVerdict[]>;
  stateChange(state: ConnectionState): void;
  compressionChange(threshold: number): void;
  encryptionEnabled(): void;
  close(): void;
}

export interface CodecDispatcher {
  /** Whether any filter is registered now (a connection opened while none is never filtered). */
  active(): boolean;
  /** A chain for one side of a new connection, or undefined when no filter is registered. */
  open(init: CodecSessionInit): Promise<CodecChain | undefined>;
}

export const noCodecDispatcher: CodecDispatcher = { active: () => false, open: async () => undefined };
