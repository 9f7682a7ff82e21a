// The UART console driver on embedded:io/serial: RX backlog and line input, TX ring and drain, wake resync, its power hooks.
import type { DevicePort } from "../../runtime/port";
import { OK, ROLE_WAKE } from "../../runtime/status";
import type { BoardDriver, DriverContext, SerialIo } from "../common/io";
import { numberOption } from "../common/io";
import type { ConsoleClient, ConsoleIo } from "../common/console-io";
import { TxRing } from "./tx-ring";
import { LineReader } from "./line-reader";
import { LineInput } from "./line-input";
import { ConsoleTimers } from "./timers";
import { WakeResync } from "./wake-resync";
import { RxBacklog } from "./rx-backlog";
import { TxDrain } from "./tx-drain";
import { ConsolePower } from "./console-power";

/** Bytes taken from the UART per read(buffer) call; the ESP32 RX FIFO is 128 bytes. */
const RX_CHUNK = 64;

/** The client until the application binds (boot does it before the event loop runs): reads nothing. */
class NoClient implements ConsoleClient {
  step(): boolean {
    return false;
  }

  settled(): void {}

  wakeDiscarded(): void {}

  recover(): void {}
}

/**
 * Every key of its board entry's `options` this driver reads: boot refuses any other. `serial` is an
 * option group (`serial.<key>`, boards/types.ts driverFactory): the four Serial options nested, which
 * replace the top-level ones, so boot also refuses another key inside it and the two forms mixed.
 */
export const UART_CONSOLE_OPTIONS: readonly string[] = Object.freeze(["port", "transmit", "receive", "baud", "serial", "raiseWakeOnRx",
  "echo", "lineBytes", "txRingBytes", "rxBacklogBytes", "wakeLine", "resyncQuietUs", "settleUs",
  "serial.port", "serial.transmit", "serial.receive", "serial.baud"]);

/**
 * RX: every onReadable empties the UART FIFO with `read(buffer)` in 64-byte chunks into a backlog ring
 * (`rxBacklogBytes`, default 256; rx-backlog.ts says why it must never leave bytes in the FIFO); the
 * line input turns its bytes into lines in a fixed buffer (`lineBytes`, default 128) whenever the
 * application asks. TX: the application writes into a fixed ring (`txRingBytes`, default 4096) drained
 * on onWritable in slices no larger than the free FIFO space it reported (tx-drain.ts).
 *
 * Power (console-power.ts): S2 closes the console and answers PENDING until the ring is empty; S3
 * stops TX; RX is a wake source (ROLE_WAKE): input reported through `port.wakeEvent()` aborts a
 * suspend from S1 on, and while asleep the platform wakes the chip on it.
 *
 * ESP32 UART wake (ESP-IDF `uart_set_wakeup_threshold`, light sleep only) loses the byte that wakes
 * the chip: after a resume caused by our line the broken line is dropped and the application told,
 * so the next full line is read intact (wake-resync.ts). Deep sleep cannot be woken by UART on ESP32.
 *
 * Nothing after boot allocates: callbacks are bound in the constructor. This class is the boundary:
 * every entry point (UART callback, timer) catches what the application throws, so bad input never
 * reaches the event loop.
 */
