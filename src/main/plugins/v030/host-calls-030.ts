// Answers one 0.3.0 plugin's calls into the host interfaces (§3, §4). Every interface is linked; each
// gated function checks its capability when called (§4.1) and every failure is a `host-error` with an
// error kind (§4.2), never an exception: a thrown host import breaks some guests for good.
import { hostErr } from './contract-030';
import { banCalls } from './calls/ban-calls';
import { callKit, type Handlers, type HostCall030Context } from './calls/call-kit';
import { commandCalls } from './calls/command-calls';
import { configCalls } from './calls/config-calls';
import { eventCalls } from './calls/event-calls';
import { limboCodecCalls } from './calls/limbo-codec-calls';
import { messagingCalls } from './calls/messaging-calls';
import { permissionCalls } from './calls/permission-calls';
import { playerCalls } from './calls/player-calls';
import { playerControlCalls } from './calls/player-control-calls';

export type { HostCall030Context } from './calls/call-kit';

export function createHostCalls030(ctx: HostCall030Context): (iface: string, fn: string, args: unknown[]) => unknown {
  const k = callKit(ctx);
  const handlers: Handlers = {
    ...eventCalls(k),
    ...playerCalls(k),
    ...playerControlCalls(k),
    ...banCalls(k),
    ...configCalls(k),
    ...commandCalls(k),
    ...limboCodecCalls(k),
    ...messagingCalls(k),
    ...permissionCalls(k),
  };
  return (iface, fn, args) => {
    if (ctx.probing() && iface !== 'log') return hostErr('unavailable', 'host calls are unavailable while metadata() runs');
    const handler = handlers[`${iface}.${fn}`];
    if (!handler) return hostErr('unsupported', `${iface}.${fn} is not implemented by this host`);
    return (handler as (...a: unknown[]) => unknown)(...args);
  };
}
