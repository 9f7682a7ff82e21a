// The runtime's IRQ mask window: IRQs masked and the other CPU held while masked stages and the sleep run.
import type { IrqController } from "./irq";
import type { Platform } from "./platform";
import type { Recorder } from "./recorder";

/**
 * Exactly one level of the IRQ controller's nesting belongs to the power manager, opened before the
 * first masked stage (S3, or R1 after a reboot from an image) and closed before the first stage with
 * IRQs on. Order matters: the other CPU is released before the latched lines are delivered (a handler
 * may run on either core), and on the way in it is held only after the runtime's latch is up, so no
 * edge falls between the two (ESP32 choice: docs/design.md, "ESP32 masking").
 */
export class MaskWindow {
  private readonly irq: IrqController;
  private readonly platform: Platform;
  private readonly rec: Recorder;
  /** The power manager's mask level is held (IRQs masked, other CPU held); written by `mask` and `unmask` only. */
  isOpen = false;

  constructor(irq: IrqController, platform: Platform, rec: Recorder) {
    this.irq = irq;
    this.platform = platform;
    this.rec = rec;
  }

  /** Makes the window match a stage's context: masked (true) or IRQs on (false). */
  set(masked: boolean): void {
    if (masked) this.mask();
    else this.unmask();
  }

  /** Opens the window: masks IRQs, holds the other CPU (no-op if open). */
  mask(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    this.irq.mask();
    this.platform.enterSingleCpu();
    this.rec.mask(this.platform.now());
  }

  /** Closes the window: releases the other CPU, then delivers latched lines (no-op if closed). */
  unmask(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.platform.leaveSingleCpu();
    this.rec.unmask(this.platform.now());
    this.irq.unmask();
  }
}
