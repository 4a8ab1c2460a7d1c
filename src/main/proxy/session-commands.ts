// Plugin commands for one player of a decoding mode (contract/player-commands.ts):
// - a typed command whose label a plugin registered runs in the proxy with the player as sender (after
//   command-execute, session-messages.ts) and never reaches the backend; one the player may not run
//   answers it in red;
// - the client's tab-complete request for a plugin command's arguments is answered from the plugin; on 1.8
//   (no command tree) the backend's answer for a bare command name gets the plugin commands' names too;
// - the backend's declare_commands (1.13+; 1.8 has no command tree) is extended with the plugin commands
//   the player may run and see, and sent again when that list changes (commands registered or removed,
//   the player's permission snapshot replaced) while the player is on the server whose tree it holds;
// - in limbo (no backend) the client's tree holds the plugin commands alone, kept current the same way,
//   and every tab-complete request is answered here (limbo-stay.ts routes the player's commands).
// A plugin command replaces a backend's command of the same name in the tree, as it does when typed.

import type { CurrentBackend, DecodedSession } from './decoded-session.ts';
import type { Frame } from './packet-wire.ts';

interface CommandNode {
  flags: { unused: number; has_custom_suggestions: number; has_redirect_node: number; has_command: number; command_node_type: number };
  children: number[];
  redirectNode?: number;
  extraNodeData?: { name: string; [field: string]: unknown };
}

interface DeclaredTree {
  nodes: CommandNode[];
  rootIndex: number;
}

const ROOT = 0;
const LITERAL = 1;
const ARGUMENT = 2;
/** Changes this close together (a plugin registering its commands one by one) send one tree. */
const RESEND_AFTER_MS = 50;

export class SessionCommands {
  /** The current backend's last command tree, as it sent it; `b` undefined: the limbo's empty tree. */
  private tree: { b: CurrentBackend | undefined; declared: DeclaredTree } | undefined;
  private off: (() => void) | undefined;
  private resendTimer: NodeJS.Timeout | undefined;
  /** 1.8: the command name prefix of the client's last tab-complete request, until the backend answers it. */
  private legacyPrefix: string | undefined;
  private readonly ids: { declare: number | undefined; tabRequest: number | undefined; tabAnswer: number | undefined };

  constructor(private readonly s: DecodedSession) {
    const c = s.codec;
    this.ids = { declare: c.id('play', 'toClient', 'declare_commands'), tabRequest: c.id('play', 'toServer', 'tab_complete'), tabAnswer: c.id('play', 'toClient', 'tab_complete') };
  }

  start(): void {
    this.off = this.s.ctx.commands.onChange((player) => {
      if ((player !== undefined && player !== this.s.playerId) || this.resendTimer) return;
      this.resendTimer = setTimeout(() => {
        this.resendTimer = undefined;
        this.resend();
      }, RESEND_AFTER_MS);
      this.resendTimer.unref();
    });
  }

  closed(): void {
    this.off?.();
    clearTimeout(this.resendTimer);
    this.tree = undefined;
  }

  /** A typed command (no slash) after command-execute: true when it is a plugin command (run here, or refused). */
  take(command: string): boolean {
    const s = this.s;
    const label = command.trim().split(/\s+/, 1)[0];
    if (!label || !s.ctx.commands.owns(label)) return false;
    s.ctx.commands.run(s.playerId, command).then(
      (ran) => {
        if (ran.tag !== 'denied' || s.closed) return;
        s.ctx.log('info', `${s.who}: /${label} refused (${ran.reason})`);
        void s.act({ kind: 'message', component: JSON.stringify({ text: `You do not have permission to run /${label.toLowerCase()}.`, color: 'red' }) });
      },
      (err: unknown) => s.ctx.log('error', `${s.who}: /${label} failed: ${(err as Error).message}`),
    );
    return true;
  }

  /** A backend's play frame: true when this took it (an extended command tree or 1.8 completion was sent instead). */
  fromBackend(b: CurrentBackend, frame: Frame): boolean {
    const id = frame.id();
    if (id === this.ids.declare) return this.backendTree(b, frame);
    if (id === this.ids.tabAnswer && this.legacyPrefix !== undefined) return this.legacyNames(frame, this.legacyPrefix);
    return false;
  }

  /** The backend's declare_commands: false when it goes to the client untouched (no plugin command, or undecodable). */
  private backendTree(b: CurrentBackend, frame: Frame): boolean {
    let declared: DeclaredTree;
    try {
      declared = this.s.codec.decode('play', 'toClient', frame.packet()).params as unknown as DeclaredTree;
    } catch (err) {
      // A parser minecraft-data does not know: the backend's tree still reaches the client, without ours.
      this.tree = undefined;
      this.s.ctx.log('debug', `${this.s.who}: ${b.server.id}'s command tree left as sent: ${(err as Error).message}`);
      return false;
    }
    this.tree = { b, declared };
    if (!this.s.ctx.commands.active()) return false;
    this.s.send(this.encode(declared));
    return true;
  }

  /** The client's tab-complete request: true when it asks about a plugin command's arguments (answered here). */
  clientTabComplete(frame: Frame): boolean {
    const s = this.s;
    if (frame.id() !== this.ids.tabRequest || !s.ctx.commands.active()) return false;
    const params = s.codec.decode('play', 'toServer', frame.packet()).params as { text: string; transactionId?: number };
    const text = params.text;
    if (params.transactionId === undefined) this.legacyPrefix = text.startsWith('/') && !/\s/.test(text) ? text.slice(1).toLowerCase() : undefined;
    if (!text.startsWith('/') || !/\s/.test(text)) return false;
    if (!s.ctx.commands.owns(text.slice(1).split(/\s+/, 1)[0]!)) return false;
    this.answerFromPlugin(params);
    return true;
  }

