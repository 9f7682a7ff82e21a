// Winbond W25Q64JV (or W25Q32JV) SPI NOR flash model: command set, BUSY/power-down timing, currents, rule checks.
import type { Clock, SpiTarget, ViolationSink } from "../core/contracts";
import { FAULT_NAK, FAULT_NONE, FAULT_STALL, type FaultKind, type NotifyingPowerModel, faultCode } from "./common";
import {
  R_BUSY, R_NO_RESET_ENABLE, R_NO_WEL, R_POWERED_DOWN, R_SHORT, R_TDP, R_TRES1, R_TRST, R_TVSL, R_UNSUPPORTED,
  W25Q64JV, W25Q_POWER_DOWN_UA, W25Q_READ_UA, W25Q_STANDBY_UA, W25Q_TDP_US, W25Q_TRES1_US, W25Q_TRES2_US,
  W25Q_TRST_US, W25Q_TVSL_US, W25Q_WRITE_UA, type W25qTiming, type W25qVariant, buildMessages, isModelledOp,
} from "./w25q-spec";
import { W25qPageBuffer } from "./w25q-page-buffer";

const CHIP = "w25q";

// Chip state (Float64Array indices).
const BUSY_UNTIL = 0;
const READY_AT = 1;
const READY_RULE = 2;
const POWERED_DOWN = 3;
const PD_AT = 4;
const FAULT = 5;
const WEL = 6;
const RESET_ENABLED = 7;

// Per-/CS-cycle state (Int32Array indices).
const SELECTED = 0;
const COUNT = 1;
const OP = 2;
const ACCEPTED = 3;
const ADDR = 4;
const POS = 5;

export interface W25qOptions {
  clock: Clock;
  violations: ViolationSink;
  /** Default W25Q64JV (8 MB, JEDEC EF 40 17). */
  variant?: W25qVariant;
  name?: string;
  /** "typ" (default) busy times or the datasheet maximums, to test drivers' timeouts. */
  timing?: "typ" | "max";
  /**
   * true: the chip is powered at construction, so tVSL applies from now. Default false: the board
   * powered it long before (the ESP32 boot takes far longer than tVSL), so it is ready at once.
   */
  coldStart?: boolean;
}

export class W25q implements SpiTarget, NotifyingPowerModel {
  readonly name: string;
  readonly variant: W25qVariant;
  /** The array, erased = 0xFF. Tests may preload or inspect it; program only clears bits. */
  get memory(): Uint8Array {
    if (this.xor !== 0) for (let i = 0; i < this.words.length; i++) this.words[i] ^= 0xffffffff;
    this.xor = 0;
    return this.bytes;
  }
  // Stored XOR `xor`: a new chip's array is inverted (0 = erased), so nothing fills 8 MB of fresh pages with 0xFF
  // (~25 ms of `npm start`) nor allocates later (the XS suites count this model); `memory` flips `words` in place.
  private readonly bytes: Uint8Array;
  private readonly words: Uint32Array;
  private xor = 0xff;
  private readonly clock: Clock;
  private readonly sink: ViolationSink;
  private readonly t: W25qTiming;
  private readonly messages: string[];
  private readonly busyTimer: number;
  private readonly pdTimer: number;
  private readonly s = new Float64Array(8);
  private readonly c = new Int32Array(6);
  private readonly page = new W25qPageBuffer();
  private powerListener: (() => void) | null = null;

  constructor(options: W25qOptions) {
    this.name = options.name ?? CHIP;
    this.variant = options.variant ?? W25Q64JV;
    this.clock = options.clock;
    this.sink = options.violations;
    this.t = options.timing === "max" ? this.variant.max : this.variant.typ;
    this.bytes = new Uint8Array(this.variant.sizeBytes);
    this.words = new Uint32Array(this.bytes.buffer);
    this.messages = buildMessages();
    const self = this;
    this.busyTimer = this.clock.createTimer(function w25qReady(): void {
      self.endBusy();
    });
    this.pdTimer = this.clock.createTimer(function w25qPowerDown(): void {
      self.notify();
    });
    this.powerUp(options.coldStart === true ? W25Q_TVSL_US : 0);
  }

  setPowerListener(listener: (() => void) | null): void {
    this.powerListener = listener;
  }

  /** "nak": the chip is absent (MISO floats high, nothing executes). "stall": BUSY never clears. */
  setFault(kind: FaultKind): void {
    this.s[FAULT] = faultCode(CHIP, kind);
    this.notify();
  }

