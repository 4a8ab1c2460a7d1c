// Type test of the kit's bindings (checked by `npm run typecheck`, and compiled on its own by kit.test.ts):
// the QuickJS view derived from the host's types says what a guest really gets, and a plugin author's wrong
// type is still an error. A binding that failed to resolve would be `any` and fail the equalities below.
import type { BanEntry, BanRequest } from 'infrarust:plugin/ban-service@0.3.0';
import type { FilterInstance } from 'infrarust:plugin/codec-filter@0.3.0';
import type * as Config from 'infrarust:plugin/config-service@0.3.0';
import type * as Guest from 'infrarust:plugin/guest@0.3.0';
import type * as Registry from 'infrarust:plugin/player-registry@0.2.3';
import type * as Scheduler from 'infrarust:plugin/scheduler@0.3.0';
import type { DurationMs } from 'infrarust:plugin/types@0.3.0';
import type * as HostScheduler from '../../src/shared/contract/generated/0.3.0/interfaces/infrarust-plugin-scheduler.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectTrue<T extends true>(): T | void {}

// A u64 is a number in the guest, a bigint on the host.
expectTrue<Equal<DurationMs, number>>();
expectTrue<Equal<Parameters<typeof HostScheduler.delay>, [after: bigint, handler: bigint]>>();
expectTrue<Equal<Parameters<typeof Scheduler.delay>, [after: number, handler: number]>>();
// An option is nullable: none arrives as null (and undefined is accepted on the way out).
expectTrue<Equal<ReturnType<typeof Config.getValue>, string | null | undefined>>();
expectTrue<Equal<Parameters<typeof Scheduler.interval>[1], number | null | undefined>>();
expectTrue<Equal<BanEntry['expiresAt'], number | null | undefined>>();
// result<T, E>: the function returns T (E is thrown), in both views.
expectTrue<Equal<ReturnType<typeof Guest.onEnable>, void>>();

export function misuse(scheduler: typeof Scheduler, registry: typeof Registry, entry: BanEntry): void {
  // @ts-expect-error a u64 is a number in QuickJS: passing a bigint traps
  scheduler.delay(1000n, 1);
  // @ts-expect-error an option may be none (null): it must be checked before use
  entry.expiresAt.toFixed();
  const request: BanRequest = {
    target: { tag: 'username', val: 'steve' },
    kick: true,
    silent: false,
    // @ts-expect-error a misspelled field is still caught
    durationMS: 5,
  };
  // @ts-expect-error a variant's payload keeps its type
  const wrong: BanRequest['target'] = { tag: 'uuid', val: 42 };
  // A host handle is Disposable in the guest, and not constructible.
  const player = registry.getPlayer('steve');
  if (player) player[Symbol.dispose]();
  // @ts-expect-error a resource handle comes from the host only
  new registry.Player();
  void [request, wrong];
}

// A resource the plugin implements needs no `[Symbol.dispose]` (the host's view of it has one).
export const passAll: FilterInstance = {
  filter: () => 'pass',
  takeOutput: () => ({ tag: 'pass' }),
  onStateChange: () => {},
  onCompressionChange: () => {},
  onEncryptionEnabled: () => {},
  onClose: () => {},
};
