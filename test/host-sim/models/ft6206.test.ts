// FT6206 model: IDs, touch registers and INT, power modes and currents, hibernate wake rules, reset start-up.
import { describe, expect, it } from "vitest";
import { Ft6206 } from "../../../host-sim/models/ft6206";
import { FakeClock, Violations } from "./fake-clock";

function setup(): { clock: FakeClock; v: Violations; ts: Ft6206; ints: Array<[number, number]> } {
  const clock = new FakeClock();
  const v = new Violations();
  const ts = new Ft6206({ clock, violations: v });
  const ints: Array<[number, number]> = [];
  ts.setIntListener((level) => ints.push([clock.now(), level]));
  return { clock, v, ts, ints };
}

function read(ts: Ft6206, reg: number, n: number): number[] | null {
  if (!ts.i2cWrite(Uint8Array.of(reg), 1, false)) return null;
  const buf = new Uint8Array(n);
  return ts.i2cRead(buf, n, true) ? Array.from(buf) : null;
}

const write = (ts: Ft6206, reg: number, value: number): boolean => ts.i2cWrite(Uint8Array.of(reg, value), 2, true);

describe("ft6206", () => {
  it("identifies as vendor 0x11 / chip 0x06 at 0x38 and reports a touch with an INT pulse", () => {
    const { clock, v, ts, ints } = setup();
    expect(ts.address).toBe(0x38);
    expect(read(ts, 0xa8, 1)).toEqual([0x11]);
    expect(read(ts, 0xa3, 1)).toEqual([0x06]);
    expect(read(ts, 0x02, 1)).toEqual([0]);
    clock.advance(50);
    ts.touch(300, 200);
    expect(read(ts, 0x02, 5)).toEqual([1, 0x01, 0x2c, 0x00, 0xc8]);
    clock.advance(2000);
    ts.lift();
    expect(read(ts, 0x02, 2)).toEqual([0, 0x41]);
    clock.advance(2000);
    expect(ints).toEqual([[50, 0], [1050, 1], [2050, 0], [3050, 1]]);
    expect(v.list).toEqual([]);
  });

  it("polling mode (G_MODE 0) holds INT low while the finger is down", () => {
    const { clock, ts, ints } = setup();
    write(ts, 0xa4, 0);
    ts.touch(1, 2);
    clock.advance(5000);
    ts.lift();
    clock.advance(5000);
    expect(ints).toEqual([[0, 0], [6000, 1]]);
  });

  it("currents per mode; active falls back to monitor after TIMEENTERMONITOR seconds; a touch returns to active", () => {
    const { clock, ts } = setup();
    const trace: Array<[number, number]> = [];
    ts.setPowerListener(() => trace.push([clock.now(), ts.currentUa()]));
    expect(ts.currentUa()).toBe(4000);
    clock.advance(10_000_000);
    expect(ts.currentUa()).toBe(3000);
    ts.touch(5, 5);
    expect(ts.currentUa()).toBe(4000);
    ts.lift();
    write(ts, 0x86, 0); // keep active
    clock.advance(60_000_000);
    expect(trace).toEqual([[10_000_000, 3000], [10_000_000, 4000]]);
    expect(read(ts, 0xa5, 1)).toEqual([0]);
  });

  it("hibernate: 100 uA, NAKs I2C and reports it, ignores touches; a 5 ms WAKE pulse returns to monitor", () => {
    const { clock, v, ts } = setup();
    write(ts, 0xa5, 3);
    expect(ts.currentUa()).toBe(100);
    expect(read(ts, 0xa8, 1)).toBeNull();
    ts.touch(10, 10);
    expect(ts.mode()).toBe(3);
    ts.setWakeLevel(0);
    clock.advance(1000);
    ts.setWakeLevel(1);
    expect(ts.mode()).toBe(3);
    ts.setWakeLevel(0);
    clock.advance(5000);
    ts.setWakeLevel(1);
    expect(ts.mode()).toBe(1);
    expect(ts.currentUa()).toBe(3000);
    expect(read(ts, 0xa8, 1)).toEqual([0x11]);
    expect(v.take()).toEqual([
      "ft6206: I2C access in hibernate (G_PMODE 0xA5 = 3); wake with a >= 5 ms low pulse on RSTN or INT first",
      "ft6206: WAKE (INT) low pulse shorter than 5 ms; still in hibernate",
    ]);
  });

  it("RSTN pulse resets out of hibernate into active, with 150 ms start-up before I2C", () => {
    const { clock, v, ts } = setup();
    write(ts, 0xa5, 3);
    ts.setResetLevel(0);
    clock.advance(6000);
    ts.setResetLevel(1);
    expect(ts.mode()).toBe(0);
    expect(read(ts, 0xa3, 1)).toBeNull();
    clock.advance(150_000);
    expect(read(ts, 0xa3, 1)).toEqual([0x06]);
    expect(v.take()).toEqual(["ft6206: I2C access within 150 ms of reset (firmware start-up); NAK"]);
  });

  it("faults: stall reports the controller's wait; nak does not", () => {
    const { ts } = setup();
    ts.setFault("stall");
    expect(read(ts, 0xa8, 1)).toBeNull();
    expect(ts.stallUs).toBe(13107);
    ts.setFault("nak");
    expect(read(ts, 0xa8, 1)).toBeNull();
    expect(ts.stallUs).toBe(0);
    ts.reset();
    expect(ts.mode()).toBe(0);
  });
});
