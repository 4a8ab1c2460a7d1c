// Chat filter: clientbound chat that contains a listed word is masked (each letter of the word becomes
// '*') or dropped, for every player of a decoding proxy mode (offline, client_only). It is a codec filter:
// it sees the server-side packets of each connection (what backends send) and rewrites bytes in place, so
// the JSON text (up to 1.20.2) or NBT text (1.20.3+) keeps its shape and length.
//   [plugins.chat_filter]
//   permissions = ["codec-filter"]
//   [plugins.chat_filter.settings]
//   words = "creeper, spoiler"   # comma-separated, matched case-insensitively (ASCII)
//   mode = "mask"                # or "drop"
// Capabilities: config-read (baseline), codec-filter.
import { info } from 'infrarust:plugin/log@0.3.0';
import { codecFilter, definePlugin, filterOutput, setting } from '../../kit';

/** Clientbound chat packet ids by protocol: 1.8 chat; system, player and profileless chat from 1.20.2. */
const CHAT_IDS: Record<number, number[]> = {
  47: [0x02],
  764: [103, 55, 28],
  765: [105, 55, 28],
  766: [108, 57, 30],
  767: [108, 57, 30],
  768: [115, 59, 30],
  769: [115, 59, 30],
};

const lower = (b: number) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b);

/** Start offsets of `word` (lowercase ASCII bytes) in `data`, case-insensitively. */
function find(data: Uint8Array, word: Uint8Array): number[] {
  const at: number[] = [];
  outer: for (let i = 0; i + word.length <= data.length; i++) {
    for (let j = 0; j < word.length; j++) if (lower(data[i + j]) !== word[j]) continue outer;
    at.push(i);
  }
  return at;
}

/** The listed words and the mode, read once per instance (the main one and the host's codec store alike). */
let config: { words: Uint8Array[]; drop: boolean } | undefined;
function settings(): { words: Uint8Array[]; drop: boolean } {
  config ??= {
    words: (setting('words') ?? '')
      .split(',')
      .map((w) => w.trim().toLowerCase())
      .filter((w) => w !== '' && /^[\x20-\x7e]+$/.test(w))
      .map((w) => Uint8Array.from(w, (c) => c.charCodeAt(0))),
    drop: setting('mode') === 'drop',
  };
  return config;
}

// Declared at the top level: the host makes filters in its codec store, which never runs `enable`.
codecFilter({ id: 'chat_filter', priority: 'normal' }, (init) => {
  const ids = CHAT_IDS[init.clientVersion];
  const { words, drop } = settings();
  if (init.side !== 'server-side' || !ids || words.length === 0) return undefined;
  return {
    filter(packetId, data) {
      if (!ids.includes(packetId)) return filterOutput.pass();
      const hits = words.flatMap((w) => find(data, w).map((at) => [at, w.length] as const));
      if (hits.length === 0) return filterOutput.pass();
      if (drop) return filterOutput.drop();
      const out = Uint8Array.from(data);
      for (const [at, len] of hits) out.fill(0x2a, at, at + len);
      return filterOutput.modified({ packetId, data: out });
    },
  };
});

export default definePlugin({
  id: 'chat_filter',
  name: 'Chat filter',
  version: '1.0.0',
  authors: ['Infrarust Desktop'],
  description: 'Masks or drops chat sent to players that contains listed words.',
  enable() {
    const { words, drop } = settings();
    info(`filtering ${words.length} word(s) (${drop ? 'drop' : 'mask'})`);
  },
});
