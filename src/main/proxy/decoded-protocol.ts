// The Minecraft versions the decoding modes speak, and minecraft-protocol's codecs for them (serializer and
// deserializer compiled from minecraft-data's packet definitions). Only packets the proxy acts on are
// parsed; everything else crosses as a frame whose id at most is read.

import mc from 'minecraft-protocol';
import minecraftData from 'minecraft-data';
import { ProtocolError } from './packet-codec.ts';

export type WireState = 'login' | 'configuration' | 'play';
export type Direction = 'toClient' | 'toServer';

/** A parsed packet: minecraft-protocol's field names for this version. */
export interface Packet {
  name: string;
  params: Record<string, unknown>;
}

/** Protocol number → the library version whose data decodes it (1.8.x all share protocol 47). */
const VERSIONS = new Map<number, string>([
  [47, '1.8.9'],
  [764, '1.20.2'],
  [765, '1.20.4'],
  [766, '1.20.6'],
  [767, '1.21.1'],
  [768, '1.21.3'],
  [769, '1.21.4'],
]);

/** What the decoding modes can speak, for messages: "1.8.9, 1.20.2 – 1.21.4". */
export const SUPPORTED_RANGE = '1.8.9 and 1.20.2 – 1.21.4';

export interface VersionCodec {
  protocol: number;
  version: string;
  /** 1.20.2+: login ends in a configuration phase, and a server switch goes through it. */
  hasConfiguration: boolean;
  /** 1.20.3+: chat components travel as NBT in play and configuration packets. */
  nbtText: boolean;
  /** 1.19+: chat goes through `chat_message` with signatures; older versions use `chat`. */
  signedChat: boolean;
  id(state: WireState, direction: Direction, name: string): number | undefined;
  name(state: WireState, direction: Direction, id: number): string | undefined;
  /** The packet (id + fields), serialized by minecraft-protocol. */
  encode(state: WireState, direction: Direction, packet: Packet): Buffer;
  /** Parses a whole packet (id + fields); a malformed or short packet is a ProtocolError. */
  decode(state: WireState, direction: Direction, packet: Buffer): Packet;
}

const codecs = new Map<number, VersionCodec>();

/** The codec for a client's protocol number, or undefined when the decoding modes cannot speak it. */
export function codecFor(protocol: number): VersionCodec | undefined {
  const version = VERSIONS.get(protocol);
  if (!version) return undefined;
  let codec = codecs.get(protocol);
  if (!codec) {
    codec = createCodec(protocol, version);
    codecs.set(protocol, codec);
  }
  return codec;
}

interface ProtoDefStream {
  createPacketBuffer(packet: { name: string; params: unknown }): Buffer;
  parsePacketBuffer(buf: Buffer): { data: { name: string; params: Record<string, unknown> }; metadata: { size: number } };
}

function createCodec(protocol: number, version: string): VersionCodec {
  const data = minecraftData(version);
  if (!data) throw new Error(`minecraft-data has no definitions for ${version}`);
  const idMaps = new Map<string, { byName: Map<string, number>; byId: Map<number, string> }>();
  const ids = (state: WireState, direction: Direction) => {
    const key = `${state}.${direction}`;
    let m = idMaps.get(key);
    if (!m) {
      m = { byName: new Map(), byId: new Map() };
      const proto = data.protocol as unknown as Record<string, Record<Direction, { types: { packet: unknown[] } }> | undefined>;
      const packetType = proto[state]?.[direction]?.types.packet as [string, [{ type: [string, { mappings: Record<string, string> }] }]] | undefined;
      for (const [hex, name] of Object.entries(packetType?.[1][0].type[1].mappings ?? {})) {
        m.byName.set(name, Number(hex));
        m.byId.set(Number(hex), name);
      }
      idMaps.set(key, m);
    }
    return m;
  };
  // One serializer/deserializer per state and direction, created on first use and shared by every connection.
  const serializers = new Map<string, ProtoDefStream>();
  const deserializers = new Map<string, ProtoDefStream>();
  const serializer = (state: WireState, direction: Direction) => {
    const key = `${state}.${direction}`;
    let s = serializers.get(key);
    if (!s) {
      s = mc.createSerializer({ state: state as mc.States, isServer: direction === 'toClient', version, customPackets: {} }) as ProtoDefStream;
      serializers.set(key, s);
    }
    return s;
  };
  const deserializer = (state: WireState, direction: Direction) => {
    const key = `${state}.${direction}`;
    let d = deserializers.get(key);
    if (!d) {
      d = mc.createDeserializer({ state: state as mc.States, isServer: direction === 'toServer', version, noErrorLogging: true } as never) as ProtoDefStream;
      deserializers.set(key, d);
    }
    return d;
  };
  return {
    protocol,
    version,
    hasConfiguration: protocol >= 764,
    nbtText: protocol >= 765,
    signedChat: protocol >= 759,
    id: (state, direction, name) => ids(state, direction).byName.get(name),
    name: (state, direction, id) => ids(state, direction).byId.get(id),
    encode: (state, direction, packet) => serializer(state, direction).createPacketBuffer(packet),
    decode(state, direction, buf) {
      let parsed;
      try {
        parsed = deserializer(state, direction).parsePacketBuffer(buf);
      } catch (err) {
        throw new ProtocolError(`undecodable ${state} packet: ${(err as Error).message.split('\n')[0]}`);
      }
      if (parsed.metadata.size !== buf.length) {
        throw new ProtocolError(`${state} packet ${parsed.data.name} has ${buf.length - parsed.metadata.size} bytes past its fields`);
      }
      return { name: parsed.data.name, params: parsed.data.params };
    },
  };
}
