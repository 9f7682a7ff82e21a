// ILI9341 panel commands: D/C-framed SPI writes, the register values, sleep state and the times the datasheet's waits count from.
import type { Platform } from "../../runtime/platform";
import type { DigitalIo, SpiIo } from "../common/io";
import {
  SWRESET, SLPIN, SLPOUT, INVON, DISPOFF, DISPON, MADCTL, COLMOD, SETTLE_US, SLEEP_GAP_US,
  ST_MADCTL, ST_COLMOD, ST_INVERT, ST_VALID,
} from "./ili9341-spec";

/**
 * Sends commands and records when SLPIN/SLPOUT went out; it never waits. The driver decides when a
 * command may go (5 ms after SWRESET/SLPIN, 120 ms between SLPIN and SLPOUT, datasheet 8.2.2/8.2.11/8.2.12)
 * from these times and its one timer, so no wait is ever a busy-wait.
 */
export class Ili9341Panel {
  private readonly platform: Platform;
  private readonly spi: SpiIo;
  private readonly dc: DigitalIo;
  /** Boot init finished. */
  ready = false;
  /** SLPIN sent, no SLPOUT since. */
  asleep = false;
  displayOn = false;
  /** When the last SLPIN / SLPOUT went out (platform microseconds). */
  sleepInAt = 0;
  sleepOutAt = 0;
  /** MADCTL/COLMOD rewritten since the last SLPIN. */
  private restored = false;
  private initStepIndex = 0;
  /** Current register values (what the panel holds while awake), indexed by ST_MADCTL/ST_COLMOD/ST_INVERT. */
  readonly regs = new Uint8Array(3);
  private readonly one = new Uint8Array(1);
  private readonly four = new Uint8Array(4);

  constructor(platform: Platform, spi: SpiIo, dc: DigitalIo, madctl: number, colmod: number, invert: boolean) {
    this.platform = platform;
    this.spi = spi;
    this.dc = dc;
    this.regs[ST_MADCTL] = madctl;
    this.regs[ST_COLMOD] = colmod;
    this.regs[ST_INVERT] = invert ? 1 : 0;
  }

  /**
   * Boot init, one step per call: SWRESET, 5 ms, registers, SLPOUT at +120 ms, DISPON 120 ms later.
   * Answers the wait before the next step, or -1 once DISPON went out and the panel is ready.
   */
  initStep(): number {
    const step = this.initStepIndex++;
    if (step === 0) {
      // SWRESET; 5 ms before the next command, and 120 ms before SLPOUT if it was awake (8.2.2).
      this.command(SWRESET);
      this.spi.flush(true);
      this.asleep = true;
      this.displayOn = false;
      return SETTLE_US;
    }
    if (step === 1) {
      this.writeRegisters();
      this.spi.flush(true);
      return SLEEP_GAP_US - SETTLE_US;
    }
    if (step === 2) {
      this.sleepOut();
      this.spi.flush(true);
      return SLEEP_GAP_US;
    }
    this.displayOnNow();
    this.ready = true;
    return -1;
  }

  /** Microseconds until any command may go: 5 ms after the last SLPIN or SLPOUT (8.2.11, 8.2.12). */
  quietUs(now: number): number {
    const us = (this.asleep ? this.sleepInAt : this.sleepOutAt) + SETTLE_US - now;
    return us > 0 ? us : 0;
  }

  /** The init wrote the registers (its second step): what a re-probe waits for. */
  get configured(): boolean {
    return this.initStepIndex >= 2;
  }

  /** A re-probe runs the boot init again from SWRESET (the panel may have lost power: start over). */
  restart(): void {
    this.initStepIndex = 0;
    this.ready = false;
  }

  /** S3: DISPOFF then SLPIN, flushed; the registers must be rewritten before the panel shows again. */
  sleepIn(): void {
    this.command(DISPOFF);
    this.command(SLPIN);
    this.spi.flush(true);
    this.sleepInAt = this.platform.now();
    this.asleep = true;
    this.displayOn = false;
    this.restored = false;
  }

  /** SLPOUT (not flushed: the caller flushes with what follows). */
  sleepOut(): void {
    this.command(SLPOUT);
    this.sleepOutAt = this.platform.now();
    this.asleep = false;
  }

  /** DISPON, flushed. */
  displayOnNow(): void {
    this.command(DISPON);
    this.spi.flush(true);
    this.displayOn = true;
  }

  /** Copies the registers into the device's state area (S2, so a hibernate image holds them). */
  save(state: Uint8Array): void {
    state[ST_MADCTL] = this.regs[ST_MADCTL];
    state[ST_COLMOD] = this.regs[ST_COLMOD];
    state[ST_INVERT] = this.regs[ST_INVERT];
    state[ST_VALID] = 1;
  }

  /** Rewrites the saved registers (accepted in sleep-in; needed when the panel lost them, e.g. a power cut in hibernate). */
  restore(state: Uint8Array): void {
    if (this.restored) return;
    if (state[ST_VALID] === 1) {
      this.regs[ST_MADCTL] = state[ST_MADCTL];
      this.regs[ST_COLMOD] = state[ST_COLMOD];
      this.regs[ST_INVERT] = state[ST_INVERT];
    }
    this.writeRegisters();
    this.restored = true;
  }

  /** Ends the transaction: Moddable keeps /CS asserted across writes until flush(true). */
  flush(): void {
    this.spi.flush(true);
  }

  command(op: number): void {
    this.dc.write(0);
    this.one[0] = op;
    this.spi.write(this.one);
    this.dc.write(1);
  }

  data4(a: number, b: number, c: number, d: number): void {
    this.four[0] = a;
    this.four[1] = b;
    this.four[2] = c;
    this.four[3] = d;
    this.spi.write(this.four);
  }

  private writeRegisters(): void {
    this.command(MADCTL);
    this.data1(this.regs[ST_MADCTL]);
    this.command(COLMOD);
    this.data1(this.regs[ST_COLMOD]);
    if (this.regs[ST_INVERT] === 1) this.command(INVON);
  }

  private data1(v: number): void {
    this.one[0] = v;
    this.spi.write(this.one);
  }
}
