// pre-transfer before a plugin's `players.transfer` (§4.4, an access event): listeners may refuse the
// transfer or send the player elsewhere. The calling plugin's own listeners see it afterwards, unawaited.
import type { EventRouter } from '../event-router';
import { parseComponent, plainText } from '../../proxy/text-component';

export type TransferApproval = { host: string; port: number } | { denied: string };

export async function approveTransfer(events: EventRouter, caller: string, playerId: bigint, host: string, port: number): Promise<TransferApproval> {
  if (!events.hasListeners('pre-transfer')) return { host, port };
  const r = await events.decide030({ tag: 'pre-transfer', val: { playerId, host, port, origin: 'plugin' } }, { tag: 'allowed' }, caller);
  if (r.tag === 'denied') return { denied: plainText(parseComponent(r.val)) };
  return r.tag === 'redirect' ? r.val : { host, port };
}