  /** Hardware reset / power cycle: volatile state to defaults, tVSL before the first command; the array survives. */
  reset(): void {
    this.s[FAULT] = FAULT_NONE;
    this.powerUp(W25Q_TVSL_US);
  }

  busy(): boolean {
    return this.s[FAULT] === FAULT_STALL || this.clock.now() < this.s[BUSY_UNTIL];
  }

  poweredDown(): boolean {
    return this.s[POWERED_DOWN] === 1 && this.clock.now() >= this.s[PD_AT];
  }

  /** Status register-1 (section 7.1): BUSY bit 0, WEL bit 1. */
  status1(): number {
    return (this.busy() ? 1 : 0) | (this.s[WEL] === 1 ? 2 : 0);
  }

  currentUa(): number {
    if (this.poweredDown()) return W25Q_POWER_DOWN_UA;
    if (this.busy()) return W25Q_WRITE_UA;
    const op = this.c[OP];
    if (this.c[SELECTED] === 1 && this.c[ACCEPTED] === 1 && (op === 0x03 || op === 0x0b)) return W25Q_READ_UA;
    return W25Q_STANDBY_UA;
  }

  spiSelect(): void {
    this.c[SELECTED] = 1;
    this.c[COUNT] = 0;
    this.c[OP] = -1;
    this.c[ACCEPTED] = 0;
    this.c[ADDR] = 0;
  }

  spiTransfer(tx: Uint8Array | null, rx: Uint8Array | null, length: number): void {
    if (this.c[SELECTED] !== 1) return;
    for (let i = 0; i < length; i++) {
      const out = this.shift(tx === null ? 0 : tx[i]);
      if (rx !== null) rx[i] = out;
    }
  }

  spiDeselect(): void {
    if (this.c[SELECTED] !== 1) return;
    this.c[SELECTED] = 0;
    if (this.c[ACCEPTED] === 1) this.execute(this.c[OP], this.c[COUNT]);
    this.c[ACCEPTED] = 0;
    this.notify();
  }

  private shift(input: number): number {
    const n = this.c[COUNT];
    this.c[COUNT] = n + 1;
    if (n === 0) {
      this.c[OP] = input;
      this.c[ACCEPTED] = this.accept(input) ? 1 : 0;
      if (this.c[ACCEPTED] === 1 && (input === 0x03 || input === 0x0b)) this.notify();
      return 0xff;
    }
    if (this.c[ACCEPTED] !== 1) return 0xff;
    const op = this.c[OP];
    if (op === 0x05) return this.status1();
    if (op === 0x35) return 0x00;
    if (op === 0x9f) return n <= 3 ? (this.variant.jedec >> (8 * (3 - n))) & 0xff : 0xff;
    if (n <= 3) {
      // 24-bit address, MSB first; dummy bytes for ABh.
      this.c[ADDR] = ((this.c[ADDR] << 8) | input) & 0xffffff;
      if (n === 3) this.addressDone(op);
      return 0xff;
    }
    if (op === 0x03 || (op === 0x0b && n >= 5)) {
      // Read wraps from the last address to 0 (section 8.2 "Read Data (03h)").
      const pos = this.c[POS];
      this.c[POS] = (pos + 1) % this.bytes.length;
      return this.bytes[pos] ^ this.xor;
    }
    if (op === 0x02) {
      this.page.put(input);
      return 0xff;
    }
    if (op === 0xab) return this.variant.deviceId;
    if (op === 0x90) return ((n - 4 + (this.c[ADDR] & 1)) & 1) === 0 ? 0xef : this.variant.deviceId;
    return 0xff;
  }

  private addressDone(op: number): void {
    const addr = this.c[ADDR] % this.bytes.length;
    this.c[POS] = addr;
    if (op === 0x02) this.page.begin(addr);
  }

