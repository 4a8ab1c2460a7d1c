// What plugins leave with the host while they run — listeners, commands, tasks, limbo handlers, codec filters,
// raw-packet listeners and 0.3.0's channels, nodes, boss bars and providers — and the host calls each plugin
// gets over them. SlotLifecycle owns plugin lifecycles; this owns the registries they share, wired to the
// guests through GuestAccess.
import type { PluginLogLine } from '../../shared/plugin-state';
import type { HostConfig } from '../config/types';
import type { Event030 } from '../contract/events-030-only';
import type { EventOutcome, GuestEvent } from '../contract/guest-types';
import type { GuestExport } from '../guest/worker-protocol';
import type { CallMetrics } from './call-metrics';
import { CommandRegistry, Scheduler } from './callback-registry';
import { CodecRouter } from './codec-router';
import { CodecStores } from './codec-stores';
import type { GuestHandlers, GuestProcess } from '../guest/guest-process';
import type { ContractServices } from './contract-services';
import { DeliveryLanes, LANE_CAPACITY } from './delivery-lanes';
import { EventRouter } from './event-router';
import { callGuestOutcome, type GuestCallContext } from './guest-calls';
import { createHostCalls } from './host-calls';
import { LimboRouter } from './limbo-router';
import type { Slot } from './plugin-slot';
import { RawPacketListeners } from './raw-packets';
import { BossBars } from './v030/boss-bars';
import type { Ev, Registry } from './v030/contract-030';
import { deliverOnlyTo030, deliverTo030 } from './v030/deliver-030';
import { namedEvent030, namedResultOf } from './v030/guest-030';
import { createHostCalls030 } from './v030/host-calls-030';
import { createProviders030, type Providers030 } from './v030/providers';
import { Registries030 } from './v030/registries';

type HostCalls = (iface: string, fn: string, args: unknown[]) => unknown;

/** How the registries reach the plugins (the PluginManager's side). */
export interface GuestAccess {
  config(): HostConfig;
  services: ContractServices;
  metrics: CallMetrics;
  slotById(id: string): Slot | undefined;
  /** Calls an export of an enabled plugin; a fault goes to the plugin's fault model and yields undefined. */
  callGuest(id: string, fn: GuestExport, args: unknown[]): Promise<unknown>;
  guestCallContext(id: string): GuestCallContext;
  /** A guest worker from the manager's pool (a 0.3.0 plugin's codec store runs in one). */
  takeWorker(importsWasi: boolean, handlers: GuestHandlers): Promise<GuestProcess>;
  pluginInfos(): Registry.PluginInfo[];
  log(id: string, level: PluginLogLine['level'], message: string): void;
}

export class PluginRegistrations {
  readonly events: EventRouter;
  readonly commands = new CommandRegistry();
  readonly scheduler: Scheduler;
  readonly limbo: LimboRouter;
  readonly codecs: CodecRouter;
  /** 0.3.0 codec stores: filters run there, apart from each plugin's main instance (§4.8). */
  readonly codecStores: CodecStores;
  readonly rawPackets: RawPacketListeners;
  readonly registries030 = new Registries030();
  readonly bossBars: BossBars;
  /** 0.3.0 ban and permission providers (§4.6). */
  readonly providers: Providers030;

  constructor(private readonly g: GuestAccess) {
    const handleEvent = (id: string, handle: bigint, event: unknown) => g.callGuest(id, 'handleEvent', [handle, event]) as Promise<Ev.EventOutcome | undefined>;
    this.bossBars = new BossBars(() => g.services);
    this.events = new EventRouter(
      (id, handle, event, current) => this.deliver(id, handle, event, current),
      async (id, handle, event, current) => namedResultOf(await handleEvent(id, handle, namedEvent030(event, current))),
      async (id, handle, event) => void (await handleEvent(id, handle, event)),
      { deliver: (id, handle, event, current) => this.deliverOnly030(id, handle, event, current), channelRegistered: (raw) => this.registries030.channelRegistered(raw) },
      new DeliveryLanes(LANE_CAPACITY, (id, capacity) => g.log(id, 'warn', `${capacity} events are waiting for this plugin to answer: later ones are dropped until it catches up`)),
    );
    this.scheduler = new Scheduler((id, callbackId) => void g.callGuest(id, 'onScheduledTask', [callbackId]));
    this.limbo = new LimboRouter({
      call: (id, fn, args) => g.callGuest(id, fn, args),
      granted: (id) => g.slotById(id)?.view.granted.includes('limbo') ?? false,
      status: (id) => {
        const v = g.slotById(id)?.view;
        return v ? `${v.state}${v.reason ? ` (${v.reason})` : ''}` : 'gone';
      },
      warn: (id, message) => g.log(id, 'warn', message),
      observe: (kind, event) => void this.events.notifyObserved(kind, event),
    });
    this.providers = createProviders030(
      {
        config: () => g.config(),
        call: (id, fn, args, timeoutMs) => callGuestOutcome(g.slotById(id), fn, args, { ...g.guestCallContext(id), timeoutMs }),
        players: g.services.players,
        listeners: (kind) => this.events.listeners(kind).filter((l) => g.slotById(l.pluginId)?.view.contract === '0.3.0'),
        deliver: handleEvent,
        log: (id, level, message) => g.log(id, level, message),
      },
      (name) => this.registries030.nodes.get(name)?.node.default,
    );
    this.rawPackets = new RawPacketListeners(this.events, handleEvent, (id, message) => g.log(id, 'warn', message));
    this.codecStores = new CodecStores({
      artifact: (id) => {
        const slot = g.slotById(id);
        return slot?.view.contract === '0.3.0' ? slot.artifact : null;
      },
      takeWorker: (wasi, handlers) => g.takeWorker(wasi, handlers),
      limits: () => g.config().wasm,
      metrics: g.metrics,
      log: (id, level, message) => g.log(id, level, message),
      hostCalls: (id) => {
        const slot = g.slotById(id);
        return slot ? this.hostCallsFor(slot) : null;
      },
    });
    this.codecs = new CodecRouter(
      {
        call: (id, fn, args) => g.callGuest(id, fn, args),
        granted: (id) => g.slotById(id)?.view.granted.includes('codec-filter') ?? false,
        log: (id, level, message) => g.log(id, level, message),
        stores: this.codecStores,
      },
      this.rawPackets,
    );
  }

