// The XS task's finite message queue: ISRs post a line number, the event loop drains it into the IRQ sink.
import type { Clock } from "./contracts";

/** Where drained events go: the runtime's IrqController (runtime/irq.ts) or a test pass-through. */
export interface IrqSink {
  raise(line: number): void;
}

/**
 * Moddable ESP32 (xs/platforms/esp/xsHost.c): an ISR calls modMessagePostToMachineFromISR, which is
 * xQueueSendToBackFromISR on a FreeRTOS queue of `defines.task.queueLength` entries (default 10). It
 * never blocks: on a full queue the post fails and the message is lost. modMessageService later
 * delivers, per event-loop turn, the messages waiting when the turn began; later posts wait for the
 * next turn. Here a turn is a zero-delay timer on the virtual clock, armed by the first post.
 */
export class EventQueue {
  readonly capacity: number;
  private readonly ring: Int16Array;
  private head = 0;
  private count = 0;
  private readonly clock: Clock;
  private readonly timer: number;
  private armed = false;
  private sink: IrqSink | null;
  private stats: { irqQueueOverflows: number; irqQueueMaxDepth: number } | null = null;
  /** [posted, overflowed, delivered, maxDepth, turns] */
  readonly counters: Uint32Array;

  constructor(clock: Clock, capacity: number, sink: IrqSink | null) {
    if (!(capacity >= 1 && capacity <= 4096) || capacity !== Math.floor(capacity)) {
      throw new RangeError("EventQueue: queueLength " + String(capacity) + " must be an integer 1..4096 (Moddable defines.task.queueLength, default 10)");
    }
    this.capacity = capacity;
    this.ring = new Int16Array(capacity);
    this.clock = clock;
    this.sink = sink;
    this.counters = new Uint32Array(5);
    const self = this;
    this.timer = clock.createTimer(function eventLoopTurn(): void {
      self.turn();
    });
  }

  setSink(sink: IrqSink | null): void {
    this.sink = sink;
  }

  /**
   * The runtime's stats (PmStats has these two fields): overflows and the deepest queue are reported
   * there as they happen, so the firmware's `stats` shows what the board lost, not only the simulator.
   */
  setStats(stats: { irqQueueOverflows: number; irqQueueMaxDepth: number } | null): void {
    this.stats = stats;
  }

  get depth(): number {
    return this.count;
  }

  get posted(): number {
    return this.counters[0];
  }

  get overflows(): number {
    return this.counters[1];
  }

  get delivered(): number {
    return this.counters[2];
  }

  get maxDepth(): number {
    return this.counters[3];
  }

  /** ISR side. False when the queue is full: the message is dropped and counted, as FreeRTOS does. */
  post(line: number): boolean {
    if (this.count === this.capacity) {
      this.counters[1]++;
      if (this.stats !== null) this.stats.irqQueueOverflows++;
      return false;
    }
    this.ring[(this.head + this.count) % this.capacity] = line;
    this.count++;
    this.counters[0]++;
    if (this.count > this.counters[3]) this.counters[3] = this.count;
    if (this.stats !== null && this.count > this.stats.irqQueueMaxDepth) this.stats.irqQueueMaxDepth = this.count;
    if (!this.armed) {
      this.armed = true;
      this.clock.schedule(this.timer, 0);
    }
    return true;
  }

  /** Drops every waiting message (a reset). */
  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  /** One event-loop turn: delivers what was waiting at its start; a handler's new posts wait a turn. */
  private turn(): void {
    this.armed = false;
    this.counters[4]++;
    let n = this.count;
    try {
      while (n > 0 && this.count > 0) {
        const line = this.ring[this.head];
        this.head = (this.head + 1) % this.capacity;
        this.count--;
        n--;
        this.counters[2]++;
        if (this.sink !== null) this.sink.raise(line);
      }
    } finally {
      // A throwing handler must not strand the rest of the queue.
      if (this.count > 0 && !this.armed) {
        this.armed = true;
        this.clock.schedule(this.timer, 0);
      }
    }
  }
}
