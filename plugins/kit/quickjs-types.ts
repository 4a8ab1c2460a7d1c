// The QuickJS guest's view of a contract type, derived from the host's generated types (src/shared/contract/
// generated/<version>/, jco's JS value model) so the contract's shapes exist once. The kit's bindings
// (bindings/<version>/) declare each `infrarust:plugin/<iface>@<version>` module as this mapping of the host's.
// QuickJS differs from jco in three ways:
//  - a u64 is a Number (exact up to 2^53; passing a BigInt traps);
//  - an option's none arrives as null (undefined is accepted on the way out), so `T | undefined` and `x?: T`
//    also take null;
//  - resources swap sides: a handle the host gives the guest (an imported resource) has `[Symbol.dispose]`
//    in the guest, while a resource the guest implements (an exported one, which the host sees as
//    Disposable) needs none.
// Errors are the same in both views: a `result<T, E>` function returns T and throws E.

/** What a WIT resource is in TypeScript: the only contract shape with methods (records and variants hold data). */
type MethodKeys<T> = { [K in keyof T]-?: T[K] extends (...args: never) => unknown ? K : never }[keyof T];

type Dispose = typeof Symbol.dispose;

/** A resource's methods, mapped; Disposable on the guest side exactly when the host's side is not. */
type QuickJsResource<T> = Dispose extends keyof T
  ? { [K in Exclude<keyof T, Dispose>]: QuickJs<T[K]> }
  : { [K in keyof T]: QuickJs<T[K]> } & Disposable;

export type QuickJs<T> = T extends bigint
  ? number
  : T extends undefined
    ? null | undefined
    : T extends ArrayBufferView
      ? T
      : T extends (...args: infer A) => infer R
        ? (...args: { [I in keyof A]: QuickJs<A[I]> }) => QuickJs<R>
        : T extends readonly unknown[]
          ? { [I in keyof T]: QuickJs<T[I]> }
          : T extends object
            ? [MethodKeys<T>] extends [never]
              ? { [K in keyof T]: QuickJs<T[K]> }
              : QuickJsResource<T>
            : T;

/** A resource class as a value: usable with `instanceof`, not constructible (jco: a private constructor). */
export type QuickJsClass<T> = abstract new (...args: never) => T;