  /** Answers a tab-complete request for a plugin command's arguments (`/<label> ...`) from the plugin. */
  private answerFromPlugin(params: { text: string; transactionId?: number }): void {
    const s = this.s;
    const text = params.text;
    const label = text.slice(1).split(/\s+/, 1)[0]!;
    void s.ctx.commands.complete(s.playerId, text.slice(1)).then((matches) => {
      if (s.closed || !s.inPlayWorld) return;
      const start = text.search(/\S*$/);
      const list = matches ?? [];
      // 1.13+ names the range the matches replace; 1.8 replaces the last word itself.
      const answer =
        params.transactionId === undefined
          ? { matches: list }
          : { transactionId: params.transactionId, start, length: text.length - start, matches: list.map((match) => ({ match })) };
      s.send(s.codec.encode('play', 'toClient', { name: 'tab_complete', params: answer }));
    }, (err: unknown) => s.ctx.log('error', `${s.who}: completing /${label} failed: ${(err as Error).message}`));
  }

  /** The limbo world is up (1.13+): the client's tree is the plugin commands the player may run, and nothing else. */
  limboTree(): void {
    if (this.ids.declare === undefined) return;
    const root: CommandNode = { flags: { unused: 0, has_custom_suggestions: 0, has_redirect_node: 0, has_command: 0, command_node_type: ROOT }, children: [] };
    this.tree = { b: undefined, declared: { nodes: [root], rootIndex: 0 } };
    this.s.send(this.encode(this.tree.declared));
  }

  /**
   * A tab-complete request in limbo, where no backend answers: a plugin command's arguments as on a
   * backend; for a bare command name (1.8 asks; 1.13+ reads names from the tree) the plugin commands the
   * player may see; anything else gets no match.
   */
  limboTabComplete(frame: Frame): void {
    const s = this.s;
    const params = s.codec.decode('play', 'toServer', frame.packet()).params as { text: string; transactionId?: number };
    const text = params.text;
    if (text.startsWith('/') && /\s/.test(text) && s.ctx.commands.owns(text.slice(1).split(/\s+/, 1)[0]!)) return void this.answerFromPlugin(params);
    const prefix = text.startsWith('/') && !/\s/.test(text) ? text.slice(1).toLowerCase() : undefined;
    const names = prefix === undefined ? [] : this.namesFrom(prefix).sort();
    const answer =
      params.transactionId === undefined
        ? { matches: names.map((n) => `/${n}`) }
        : { transactionId: params.transactionId, start: 1, length: text.length - 1, matches: names.map((match) => ({ match })) };
    s.send(s.codec.encode('play', 'toClient', { name: 'tab_complete', params: answer }));
  }

  /** 1.8: the backend's command names for `/<prefix>` and the plugin commands the player may see, sorted. */
  private legacyNames(frame: Frame, prefix: string): boolean {
    this.legacyPrefix = undefined;
    const { matches } = this.s.codec.decode('play', 'toClient', frame.packet()).params as { matches: string[] };
    const ours = this.namesFrom(prefix);
    if (ours.length === 0) return false;
    const all = [...new Set([...matches, ...ours.map((n) => `/${n}`)])].sort();
    this.s.send(this.s.codec.encode('play', 'toClient', { name: 'tab_complete', params: { matches: all } }));
    return true;
  }

  /** The names and aliases of the plugin commands the player may see that start with `prefix` (lower case). */
  private namesFrom(prefix: string): string[] {
    return this.s.ctx.commands.visible(this.s.playerId).flatMap((c) => [c.name, ...c.aliases]).filter((n) => n.startsWith(prefix));
  }

  /** The player's commands changed: its client gets the extended tree again (when the tree is of its current server). */
  private resend(): void {
    const t = this.tree;
    if (!t || t.b !== this.s.backend || (!t.b && !this.s.limbo) || this.s.closed || !this.s.inPlayWorld) return;
    this.s.send(this.encode(t.declared));
  }

  /** The backend's tree with the plugin commands the player may see as literals taking any text. */
  private encode(declared: DeclaredTree): Buffer {
    const nodes = declared.nodes.map((n) => ({ ...n, children: [...n.children] }));
    const root = nodes[declared.rootIndex]!;
    const names = new Set<string>();
    for (const c of this.s.ctx.commands.visible(this.s.playerId)) for (const n of [c.name, ...c.aliases]) names.add(n);
    root.children = root.children.filter((i) => {
      const n = nodes[i];
      return !(n && n.flags.command_node_type === LITERAL && names.has(n.extraNodeData?.name.toLowerCase() ?? ''));
    });
    for (const name of names) {
      const argument = nodes.length;
      nodes.push({
        flags: { unused: 0, has_custom_suggestions: 1, has_redirect_node: 0, has_command: 1, command_node_type: ARGUMENT },
        children: [],
        extraNodeData: { name: 'args', parser: 'brigadier:string', properties: 'GREEDY_PHRASE', suggestionType: 'minecraft:ask_server' },
      });
      root.children.push(nodes.length);
      nodes.push({ flags: { unused: 0, has_custom_suggestions: 0, has_redirect_node: 0, has_command: 1, command_node_type: LITERAL }, children: [argument], extraNodeData: { name } });
    }
    return this.s.codec.encode('play', 'toClient', { name: 'declare_commands', params: { nodes, rootIndex: declared.rootIndex } });
  }
}
