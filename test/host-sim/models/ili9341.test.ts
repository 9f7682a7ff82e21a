// ILI9341 model: D/C framing, SWRESET/SLPIN/SLPOUT timing rules (8.2.2, 8.2.11, 8.2.12), RESX pulse, pixels, currents.
import { describe, expect, it } from "vitest";
import { Ili9341 } from "../../../host-sim/models/ili9341";
import { FakeClock, Violations } from "./fake-clock";

function setup(coldStart = false): { clock: FakeClock; v: Violations; lcd: Ili9341; dc: { level: number } } {
  const clock = new FakeClock();
  const v = new Violations();
  const dc = { level: 0 };
  const lcd = new Ili9341({ clock, violations: v, dcLevel: () => dc.level, coldStart });
  return { clock, v, lcd, dc };
}

function command(t: { lcd: Ili9341; dc: { level: number } }, op: number, params: number[] = [], readLen = 0): number[] {
  t.lcd.spiSelect();
  t.dc.level = 0;
  t.lcd.spiTransfer(Uint8Array.of(op), null, 1);
  let out: number[] = [];
  if (params.length + readLen > 0) {
    t.dc.level = 1;
    const tx = new Uint8Array(params.length + readLen);
    tx.set(params);
    const rx = new Uint8Array(tx.length);
    t.lcd.spiTransfer(tx, rx, tx.length);
    out = Array.from(rx.subarray(params.length));
  }
  t.lcd.spiDeselect();
  return out;
}

