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
import { CHAT_IDS, masked, parseWords, wordHits } from './chat-words';

/** The listed words and the mode, read once per instance (the main one and the host's codec store alike). */
let config: { words: Uint8Array[]; drop: boolean } | undefined;
function settings(): { words: Uint8Array[]; drop: boolean } {
  config ??= {
    words: parseWords(setting('words')),
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
      const hits = wordHits(data, words);
      if (hits.length === 0) return filterOutput.pass();
      if (drop) return filterOutput.drop();
      return filterOutput.modified({ packetId, data: masked(data, hits) });
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
