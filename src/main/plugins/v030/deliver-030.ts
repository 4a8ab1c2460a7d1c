// One proxy event to one 0.3.0 listener: the event in 0.3.0's shape with the current result, the heavy
// ping fields readable during the call, the outcome back in the proxy's shape, and a denial when an
// access listener cannot answer (§4.4).
import type { EventOutcome, GuestEvent } from '../../contract/guest-types';
import type { ContractServices } from '../contract-services';
import type { Slot } from '../plugin-slot';
import type { Ev } from './contract-030';
import type { Event030 } from '../../contract/events-030-only';
import { ACCESS_KINDS, accessDenial, currentPing, outcomeFrom030, toEvent030 } from './events-030';
import { resultFrom030Only, toEvent030Only } from './events-030-only';
import { connectionAccessDenial } from './events-030-connection';

export interface Deliver030 {
  players: ContractServices['players'];
  /** handle-event with the 0.3.0 event; undefined when the plugin could not answer. */
  call: (event: Ev.Event) => Promise<Ev.EventOutcome | undefined>;
  log: (message: string) => void;
}

export async function deliverTo030(slot: Slot, event: GuestEvent, current: EventOutcome | undefined, d: Deliver030): Promise<EventOutcome | undefined> {
  const ev = toEvent030(event, {
    current,
    username: (p) => d.players.byId(p)?.profile.username,
    uuidOf: (p) => d.players.byId(p)?.profile.uuid,
    serverOf: (p) => d.players.byId(p)?.currentServer,
  });
  if (!ev) return undefined;
  slot.currentPing = currentPing(event, current);
  try {
    const out = await d.call(ev);
    if (!out) return ACCESS_KINDS.has(event.tag) ? accessDenial(event) : undefined;
    return outcomeFrom030(event, out, slot.currentPing, (tag) => d.log(`answered ${event.tag} with a ${tag} outcome (ignored)`));
  } finally {
    slot.currentPing = undefined;
  }
}

/** One proxy event only 0.3.0 has to one listener: the result it sets, or undefined to keep the current one. */
export async function deliverOnlyTo030(event: Event030, current: unknown, d: Deliver030): Promise<unknown> {
  const ev = toEvent030Only(event, current, { username: (p) => d.players.byId(p)?.profile.username, uuidOf: (p) => d.players.byId(p)?.profile.uuid });
  const out = await d.call(ev);
  if (!out) return ACCESS_KINDS.has(event.tag) ? connectionAccessDenial(event) : undefined;
  return resultFrom030Only(event, out, current, (tag) => d.log(`answered ${event.tag} with a ${tag} outcome (ignored)`));
}