describe("ili9341", () => {
  it("powers on in sleep-in (28 uA); SLPOUT draws the normal ~8 mA; RDDPM and ID4 report it", () => {
    const t = setup();
    expect(t.lcd.currentUa()).toBe(28);
    expect(command(t, 0xd3, [], 4)).toEqual([0x00, 0x00, 0x93, 0x41]);
    expect(command(t, 0x0a, [], 2)).toEqual([0x00, 0x08]);
    command(t, 0x11);
    t.clock.advance(5000);
    command(t, 0x29);
    expect(command(t, 0x0a, [], 2)).toEqual([0x00, 0x9c]);
    expect(t.lcd.currentUa()).toBe(8000);
    expect(t.v.list).toEqual([]);
  });

  it("enforces 5 ms after SWRESET/SLPOUT/SLPIN and 120 ms between SLPOUT and SLPIN, reporting and ignoring", () => {
    const t = setup();
    command(t, 0x01);
    t.clock.advance(4999);
    command(t, 0x11);
    t.clock.advance(1);
    command(t, 0x11); // accepted: the SWRESET came from sleep-in, so no 120 ms rule
    t.clock.advance(5000);
    command(t, 0x10); // 5 ms after SLPOUT but not 120 ms
    expect(t.lcd.sleeping()).toBe(false);
    t.clock.advance(115_000);
    command(t, 0x10);
    expect(t.lcd.sleeping()).toBe(true);
    expect(t.lcd.currentUa()).toBe(28);
    t.clock.advance(5000);
    command(t, 0x11); // 5 ms after SLPIN but not 120 ms
    expect(t.lcd.sleeping()).toBe(true);
    expect(t.lcd.lastRejected()).toBe(0x11);
    t.clock.advance(115_000);
    command(t, 0x11);
    expect(t.lcd.sleeping()).toBe(false);
    expect(t.v.take()).toEqual([
      "ili9341: command within 5 ms after SWRESET 0x01 (8.2.2); ignored",
      "ili9341: SLPIN 0x10 within 120 ms after SLPOUT 0x11 (8.2.11); ignored",
      "ili9341: SLPOUT 0x11 within 120 ms after SLPIN 0x10, a hardware reset, or SWRESET in sleep-out (8.2.12, 15.4 note 7, 8.2.2); ignored",
    ]);
  });

  it("SWRESET in sleep-out: 5 ms before any command, 120 ms before SLPOUT", () => {
    const t = setup();
    command(t, 0x11);
    t.clock.advance(200_000);
    command(t, 0x01);
    expect(t.lcd.sleeping()).toBe(true);
    t.clock.advance(5000);
    command(t, 0x11);
    t.clock.advance(115_000);
    command(t, 0x11);
    expect(t.lcd.sleeping()).toBe(false);
    expect(t.v.take()).toEqual([
      "ili9341: SLPOUT 0x11 within 120 ms after SLPIN 0x10, a hardware reset, or SWRESET in sleep-out (8.2.12, 15.4 note 7, 8.2.2); ignored",
    ]);
  });

  it("RESX: a pulse shorter than tRW is reported; a proper one resets to sleep-in with 5 ms settle", () => {
    const t = setup();
    command(t, 0x11);
    t.clock.advance(200_000);
    t.lcd.setResetLevel(0);
    t.clock.advance(5);
    t.lcd.setResetLevel(1);
    expect(t.lcd.sleeping()).toBe(false);
    t.lcd.setResetLevel(0);
    t.clock.advance(10);
    t.lcd.setResetLevel(1);
    expect(t.lcd.sleeping()).toBe(true);
    command(t, 0x29);
    expect(t.lcd.displayOn()).toBe(false);
    expect(t.v.take()).toEqual([
      "ili9341: RESX low pulse shorter than tRW (10 us, 15.x reset timing); reset may not happen, ignored",
      "ili9341: command within 5 ms after hardware reset (15.x reset timing); ignored",
    ]);
  });

  it("RESX in sleep-in still holds SLPOUT off for 120 ms (15.4 note 7), though other commands pass after 5 ms", () => {
    const t = setup();
    expect(t.lcd.sleeping()).toBe(true);
    t.lcd.setResetLevel(0);
    t.clock.advance(10);
    t.lcd.setResetLevel(1);
    t.clock.advance(5_000);
    command(t, 0x3a, [0x55]); // accepted: tRT in sleep-in is 5 ms (note 5)
    command(t, 0x11);
    expect(t.lcd.sleeping()).toBe(true);
    t.clock.advance(115_000); // 120 ms after the reset
    command(t, 0x11);
    expect(t.lcd.sleeping()).toBe(false);
    expect(t.v.take()).toEqual([
      "ili9341: SLPOUT 0x11 within 120 ms after SLPIN 0x10, a hardware reset, or SWRESET in sleep-out (8.2.12, 15.4 note 7, 8.2.2); ignored",
    ]);
  });

  it("writes RGB565 and 18-bit pixels into the CASET/PASET window, wrapping rows", () => {
    const t = setup();
    command(t, 0x3a, [0x55]);
    command(t, 0x2a, [0, 10, 0, 11]);
    command(t, 0x2b, [0, 20, 0, 21]);
    command(t, 0x2c, [0xf8, 0x00, 0x07, 0xe0, 0x00, 0x1f, 0xff, 0xff]);
    expect([t.lcd.pixel(10, 20), t.lcd.pixel(11, 20), t.lcd.pixel(10, 21), t.lcd.pixel(11, 21)]).toEqual([0xf800, 0x07e0, 0x001f, 0xffff]);
    command(t, 0x3a, [0x66]);
    command(t, 0x2c, [0xfc, 0x00, 0x00]);
    expect(t.lcd.pixel(10, 20)).toBe(0xf800);
  });

  it("cold start: 5 ms before the first command, 120 ms before SLPOUT (a reset: 15.4 note 7); faults make it deaf", () => {
    const t = setup(true);
    command(t, 0x11);
    expect(t.v.take().length).toBe(1);
    t.clock.advance(5000);
    command(t, 0x11);
    expect(t.v.take()).toEqual(["ili9341: SLPOUT 0x11 within 120 ms after SLPIN 0x10, a hardware reset, or SWRESET in sleep-out (8.2.12, 15.4 note 7, 8.2.2); ignored"]);
    t.clock.advance(115_000);
    t.lcd.setFault("nak");
    command(t, 0x11);
    expect(t.lcd.sleeping()).toBe(true);
    t.lcd.setFault("none");
    command(t, 0x11);
    expect(t.lcd.sleeping()).toBe(false);
  });
});
