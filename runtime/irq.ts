// IRQ controller: lines with handlers registered once, nested masking, latch-while-masked, wake-capable lines.
import type { Platform } from "./platform";
import { OK, INVALID, isIndex } from "./status";

/** Handler for one line, registered once at boot. Receives the line number. */
export type IrqHandler = (line: number) => void;

/**
 * Every interrupt the runtime's world sees (GPIO edges, UART RX, timers a driver cares about) enters
 * through `raise`. While masked (S3, platform sleep, R1) a line is latched, never dropped, and
 * delivered exactly once at the outermost unmask, in line order. A wake-capable line raised while a
 * suspend is armed is also recorded as the wake cause, so the PM can abort (before sleep) or resume.
 * A handler that throws is counted (`handlerFaults`), never thrown through to whoever raised or unmasked.
 */
export class IrqController {
  /** Number of lines (0 .. lines - 1). */
  readonly lines: number;
  private readonly handlers: (IrqHandler | null)[];
  private readonly wakeCapable: Uint8Array;
  private readonly latched: Uint8Array;
  /** Raises per line (delivered or latched), for stats and storm tests. */
  readonly raisedCount: Uint32Array;
  /** Deliveries to the handler per line (latched ones once, at unmask). */
  readonly deliveredCount: Uint32Array;
  /** Times a line was latched while masked (repeat raises coalesce). */
  readonly latchedCount: Uint32Array;
  private depth = 0;
  private latchedAny = 0;
  private platform: Platform | null = null;
  private wakeArmed = false;
  /** First wake-capable line raised since `armWake`, or -1. */
  wakeLine = -1;
  private wakeListener: ((line: number) => void) | null = null;
  /** Observer for tracing (latch, deliver), registered once. event: 0 latch, 1 deliver. */
  private observer: ((line: number, event: number) => void) | null = null;
  /** Handlers that threw (caught: the delivery of the other lines and the attempt go on). */
  handlerFaults = 0;
  /** The line whose handler threw last, -1 none. */
  lastFaultLine = -1;
  private faultSink: { listenerFaults: number } | null = null;

  constructor(lines: number) {
    this.lines = lines;
    this.handlers = new Array(lines);
    for (let i = 0; i < lines; i++) this.handlers[i] = null;
    this.wakeCapable = new Uint8Array(lines);
    this.latched = new Uint8Array(lines);
    this.raisedCount = new Uint32Array(lines);
    this.deliveredCount = new Uint32Array(lines);
    this.latchedCount = new Uint32Array(lines);
  }

  /** Binds the platform whose real interrupts are masked with ours (boot time). */
  setPlatform(platform: Platform): void {
    this.platform = platform;
  }

  /** Registered once (the power manager): told of the first wake-capable raise after `armWake`. */
  setWakeListener(listener: (line: number) => void): void {
    this.wakeListener = listener;
  }

  /** Registered once (the recorder): told of each latch (`event` 0) and delivery (1). */
  setObserver(observer: (line: number, event: number) => void): void {
    this.observer = observer;
  }

  /** Registered once (the power manager): handler faults are counted in `sink.listenerFaults` too (`stats`). */
  countFaultsIn(sink: { listenerFaults: number }): void {
    this.faultSink = sink;
  }

  /** Registers the handler of `line` once (Tock: callbacks are registered once). Throws, registering nothing, for a bad line or handler. @boot */
  register(line: number, handler: IrqHandler, wakeCapable: boolean): void {
    this.checkLine(line, "irq line ");
    if (typeof handler !== "function") {
      throw new Error("irq line " + line + ": the handler is " + (handler === null ? "null" : "a " + typeof handler) + ", not a function: pass (line) => void");
    }
    if (this.handlers[line] !== null) {
      throw new Error("irq line " + line + " already has a handler: each line is registered once at boot");
    }
    this.handlers[line] = handler;
    if (wakeCapable) this.wakeCapable[line] = 1;
  }

  /** Boot: a device declared this line as its wake source (ROLE_WAKE), with or without a handler yet. @boot */
  markWake(line: number): void {
    this.checkLine(line, "wake line ");
    this.wakeCapable[line] = 1;
  }