export class UartConsole implements BoardDriver, ConsoleIo {
  readonly name: string;
  readonly roles = ROLE_WAKE;
  readonly stateBytes = 0;
  readonly requestBlocks = 0;
  /** IRQ line meaning "RX activity" (the device's wake line in the board). */
  readonly wakeLine: number;
  /** The UART's own interrupt line (RX and TX events); a board may also name it as the wake cause. */
  readonly uartLine: number;
  /** Time S2 may take: draining a full ring at the configured baud, plus margin. */
  readonly suspendBudgetUs: number;
  readonly echo: boolean;
  readonly resyncQuietUs: number;
  /** How long after a line the application's `settled` runs (its CR LF's LF is read first). */
  readonly settleUs: number;
  /** The device id (from the port at attach; -1 before). */
  id = -1;
  readonly ring: TxRing;
  readonly reader: LineReader;
  readonly input: LineInput;
  /** Input read from the UART, not yet given to the line reader. */
  readonly rx: RxBacklog;
  readonly resync: WakeResync;
  /** Exceptions caught at the driver's boundary. */
  faults = 0;
  private client: ConsoleClient;
  private port: DevicePort | null = null;
  private readonly serial: SerialIo;
  private readonly raiseWake: boolean;
  private readonly rxChunk = new Uint8Array(RX_CHUNK);
  private readonly tx: TxDrain;
  private readonly power: ConsolePower;
  private readonly timers: ConsoleTimers;
  private readonly gaveUp: () => void;
  private servicing = false;
  /** The console's device lock is held: someone typed in the last CONSOLE_HOLD_AWAKE_US (timers.ts). */
  private holding = false;
  private again = false;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    const o = ctx.options;
    // `serial` replaces the top-level four whole (boot has checked it holds only those, and not both forms).
    const serialOptions = (typeof o.serial === "object" && o.serial !== null ? o.serial : o) as { readonly [key: string]: unknown };
    const baud = typeof serialOptions.baud === "number" ? serialOptions.baud : 115200;
    const lineBytes = numberOption(ctx, "lineBytes", 128);
    const ringBytes = numberOption(ctx, "txRingBytes", 4096);
    const backlogBytes = numberOption(ctx, "rxBacklogBytes", 256);
    if (lineBytes < 16 || ringBytes < 1024 || backlogBytes < RX_CHUNK) {
      throw new Error(ctx.board + ": device \"" + ctx.name + "\": lineBytes must be >= 16, txRingBytes >= 1024 and rxBacklogBytes >= " +
        RX_CHUNK + " (got " + lineBytes + ", " + ringBytes + ", " + backlogBytes + "): raise them in its board entry");
    }
    this.wakeLine = numberOption(ctx, "wakeLine", ctx.irqLine);
    this.uartLine = ctx.irqLine;
    this.raiseWake = o.raiseWakeOnRx === true;
    this.echo = o.echo !== false;
    this.resyncQuietUs = numberOption(ctx, "resyncQuietUs", 100_000);
    this.settleUs = numberOption(ctx, "settleUs", 2_000);
    this.suspendBudgetUs = Math.ceil(ringBytes * 10 * 1e6 / baud) + 20_000;
    this.ring = new TxRing(ringBytes);
    this.reader = new LineReader(lineBytes);
    this.rx = new RxBacklog(backlogBytes);
    this.client = new NoClient();
    this.resync = new WakeResync(this.reader, this.client);
    this.timers = new ConsoleTimers(ctx.platform, this);
    this.input = new LineInput(this.reader, this.ring, this.rx, this.resync, this.timers, this.echo, this.resyncQuietUs);
    const self = this;
    this.serial = new ctx.device.io.Serial(Object.assign({}, {
      port: serialOptions.port as number,
      transmit: serialOptions.transmit as number | undefined,
      receive: serialOptions.receive as number | undefined,
      baud,
    }, {
      format: "buffer",
      onReadable: function consoleReadable(): void {
        self.onReadable();
      },
      onWritable: function consoleWritable(bytes: number): void {
        self.onWritable(bytes);
      },
    }));
    this.tx = new TxDrain(this.ring, this.serial, this.timers);
    this.power = new ConsolePower(this.ring, this.tx, this.input, this.timers, this.wakeLine, this.uartLine);
    const power = this.power;
    this.gaveUp = function consoleGaveUp(): void {
      power.gaveUp();
    };
  }

  /** Failed serial writes (output full), each retried. */
  get txErrors(): number {
    return this.tx.errors;
  }

  /** Free TX FIFO space last reported; an accessor so a test can pretend a stale count. */
  private get writable(): number {
    return this.tx.writable;
  }

  private set writable(bytes: number) {
    this.tx.writable = bytes;
  }

  get resyncing(): boolean {
    return this.resync.active;
  }

  /** Boot, after seal: the port, and the one give-up listener (our S2 timed out: reopen, see console-power.ts). */
  attach(port: DevicePort): void {
    this.id = port.id;
    this.port = port;
    this.power.attach(port);
    port.onGiveUp(this.gaveUp);
  }

  /** Boot: the application on top (console/console-app.ts), once. */
  bind(client: ConsoleClient): void {
    this.client = client;
    this.resync.client = client;
  }

  // ---- PM hooks (console-power.ts); S1 needs nothing, so there is no prepare ----

  suspend(token: number): number {
    return this.power.suspend(token);
  }

  powerOffNoIrq(token: number): number {
    this.power.powerOff();
    return OK;
  }

  powerOnNoIrq(token: number): number {
    this.power.powerOn();
    return OK;
  }

  resume(token: number): number {
    this.power.reopen();
    return OK;
  }

  /** After a failed resume: TX back on and the console open, as R2 would have left it. */
  reprobe(token: number): number {
    this.power.powerOn();
    this.power.reopen();
    return OK;
  }

  // ---- what the application calls (console-io.ts) ----

  kick(): void {
    this.timers.kick();
  }

  flush(): void {
    this.tx.drain();
    // Never complete our S2 from here (a trace listener runs inside the runtime's bookkeeping): a timer does it.
    if (this.power.drained()) this.timers.kick();
  }

  settle(): void {
    this.timers.settle(this.settleUs);
  }

  // ---- callbacks (bound once) ----

  onReadable(): void {
    // The runtime takes it as a wake only while a suspend can still be aborted or a (test) sleep ended.
    const port = this.port;
    if (this.raiseWake && port !== null) port.wakeEvent();
    this.service();
  }

  /** Bytes came in: someone is at the console; with the governor on, hold the console's lock (timers.ts). */
  private typed(): void {
    const port = this.port;
    // Only with the governor on: a timer armed otherwise would keep every quiet board busy for nothing.
    if (port === null || !(this.holding || port.governed)) return;
    if (!this.holding) this.holding = port.lock() === OK;
    this.timers.typed();
  }

  /** Timer: nobody typed for CONSOLE_HOLD_AWAKE_US: the idle governor may sleep again. */
  quiet(): void {
    if (this.holding && this.port !== null) this.port.unlock();
    this.holding = false;
  }

  onWritable(bytes: number): void {
    this.tx.writable = bytes;
    this.service();
  }

  /** Timer: the settle delay after the application asked for it. */
  settled(): void {
    this.client.settled();
    this.service();
  }

  /** Timer: no input for resyncQuietUs after a UART wake: the waking key came alone. */
  resyncQuiet(): void {
    if (this.resync.active) this.resync.finish(false);
    this.service();
  }

  /** Timer: a write was refused ("output full") and no onWritable is coming; probe again. */
  retryWrite(): void {
    this.tx.probe();
    this.service();
  }

  /** Timer or application: move input in and output out, complete our S2 when drained, let the application work. */
  service(): void {
    if (this.servicing) {
      this.again = true;
      return;
    }
    this.servicing = true;
    try {
      do {
        this.again = false;
        this.serviceOnce();
      } while (this.again);
    } catch (e) {
      // Something threw inside the console: drop the line in progress, let the application say so, carry on.
      this.faults++;
      this.input.recover();
      this.client.recover();
      try {
        this.tx.drain();
      } catch (e2) {
        this.faults++;
      }
    }
    this.servicing = false;
  }

  private serviceOnce(): void {
    for (;;) {
      // Gated or not: bytes left in the FIFO would re-raise its interrupt at once (rx-backlog.ts).
      if (this.rx.pull(this.serial, this.rxChunk) > 0) this.typed();
      this.tx.drain();
      this.power.completeIfDrained();
      if (this.power.gated) return;
      if (!this.client.step()) return;
    }
  }
}