  /** Decides at the opcode byte whether the chip will act on this /CS cycle. */
  private accept(op: number): boolean {
    if (this.s[FAULT] === FAULT_NAK) return false;
    const now = this.clock.now();
    let rule = -1;
    if (this.s[POWERED_DOWN] === 1) {
      // Section 8.2 "Power-down (B9h)": only ABh is recognized; even 05h is ignored.
      if (now < this.s[PD_AT]) rule = R_TDP;
      else if (op !== 0xab) rule = R_POWERED_DOWN;
    } else if (now < this.s[READY_AT]) {
      rule = this.s[READY_RULE];
    } else if (this.busy() && op === 0xab) {
      // Section 8.2 "Release Power-down / Device ID (ABh)": issued while BUSY it "is ignored and will not
      // have any effects on the current cycle". Documented and harmless, so no violation: a driver that
      // cannot know the chip's state after a board reset sends it first (it ends a power-down otherwise).
      this.s[RESET_ENABLED] = 0;
      return false;
    } else if (this.busy() && op !== 0x05 && op !== 0x35 && op !== 0x66 && op !== 0x99) {
      // Section 7.1.1: during program/erase only Read Status Register (and the reset pair) are accepted.
      rule = R_BUSY;
    } else if (!isModelledOp(op)) {
      rule = R_UNSUPPORTED;
    } else if (this.s[WEL] !== 1 && (op === 0x02 || op === 0x20 || op === 0x52 || op === 0xd8 || op === 0xc7 || op === 0x60 || op === 0x01)) {
      rule = R_NO_WEL;
    } else if (op === 0x99 && this.s[RESET_ENABLED] !== 1) {
      rule = R_NO_RESET_ENABLE;
    }
    // Any instruction other than 99h after 66h cancels the reset enable.
    if (op !== 0x99) this.s[RESET_ENABLED] = 0;
    if (rule < 0) return true;
    this.sink.violation(CHIP, this.messages[rule * 256 + op]);
    return false;
  }

  /** Instructions take effect when /CS rises (section 6.1: write/erase only on a byte boundary). */
  private execute(op: number, count: number): void {
    const now = this.clock.now();
    if (op === 0x06) this.s[WEL] = 1;
    else if (op === 0x04) this.s[WEL] = 0;
    else if (op === 0x66) this.s[RESET_ENABLED] = 1;
    else if (op === 0x02) {
      if (count < 5) return this.short(op);
      this.page.program(this.bytes, this.xor);
      this.startBusy(this.t.pp);
    } else if (op === 0x20 || op === 0x52 || op === 0xd8) {
      if (count < 4) return this.short(op);
      const size = op === 0x20 ? 4096 : op === 0x52 ? 32768 : 65536;
      const start = this.c[ADDR] & ~(size - 1) & (this.bytes.length - 1);
      this.bytes.fill(0xff ^ this.xor, start, start + size);
      this.startBusy(op === 0x20 ? this.t.se : op === 0x52 ? this.t.be1 : this.t.be2);
    } else if (op === 0xc7 || op === 0x60) {
      this.bytes.fill(0xff ^ this.xor);
      this.startBusy(this.t.ce);
    } else if (op === 0xb9) {
      this.s[POWERED_DOWN] = 1;
      this.s[PD_AT] = now + W25Q_TDP_US;
      this.clock.schedule(this.pdTimer, W25Q_TDP_US);
    } else if (op === 0xab) {
      if (this.s[POWERED_DOWN] === 1) {
        this.s[POWERED_DOWN] = 0;
        this.s[READY_AT] = now + (count >= 5 ? W25Q_TRES2_US : W25Q_TRES1_US);
        this.s[READY_RULE] = R_TRES1;
      }
    } else if (op === 0x99) {
      // Section 8.2 "Reset Device (99h)": volatile state to defaults, tRST before the next instruction.
      // A program/erase in progress is abandoned (its data is undefined; the model already applied it).
      this.s[RESET_ENABLED] = 0;
      this.s[WEL] = 0;
      this.s[BUSY_UNTIL] = 0;
      this.clock.cancel(this.busyTimer);
      this.s[READY_AT] = now + W25Q_TRST_US;
      this.s[READY_RULE] = R_TRST;
    }
  }

  private short(op: number): void {
    this.sink.violation(CHIP, this.messages[R_SHORT * 256 + op]);
  }

  private startBusy(us: number): void {
    // Effects are applied at the start: nothing can read the array until BUSY clears.
    this.s[BUSY_UNTIL] = this.clock.now() + us;
    this.clock.schedule(this.busyTimer, us);
  }

  private endBusy(): void {
    // Section 7.1.2: WEL clears when program/erase completes.
    this.s[WEL] = 0;
    this.notify();
  }

  private powerUp(startupUs: number): void {
    this.clock.cancel(this.busyTimer);
    this.clock.cancel(this.pdTimer);
    this.s[BUSY_UNTIL] = 0;
    this.s[POWERED_DOWN] = 0;
    this.s[PD_AT] = 0;
    this.s[WEL] = 0;
    this.s[RESET_ENABLED] = 0;
    this.s[READY_AT] = this.clock.now() + startupUs;
    this.s[READY_RULE] = R_TVSL;
    this.c[SELECTED] = 0;
    this.c[ACCEPTED] = 0;
    this.notify();
  }

  private notify(): void {
    if (this.powerListener !== null) this.powerListener();
  }
}
