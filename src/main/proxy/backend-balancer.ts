// Per-address state of each server's backends, which the proxy's backend connect consults: the addresses
// are tried in their configured order ("ordered"), a drained address gets no new connection, and each
// connect failure counts as an ejection. What load-balancer (0.3.0 §3.14) reports and changes; each change of
// an address's state is told to `onChange` (the proxy's backend-health event).

import type { ServerAddress } from '../contract/guest-types.ts';
import { formatHostPort } from '../config/host-port.ts';

export type BackendHealth = 'healthy' | 'unhealthy' | 'draining';

export interface BackendStatus {
  address: ServerAddress;
  state: BackendHealth;
  activeConnections: number;
  ejections: number;
  /** Unix ms since the address last accepted a connection after a failure (or its first), if it has. */
  healthySince: number | undefined;
  lastFailure: number | undefined;
}

interface Stat {
  active: number;
  ejections: number;
  healthySince: number | undefined;
  lastFailure: number | undefined;
  drained: boolean;
}

/** What one connect attempt reports back (backend-connect.ts). */
export interface ConnectTracker {
  /** The addresses to try, in order, without the drained ones. */
  order(addresses: ServerAddress[]): ServerAddress[];
  failed(address: ServerAddress): void;
  /** A connection to `address` is open until `socket` closes. */
  connected(address: ServerAddress, socket: { once(event: 'close', fn: () => void): unknown }): void;
}

export class BackendBalancer {
  /** server id → address text → state. */
  private readonly stats = new Map<string, Map<string, Stat>>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly onChange?: (server: string, address: ServerAddress, state: BackendHealth) => void,
  ) {}

  tracker(server: string): ConnectTracker {
    return {
      order: (addresses) => addresses.filter((a) => !this.peek(server, a)?.drained),
      failed: (address) =>
        this.change(server, address, (s) => {
          s.ejections++;
          s.lastFailure = this.now();
          s.healthySince = undefined;
        }),
      connected: (address, socket) =>
        this.change(server, address, (s) => {
          s.active++;
          s.healthySince ??= this.now();
          socket.once('close', () => s.active--);
        }),
    };
  }

  /** The state of every address of a server, in its configured order. */
  status(server: string, addresses: ServerAddress[]): BackendStatus[] {
    return addresses.map((address) => {
      const s = this.peek(server, address);
      const state = stateOf(s);
      return { address, state, activeConnections: s?.active ?? 0, ejections: s?.ejections ?? 0, healthySince: s?.healthySince, lastFailure: s?.lastFailure };
    });
  }

  setDrained(server: string, address: ServerAddress, drained: boolean): void {
    this.change(server, address, (s) => (s.drained = drained));
  }

  /** Forgets failures and ejections (the drain and the open connections stay). */
  reset(server: string, address: ServerAddress): void {
    this.change(server, address, (s) => {
      s.ejections = 0;
      s.lastFailure = undefined;
    });
  }

  /** Applies `fn` to an address's state and reports a change of its health. */
  private change(server: string, address: ServerAddress, fn: (s: Stat) => void): void {
    const s = this.stat(server, address);
    const before = stateOf(s);
    fn(s);
    const after = stateOf(s);
    if (after !== before) this.onChange?.(server, address, after);
  }

  private peek(server: string, address: ServerAddress): Stat | undefined {
    return this.stats.get(server)?.get(formatHostPort(address.host, address.port));
  }

  private stat(server: string, address: ServerAddress): Stat {
    let byAddress = this.stats.get(server);
    if (!byAddress) this.stats.set(server, (byAddress = new Map()));
    const key = formatHostPort(address.host, address.port);
    let s = byAddress.get(key);
    if (!s) byAddress.set(key, (s = { active: 0, ejections: 0, healthySince: undefined, lastFailure: undefined, drained: false }));
    return s;
  }
}

function stateOf(s: Stat | undefined): BackendHealth {
  return s?.drained ? 'draining' : s?.lastFailure !== undefined && s.healthySince === undefined ? 'unhealthy' : 'healthy';
}
