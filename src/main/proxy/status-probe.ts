// Periodic health check of every backend: TCP connect plus a status request. A server counts as offline
// until its first successful probe; each transition is reported once.

import type { ServerState } from '../contract/guest-types.ts';
import { fetchBackendStatus } from './backend-status.ts';
import type { ServerDefinition } from './server-file.ts';

/** Protocol written into probe handshakes (1.21.1); servers answer status for any version. */
const PROBE_PROTOCOL = 767;

export interface StatusProbeOptions {
  servers: () => ServerDefinition[];
  intervalMs: number;
  timeoutMs: number;
  onChange: (server: string, oldState: ServerState, newState: ServerState) => void;
}

export class StatusProbe {
  private readonly states = new Map<string, ServerState>();
  private readonly inFlight = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private abort = new AbortController();

  constructor(private readonly opts: StatusProbeOptions) {}

  start(): void {
    if (this.timer) return;
    this.abort = new AbortController();
    void this.probeAll();
    this.timer = setInterval(() => void this.probeAll(), this.opts.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();
  }

  /** Probes every server not already being probed; resolves when this round is done. */
  async probeAll(): Promise<void> {
    const servers = this.opts.servers();
    const ids = new Set(servers.map((s) => s.id));
    for (const id of this.states.keys()) if (!ids.has(id)) this.states.delete(id);
    await Promise.all(servers.filter((s) => !this.inFlight.has(s.id)).map((s) => this.probe(s)));
  }

  state(id: string): ServerState {
    return this.states.get(id) ?? 'offline';
  }

  private async probe(s: ServerDefinition): Promise<void> {
    this.inFlight.add(s.id);
    const signal = this.abort.signal;
    let next: ServerState;
    try {
      const first = s.addresses[0];
      await fetchBackendStatus(s.addresses, {
        host: s.domains.find((d) => !d.includes('*')) ?? first.host,
        port: first.port,
        protocolVersion: PROBE_PROTOCOL,
        timeoutMs: this.opts.timeoutMs,
        signal,
        proxyProtocol: s.sendProxyProtocol ? { source: null } : undefined,
      });
      next = 'online';
    } catch {
      next = 'offline';
    } finally {
      this.inFlight.delete(s.id);
    }
    // A server removed meanwhile, or a stopped probe, must not report a stale result.
    if (signal.aborted || !this.opts.servers().some((x) => x.id === s.id)) return;
    const old = this.state(s.id);
    this.states.set(s.id, next);
    if (old !== next) this.opts.onChange(s.id, old, next);
  }
}