  /** `line` is an integer 0 .. lines - 1, else throws naming it (a NaN or "3" would index no table, or a property of one). @boot */
  private checkLine(line: number, what: string): void {
    if (typeof line === "number" && (line | 0) === line && line >= 0 && line < this.lines) return;
    throw new Error(what + (typeof line === "string" ? JSON.stringify(line) : String(line)) + " out of range 0.." + (this.lines - 1) +
      ": use an integer line below irqLines, or raise irqLines in the board config");
  }

  /** Whether `line` may wake the system (false for a `line` that is no integer 0 .. lines - 1). */
  isWakeCapable(line: number): boolean {
    return isIndex(line, this.lines) && this.wakeCapable[line] === 1;
  }

  /** Some mask level is held: raises latch. */
  get masked(): boolean {
    return this.depth > 0;
  }

  /** Nesting depth of `mask` calls (0: unmasked). */
  get maskDepth(): number {
    return this.depth;
  }

  /** Enters one nesting level; the outermost also masks the platform's interrupts. */
  mask(): void {
    if (this.depth++ === 0 && this.platform !== null) this.platform.maskInterrupts();
  }

  /** Leaves one nesting level; the outermost unmask delivers every latched line once, in line order. */
  unmask(): void {
    if (this.depth === 0) return;
    if (--this.depth !== 0) return;
    if (this.platform !== null) this.platform.unmaskInterrupts();
    if (this.latchedAny === 0) return;
    this.latchedAny = 0;
    for (let line = 0; line < this.lines; line++) {
      if (this.latched[line] === 0) continue;
      this.latched[line] = 0;
      this.deliver(line);
      // A handler may mask again (e.g. start a suspend): stop; the rest stay latched for that unmask.
      if (this.depth > 0) {
        for (let rest = line + 1; rest < this.lines; rest++) {
          if (this.latched[rest] !== 0) this.latchedAny = 1;
        }
        return;
      }
    }
  }

  /** Starts recording wake-capable raises as the wake cause (S1 start). */
  armWake(): void {
    this.wakeArmed = true;
    this.wakeLine = -1;
  }

  /** Stops recording wake causes (the attempt ended); `wakeLine` keeps the last one. */
  disarmWake(): void {
    this.wakeArmed = false;
  }

  /**
   * An interrupt arrives. Masked: latched (repeat raises coalesce, as a level-triggered pending bit). OK,
   * or INVALID, counting and changing nothing, for a line that is not an integer 0 .. lines - 1 or has
   * neither a handler nor a wake mark (nothing would take it).
   */
  raise(line: number): number {
    if (typeof line !== "number" || !(line >= 0 && line < this.lines) || (line | 0) !== line || (this.handlers[line] === null && this.wakeCapable[line] === 0)) return INVALID;
    this.raisedCount[line]++;
    if (this.wakeCapable[line] === 1 && this.wakeArmed && this.wakeLine < 0) {
      this.wakeLine = line;
      if (this.wakeListener !== null) this.wakeListener(line);
    }
    if (this.depth > 0) {
      if (this.latched[line] === 0) {
        this.latched[line] = 1;
        this.latchedCount[line]++;
        this.latchedAny = 1;
        if (this.observer !== null) this.observer(line, 0);
      }
      return OK;
    }
    this.deliver(line);
    return OK;
  }

  /** Whether `line` is latched, waiting for the unmask (false for a `line` that is no integer 0 .. lines - 1). */
  isLatched(line: number): boolean {
    return isIndex(line, this.lines) && this.latched[line] === 1;
  }

  private deliver(line: number): void {
    this.deliveredCount[line]++;
    if (this.observer !== null) this.observer(line, 1);
    const handler = this.handlers[line];
    if (handler === null) return;
    // A handler's throw is its own bug: thrown on, it would stop the unmask's delivery (the lines after it stay
    // latched) or unwind the power manager's resume from inside R1; it is counted and delivery goes on.
    try {
      handler(line);
    } catch {
      this.handlerFaults++;
      this.lastFaultLine = line;
      if (this.faultSink !== null) this.faultSink.listenerFaults++;
    }
  }
}
