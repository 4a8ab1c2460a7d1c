// One lane per plugin: its event deliveries run one after another in the order they were queued, which is
// the order the events were fired. A background (observe-only) event is queued in every listener's lane at
// once, so a plugin slow to answer it delays only its own later events, never another plugin's, and a plugin
// never hears an event before one fired earlier (Infrarust delivers a connection's events to each plugin in
// order; §4.3: an instance takes one call at a time from a bounded queue).

/** The contract's default `queue_capacity` (§4.3): background deliveries a plugin may have waiting. */
export const LANE_CAPACITY = 1024;

interface Lane {
  tail: Promise<void>;
  /** Deliveries queued or running. */
  pending: number;
  /** Background deliveries among them: the ones the capacity bounds. */
  background: number;
  warned: boolean;
}

const settle = (): void => undefined;

export class DeliveryLanes {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly capacity = LANE_CAPACITY,
    /** Called once each time a plugin's lane fills up (until it drains). */
    private readonly onFull: (pluginId: string, capacity: number) => void = () => undefined,
  ) {}

  /** Runs `task` once every delivery queued before it for this plugin has settled (an awaited decision). */
  run<T>(pluginId: string, task: () => Promise<T>): Promise<T> {
    return this.queue(pluginId, task, false);
  }

  /**
   * Queues a background delivery like `run`, or refuses it (undefined, `task` never runs) while the plugin
   * already has `capacity` of them waiting. A plugin that stops answering is cut at each call's deadline (a
   * fault, after which its dropped listeners are skipped), so its lane drains, and what arrives meanwhile past
   * the bound is dropped. Decisions are not counted: each waiting connection holds at most one.
   */
  post<T>(pluginId: string, task: () => Promise<T>): Promise<T> | undefined {
    const lane = this.lanes.get(pluginId);
    if (lane && lane.background >= this.capacity) {
      if (!lane.warned) this.onFull(pluginId, this.capacity);
      lane.warned = true;
      return undefined;
    }
    return this.queue(pluginId, task, true);
  }

  private queue<T>(pluginId: string, task: () => Promise<T>, background: boolean): Promise<T> {
    let lane = this.lanes.get(pluginId);
    if (!lane) {
      lane = { tail: Promise.resolve(), pending: 0, background: 0, warned: false };
      this.lanes.set(pluginId, lane);
    }
    // An idle lane starts the delivery now (no turn of the event loop on the common path).
    const result = lane.pending === 0 ? invoke(task) : lane.tail.then(task);
    lane.pending++;
    if (background) lane.background++;
    const held = lane;
    // The lane stops counting a delivery before its caller sees the answer.
    const release = () => {
      held.pending--;
      if (background) held.background--;
      if (held.pending === 0 && this.lanes.get(pluginId) === held) this.lanes.delete(pluginId);
    };
    const answered = result.then(
      (value) => {
        release();
        return value;
      },
      (err: unknown) => {
        release();
        throw err;
      },
    );
    lane.tail = answered.then(settle, settle);
    return answered;
  }
}

function invoke<T>(task: () => Promise<T>): Promise<T> {
  try {
    return task();
  } catch (err) {
    return Promise.reject(err);
  }
}
