// The runtime's single done callback, fanned out to every party that asked at boot (the console, the application, a test).
/**
 * PowerManager keeps exactly one done callback. Boot sets this fan-out as that callback, so the
 * console's report and an application's (or a test's) listener both run, in the order they were
 * added. Calling it allocates nothing: an indexed loop over listeners added at boot.
 */
export class DoneFanout {
  /** Bound once: the function handed to pm.setDoneCallback. */
  readonly call: (status: number) => void;
  private readonly listeners: ((status: number) => void)[] = [];

  constructor() {
    const self = this;
    this.call = function doneFanout(status: number): void {
      self.run(status);
    };
  }

  /** Boot/setup time: `listener` runs after the ones added before it, on every outcome. */
  add(listener: (status: number) => void): void {
    this.listeners.push(listener);
  }

  get size(): number {
    return this.listeners.length;
  }

  /** One listener throwing does not starve the rest; the first exception is rethrown once all ran. */
  private run(status: number): void {
    const l = this.listeners;
    let failed = false;
    let first: unknown = null;
    for (let i = 0; i < l.length; i++) {
      try {
        l[i](status);
      } catch (e) {
        if (!failed) first = e;
        failed = true;
      }
    }
    if (failed) throw first;
  }
}
