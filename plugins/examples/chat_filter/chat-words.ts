// What the chat filter knows whatever contract it is built for (its 0.2.3 build, the compatibility fixture
// test/fixtures/compat-023/chat_filter/, shares this): which packets carry chat, and finding and masking words
// in their bytes.

/** Clientbound chat packet ids by protocol: 1.8 chat; system, player and profileless chat from 1.20.2. */
export const CHAT_IDS: Record<number, number[]> = {
  47: [0x02],
  764: [103, 55, 28],
  765: [105, 55, 28],
  766: [108, 57, 30],
  767: [108, 57, 30],
  768: [115, 59, 30],
  769: [115, 59, 30],
};

/** The `words` setting as lowercase ASCII byte strings (blank and non-ASCII entries left out). */
export function parseWords(list: string | undefined): Uint8Array[] {
  return (list ?? '')
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== '' && /^[\x20-\x7e]+$/.test(w))
    .map((w) => Uint8Array.from(w, (c) => c.charCodeAt(0)));
}

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

/** Where the words occur in `data`: [offset, length] pairs. */
export function wordHits(data: Uint8Array, words: Uint8Array[]): (readonly [number, number])[] {
  return words.flatMap((w) => find(data, w).map((at) => [at, w.length] as const));
}

/** A copy of `data` with every hit's letters turned into '*' (same length, so the packet keeps its shape). */
export function masked(data: Uint8Array, hits: (readonly [number, number])[]): Uint8Array {
  const out = Uint8Array.from(data);
  for (const [at, len] of hits) out.fill(0x2a, at, at + len);
  return out;
}
