// backend-health (0.3.0): an address's state changed in the balancer (a connect failure makes it unhealthy,
// a connection after failures healthy again, a drain draining). The event names every server whose
// configured addresses include it, the one whose state changed first.
import type { ServerAddress } from '../contract/guest-types.ts';
import type { BackendHealth } from './backend-balancer.ts';
import type { ProxyEvents } from './proxy-events.ts';
import type { ServerRegistry } from './server-registry.ts';

export function backendHealth(events: ProxyEvents, registry: Pick<ServerRegistry, 'list'>, server: string, address: ServerAddress, state: BackendHealth): void {
  events.notify030('backend-health', () => {
    const same = (a: ServerAddress) => a.port === address.port && a.host.toLowerCase() === address.host.toLowerCase();
    const others = registry.list().filter((d) => d.id !== server && d.addresses.some(same)).map((d) => d.id);
    return { tag: 'backend-health', val: { address: { host: address.host, port: address.port }, servers: [server, ...others], state } };
  });
}
