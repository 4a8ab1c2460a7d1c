// What both contracts' callback tables share, generic over each contract's own types (a shared module must
// not import one contract's interfaces): the limbo handler and packet filter a plugin writes, and the
// lifecycle calls of the codec-filter export's resource.
import { guarded } from './runtime';

/** A limbo handler: what the host calls for the players it holds (kit/limbo.ts registers them). */
export interface LimboHandlerOf<Session, Result, EndReason> {
  /** A player enters: answer at once, or hold (then complete through `session.acquireHandle()` later). */
  enter: (session: Session) => Result;
  chat?: (session: Session, message: string) => void;
  command?: (session: Session, command: string, args: string[]) => void;
  disconnect?: (playerId: number) => void;
  end?: (playerId: number, reason: EndReason) => void;
}

/** One connection side's filter (kit/codec.ts registers the factories that make them). */
export interface PacketFilterOf<Output, State> {
  /** The answer for one packet: pass and drop cost nothing; a changed packet or injected ones are output. */
  filter(packetId: number, data: Uint8Array): Output;
  onStateChange?(state: State): void;
  onCompressionChange?(threshold: number): void;
  onEncryptionEnabled?(): void;
  onClose?(): void;
}

/** The codec-filter resource's lifecycle calls: each reaches the plugin's filter, a throw is logged. */
export class FilterLifecycle<State, Filter extends PacketFilterOf<unknown, State>> {
  constructor(protected readonly impl: Filter | undefined) {}
  onStateChange(state: State): void {
    guarded('codec filter on-state-change', () => this.impl?.onStateChange?.(state), undefined);
  }
  onCompressionChange(threshold: number): void {
    guarded('codec filter on-compression-change', () => this.impl?.onCompressionChange?.(threshold), undefined);
  }
  onEncryptionEnabled(): void {
    guarded('codec filter on-encryption-enabled', () => this.impl?.onEncryptionEnabled?.(), undefined);
  }
  onClose(): void {
    guarded('codec filter on-close', () => this.impl?.onClose?.(), undefined);
  }
}
