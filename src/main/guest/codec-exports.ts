// The guest's codec-filter export inside its worker: `create` makes a filter-instance (a resource the guest
// owns), kept here by a number the main thread uses for the instance's methods; `codecOnClose` calls
// on-close and drops the instance. 0.3.0's `filter` answers a verdict and `take-output` the output.

type FilterInstance = Record<string, (...args: unknown[]) => unknown> & { [Symbol.dispose]?: () => void };
type CodecExport = { create: (factory: unknown, init: unknown) => FilterInstance };

export const CODEC_EXPORTS = ['codecCreate', 'codecFilter', 'codecTakeOutput', 'codecOnStateChange', 'codecOnCompressionChange', 'codecOnEncryptionEnabled', 'codecOnClose'] as const;
export type CodecExportName = (typeof CODEC_EXPORTS)[number];

const METHOD: Record<Exclude<CodecExportName, 'codecCreate'>, string> = {
  codecFilter: 'filter',
  codecTakeOutput: 'takeOutput',
  codecOnStateChange: 'onStateChange',
  codecOnCompressionChange: 'onCompressionChange',
  codecOnEncryptionEnabled: 'onEncryptionEnabled',
  codecOnClose: 'onClose',
};

export class CodecInstances {
  private readonly instances = new Map<number, FilterInstance>();
  private nextId = 1;

  constructor(private readonly codec: CodecExport | null) {}

  call(fn: CodecExportName, args: unknown[]): unknown {
    if (!this.codec) throw new Error('the component does not export infrarust:plugin/codec-filter');
    if (fn === 'codecCreate') {
      const instance = this.codec.create(args[0], args[1]);
      const id = this.nextId++;
      this.instances.set(id, instance);
      return id;
    }
    const [id, ...rest] = args as [number, ...unknown[]];
    const instance = this.instances.get(id);
    if (!instance) throw new Error(`no filter instance ${id}`);
    try {
      return instance[METHOD[fn]](...rest);
    } finally {
      if (fn === 'codecOnClose') {
        this.instances.delete(id);
        instance[Symbol.dispose]?.();
      }
    }
  }
}