  private readonly hostCallTables = new WeakMap<Slot, { id: string; contract: unknown; granted: readonly string[]; calls: HostCalls }>();

  /**
   * The host calls of one plugin, by its contract. A table holds a closure per function, so it is made once per
   * id, contract and grant (activation gives `granted` a new array), not on every call the guest makes.
   */
  hostCallsFor(slot: Slot): HostCalls {
    const { id, contract, granted } = slot.view;
    const held = this.hostCallTables.get(slot);
    if (held && held.id === id && held.contract === contract && held.granted === granted) return held.calls;
    const calls = this.makeHostCalls(slot);
    this.hostCallTables.set(slot, { id, contract, granted, calls });
    return calls;
  }

  private makeHostCalls(slot: Slot): HostCalls {
    // What both contracts' host calls take; 0.3.0's also reach the registries only it has.
    const common = {
      pluginId: slot.view.id,
      granted: new Set(slot.view.granted),
      services: this.g.services,
      events: this.events,
      commands: this.commands,
      scheduler: this.scheduler,
      limbo: this.limbo,
      codecs: this.codecs,
      log: (level: PluginLogLine['level'], message: string) => this.g.log(slot.view.id, level, message),
    };
    if (slot.view.contract !== '0.3.0') return createHostCalls(common);
    return createHostCalls030({
      ...common,
      rawPackets: this.rawPackets,
      registries: this.registries030,
      bossBars: this.bossBars,
      providers: this.providers,
      config: () => this.g.config(),
      plugins: () => this.g.pluginInfos(),
      currentPing: () => slot.currentPing,
      // The metadata probe runs before the metadata is known (§4.9: host calls answer unavailable).
      probing: () => slot.view.metadata === null,
    });
  }

  /** Everything a plugin registered that goes with its instance. */
  forget(id: string, why: string): void {
    this.limbo.forget(id, why);
    this.codecs.forget(id);
    this.codecStores.stop(id);
    this.events.forget(id);
    this.commands.forget(id);
    this.scheduler.forget(id);
    this.bossBars.dropPlugin(id);
  }

  /** What goes with a lost 0.3.0 instance (§4.9): listeners, tasks, boss bars and limbo handlers (the players
   *  they held are denied); channels, codec filters, nodes and providers stay for the fresh instance. */
  dropInstance(id: string): void {
    this.events.forget(id);
    this.scheduler.forget(id);
    this.bossBars.dropPlugin(id);
    this.limbo.forget(id, 'its instance was lost to a fault');
  }

  /** What a 0.3.0 plugin keeps across recoveries, dropped when it stops for good. */
  forgetPlugin(id: string): void {
    this.registries030.forget(id);
    this.providers.bans.forget(id);
    this.providers.permissions.forget(id);
  }

  /** The card says where a plugin's codec filters run, and which of them fell back to pass-through. */
  codecNotes(id: string): string[] {
    const filters = this.codecs.filtersOf(id);
    if (filters.length === 0) return [];
    return [
      `codec filter(s) ${filters.join(', ')}: called only for servers with proxy_mode "offline" or "client_only"; passthrough connections never call them`,
      ...this.codecs.fallbacksOf(id),
    ];
  }

  private async deliver(id: string, handle: bigint, event: GuestEvent, current: EventOutcome | undefined): Promise<EventOutcome | undefined> {
    const slot = this.g.slotById(id);
    if (slot?.view.contract !== '0.3.0') return (await this.g.callGuest(id, 'handleEvent', [handle, event])) as EventOutcome | undefined;
    return deliverTo030(slot, event, current, this.deliveryTo(id, handle));
  }

  /** An event only 0.3.0 has: only 0.3.0 plugins can subscribe to its kind. */
  private deliverOnly030(id: string, handle: bigint, event: Event030, current: unknown): Promise<unknown> {
    return deliverOnlyTo030(event, current, this.deliveryTo(id, handle));
  }

  private deliveryTo(id: string, handle: bigint) {
    return {
      players: this.g.services.players,
      call: (ev: unknown) => this.g.callGuest(id, 'handleEvent', [handle, ev]) as Promise<Ev.EventOutcome | undefined>,
      log: (message: string) => this.g.log(id, 'warn', message),
    };
  }
}
