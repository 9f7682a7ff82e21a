// boards/esp32/irq-source.ts: Moddable onReadable calls reach drivers through the runtime's IrqController, latched while masked.
import { describe, expect, it } from "vitest";
import { IrqController } from "../../runtime/irq";
import { Esp32IrqSource } from "../../boards/esp32/irq-source";
import type { IoProvider } from "../../drivers/common/io";

type Opts = { pin?: number; port?: number; onReadable?: (this: unknown, n: number) => void };

/** Stands in for Moddable's classes: keeps the onReadable the wrapper passed, so the test can "interrupt". */
function fakeProvider(fired: ((n: number) => void)[]): IoProvider {
  function Digital(this: unknown, o: Opts) { if (o.onReadable) fired.push(o.onReadable.bind(this)); return { read: () => 0, write: () => undefined, close: () => undefined }; }
  function Serial(this: unknown, o: Opts) { if (o.onReadable) fired.push(o.onReadable.bind(this)); return { read: () => 0, write: () => undefined, close: () => undefined }; }
  Object.assign(Digital, { Input: 0, InputPullUp: 1, Output: 8, Rising: 1, Falling: 2 });
  return { io: { Digital, Serial, I2C: Object, SPI: Object } } as unknown as IoProvider;
}

describe("Esp32IrqSource", () => {
  it("routes Digital and Serial events through the IrqController: delivered when unmasked, latched while masked", () => {
    const log: string[] = [];
    const fired: ((n: number) => void)[] = [];
    const src = new Esp32IrqSource(40, 3, 0, 40);
    const provider = src.wrap(fakeProvider(fired));
    const D = provider.io.Digital;
    expect([D.InputPullUp, D.Rising | D.Falling]).toEqual([1, 3]);
    new D({ pin: 0, mode: D.InputPullUp, edge: 3, onReadable: () => log.push("button") });
    new provider.io.Serial({ port: 0, baud: 115200, onReadable: () => log.push("console") });
    const irq = new IrqController(src.lineCount);
    for (let l = 0; l < src.lineCount; l++) irq.register(l, src.deliver, l === 0);
    src.setSink(irq);
    fired[0](1);
    irq.mask();
    fired[1](5);
    fired[0](1);
    log.push("masked");
    irq.unmask();
    expect(log).toEqual(["button", "masked", "button", "console"]);
    expect([src.raised[0], src.raised[40], irq.latchedCount[0], irq.latchedCount[40]]).toEqual([2, 1, 1, 1]);
  });

  it("refuses a second onReadable on one pin, naming pin and line", () => {
    const src = new Esp32IrqSource(40, 3, 0, 40);
    const p = src.wrap(fakeProvider([]));
    new p.io.Digital({ pin: 4, mode: 0, onReadable: () => undefined });
    expect(() => new p.io.Digital({ pin: 4, mode: 0, onReadable: () => undefined })).toThrow(/Digital pin 4 \(irq line 4\) already has an onReadable handler/);
  });
});
