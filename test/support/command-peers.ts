// What a real minecraft-protocol client receives of commands: its command trees and tab-complete answers,
// recorded from the moment these are called (call them right after the client is made to see the first).
import type { EventEmitter } from 'node:events';
import type { PlayClient } from './play-peers.ts';

type Tree = { nodes: { children: number[]; extraNodeData?: { name: string } }[]; rootIndex: number };

export interface Completion {
  transactionId?: number;
  start?: number;
  length?: number;
  matches: string[];
}

/** The root's command names in each command tree the client received, sorted. */
export function trees(pc: PlayClient): string[][] {
  const out: string[][] = [];
  (pc.client as unknown as EventEmitter).on('packet', (data: Tree, meta: { name: string }) => {
    if (meta.name !== 'declare_commands') return;
    out.push(data.nodes[data.rootIndex]!.children.map((i) => data.nodes[i]!.extraNodeData?.name ?? '?').sort());
  });
  return out;
}

/** Tab-complete answers the client received (matches' texts). */
export function completions(pc: PlayClient): Completion[] {
  const out: Completion[] = [];
  (pc.client as unknown as EventEmitter).on('packet', (data: Omit<Completion, 'matches'> & { matches: (string | { match: string })[] }, meta: { name: string }) => {
    if (meta.name === 'tab_complete') out.push({ ...data, matches: data.matches.map((m) => (typeof m === 'string' ? m : m.match)) });
  });
  return out;
}
