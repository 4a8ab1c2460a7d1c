// Console commands across the network: sent on the channel to one proxy or to all, each target runs it on its
// own console and answers; the sender collects the answers, with a bounded wait for each.

import { randomUUID } from 'node:crypto';
import type { ClusterMessage } from './cluster-protocol.ts';

export interface CommandReply {
  proxy: string;
  ok: boolean;
  output: string;
}

type Run = (line: string) => Promise<{ ok: boolean; output: string }>;

export class CommandRouter {
  private readonly waiting = new Map<string, (reply: CommandReply) => void>();

  constructor(
    private readonly self: string,
    private readonly publish: (m: ClusterMessage) => Promise<void>,
    private readonly runLocal: Run,
    private readonly replyTimeoutMs = 3000,
  ) {}

  /** Runs `line` on `target` (a proxy id, or `"*"` for every live proxy in `live`, this one included). */
  async run(line: string, target: string, live: string[]): Promise<CommandReply[]> {
    if (target !== '*' && target !== this.self && !live.includes(target)) {
      return [{ proxy: target, ok: false, output: `no live proxy ${JSON.stringify(target)} in the network` }];
    }
    const remotes = target === '*' ? live : target === this.self ? [] : [target];
    const id = randomUUID();
    const answers = remotes.map((proxy) => this.answer(`${id}/${proxy}`, proxy));
    if (remotes.length > 0) {
      await this.publish({ t: 'cmd', from: this.self, to: target, id, line }).catch((err: Error) => {
        for (const proxy of remotes) this.waiting.get(`${id}/${proxy}`)?.({ proxy, ok: false, output: `not sent: ${err.message}` });
      });
    }
    const mine = target === '*' || target === this.self ? [{ proxy: this.self, ...(await this.runLocal(line)) }] : [];
    return [...mine, ...(await Promise.all(answers))];
  }

  private answer(key: string, proxy: string): Promise<CommandReply> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        resolve({ proxy, ok: false, output: `no answer within ${this.replyTimeoutMs} ms` });
      }, this.replyTimeoutMs);
      this.waiting.set(key, (reply) => {
        clearTimeout(timer);
        this.waiting.delete(key);
        resolve(reply);
      });
    });
  }

  /** A `cmd` or `cmd-reply` from another proxy. */
  async onMessage(m: Extract<ClusterMessage, { t: 'cmd' | 'cmd-reply' }>): Promise<void> {
    if (m.t === 'cmd-reply') {
      if (m.to === this.self) this.waiting.get(`${m.id}/${m.from}`)?.({ proxy: m.from, ok: m.ok, output: m.output });
      return;
    }
    if (m.to !== this.self && m.to !== '*') return;
    const r = await this.runLocal(m.line).catch((err: Error) => ({ ok: false, output: err.message }));
    await this.publish({ t: 'cmd-reply', from: this.self, to: m.from, id: m.id, ok: r.ok, output: r.output }).catch(() => undefined);
  }
}
