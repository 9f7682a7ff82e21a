// BME280 model against its datasheet: IDs, calibration, measurement times, currents per phase, rules, compensation.
import { describe, expect, it } from "vitest";
import { Bme280 } from "../../../host-sim/models/bme280";
import { DEFAULT_CALIBRATION as C } from "../../../host-sim/models/bme280-calibration";
import { FakeClock, Violations } from "./fake-clock";

// Reference compensation, datasheet section 4.2.3 (int32 T and H, int64 P), written independently of the model.
function compT(adcT: number): { t100: number; fine: number } {
  const var1 = (((adcT >> 3) - (C.T1 << 1)) * C.T2) >> 11;
  const var2 = (((((adcT >> 4) - C.T1) * ((adcT >> 4) - C.T1)) >> 12) * C.T3) >> 14;
  const fine = var1 + var2;
  return { t100: (fine * 5 + 128) >> 8, fine };
}

function compP(adcP: number, fine: number): number {
  let var1 = BigInt(fine) - 128000n;
  let var2 = var1 * var1 * BigInt(C.P6);
  var2 = var2 + ((var1 * BigInt(C.P5)) << 17n);
  var2 = var2 + (BigInt(C.P4) << 35n);
  var1 = ((var1 * var1 * BigInt(C.P3)) >> 8n) + ((var1 * BigInt(C.P2)) << 12n);
  var1 = (((1n << 47n) + var1) * BigInt(C.P1)) >> 33n;
  if (var1 === 0n) return 0;
  let p = 1048576n - BigInt(adcP);
  p = (((p << 31n) - var2) * 3125n) / var1;
  var1 = (BigInt(C.P9) * (p >> 13n) * (p >> 13n)) >> 25n;
  var2 = (BigInt(C.P8) * p) >> 19n;
  p = ((p + var1 + var2) >> 8n) + (BigInt(C.P7) << 4n);
  return Number(p) / 256;
}

function compH(adcH: number, fine: number): number {
  let v = fine - 76800;
  v = ((((adcH << 14) - (C.H4 << 20) - C.H5 * v) + 16384) >> 15) *
    (((((((v * C.H6) >> 10) * (((v * C.H3) >> 11) + 32768)) >> 10) + 2097152) * C.H2 + 8192) >> 14);
  v = v - (((((v >> 15) * (v >> 15)) >> 7) * C.H1) >> 4);
  v = v < 0 ? 0 : v > 419430400 ? 419430400 : v;
  return (v >> 12) / 1024;
}

function setup(coldStart = false): { clock: FakeClock; v: Violations; bme: Bme280 } {
  const clock = new FakeClock();
  const v = new Violations();
  const bme = new Bme280({ clock, violations: v, coldStart });
  return { clock, v, bme };
}

function write(bme: Bme280, ...bytes: number[]): boolean {
  return bme.i2cWrite(Uint8Array.from(bytes), bytes.length, true);
}

function read(bme: Bme280, reg: number, n: number): number[] {
  expect(write(bme, reg)).toBe(true);
  const buf = new Uint8Array(n);
  expect(bme.i2cRead(buf, n, true)).toBe(true);
  return Array.from(buf);
}

function readEnvironment(bme: Bme280): { t: number; p: number; h: number } {
  const d = read(bme, 0xf7, 8);
  const adcP = (d[0] << 12) | (d[1] << 4) | (d[2] >> 4);
  const adcT = (d[3] << 12) | (d[4] << 4) | (d[5] >> 4);
  const adcH = (d[6] << 8) | d[7];
  const { t100, fine } = compT(adcT);
  return { t: t100 / 100, p: compP(adcP, fine), h: compH(adcH, fine) };
}

describe("bme280", () => {
  it("reference compensation reproduces the datasheet worked example (BMP280 DS 3.12)", () => {
    const { t100, fine } = compT(519888);
    expect(t100).toBe(2508);
    expect(Math.round(compP(415148, fine))).toBe(100653);
  });

  it("identifies itself and exposes the calibration in the Table 16 layout", () => {
    const { v, bme } = setup();
    expect(read(bme, 0xd0, 1)).toEqual([0x60]);
    const cal = read(bme, 0x88, 26);
    expect(cal[0] | (cal[1] << 8)).toBe(27504);
    expect(((cal[2] | (cal[3] << 8)) << 16) >> 16).toBe(26435);
    expect(cal[25]).toBe(75); // 0xA1 dig_H1
    const h = read(bme, 0xe1, 7);
    expect((h[3] << 4) | (h[4] & 0x0f)).toBe(313); // dig_H4
    expect((h[5] << 4) | (h[4] >> 4)).toBe(50); // dig_H5
    expect(v.list).toEqual([]);
  });

  it("forced mode: t_measure,max 9.3 ms for x1/x1/x1, per-phase currents, back to sleep, sane T/P/H", () => {
    const { clock, v, bme } = setup();
    const trace: Array<[number, number]> = [];
    bme.setPowerListener(() => trace.push([clock.now(), bme.currentUa()]));
    expect(bme.currentUa()).toBe(0.1);
    write(bme, 0xf2, 0x01, 0xf4, 0x25); // osrs_h x1; osrs_t x1, osrs_p x1, forced
    expect(bme.measureTimeUs()).toBeCloseTo(9300, 6);
    clock.advance(1000);
    expect(read(bme, 0xf3, 1)).toEqual([0x08]);
    clock.advance(8299);
    expect(read(bme, 0xf3, 1)).toEqual([0x08]);
    clock.advance(1);
    expect(read(bme, 0xf3, 1)).toEqual([0x00]);
    expect(read(bme, 0xf4, 1)).toEqual([0x24]); // mode bits back to 00
    // Phases at max timing (T 3.55 ms, P 2.875 ms, H 2.875 ms), each carrying its section 9.5 charge:
    // T 205 + 350*2, P 714*2.5, H 340*2.5 uA*ms, 3540 uA*ms in all (3.540 uC per reading).
    expect(trace.map(([t]) => t)).toEqual([0, 3550, 6425, 9300]);
    expect(trace[3][1]).toBe(0.1);
    const phaseCharge = [0, 1, 2].map((i) => (trace[i][1] * (trace[i + 1][0] - trace[i][0])) / 1000);
    [905, 1785, 850].forEach((q, i) => expect(phaseCharge[i]).toBeCloseTo(q, 9));
    expect(phaseCharge[0] + phaseCharge[1] + phaseCharge[2]).toBeCloseTo(3540, 9);
    const env = readEnvironment(bme);
    expect(env.t).toBeCloseTo(22, 0);
    expect(Math.abs(env.p - 101325)).toBeLessThan(5);
    expect(Math.abs(env.h - 45)).toBeLessThan(0.5);
    expect(v.list).toEqual([]);
  });

  it("x16 oversampling gives 20-bit results close to the environment; skipped channels read 0x80000 / 0x8000", () => {
    const { clock, bme } = setup();
    bme.setEnvironment(30.5, 95000, 70);
    write(bme, 0xf2, 0x05, 0xf4, 0xb5); // x16 all, forced
    expect(bme.measureTimeUs()).toBeCloseTo(1250 + 2300 * 16 + (2300 * 16 + 575) * 2, 6);
    clock.advance(120_000);
    const env = readEnvironment(bme);
    expect(Math.abs(env.t - 30.5)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(env.p - 95000)).toBeLessThan(1);
    expect(Math.abs(env.h - 70)).toBeLessThan(0.1);
    write(bme, 0xf2, 0x00, 0xf4, 0x21); // temperature only
    clock.advance(10_000);
    expect(read(bme, 0xf7, 3)).toEqual([0x80, 0x00, 0x00]);
    expect(read(bme, 0xfd, 2)).toEqual([0x80, 0x00]);
  });

  it("reading data during a forced measurement is a violation and returns the stale values", () => {
    const { clock, v, bme } = setup();
    write(bme, 0xf4, 0x25);
    clock.advance(2000);
    expect(read(bme, 0xf7, 3)).toEqual([0x80, 0x00, 0x00]);
    expect(v.take()).toEqual([
      "bme280: data registers 0xF7..0xFE read while a forced measurement runs (stale; poll status bit 3 or wait t_measure, 9.1)",
    ]);
    write(bme, 0xf4, 0x25);
    expect(v.take()).toEqual(["bme280: forced measurement requested while a measurement runs (poll status bit 3 first); ignored"]);
  });

  it("t_startup: 2 ms after power-on and after soft reset 0xB6 the chip NAKs and reports", () => {
    const { clock, v, bme } = setup(true);
    const buf = new Uint8Array(1);
    expect(bme.i2cWrite(Uint8Array.of(0xd0), 1, true)).toBe(false);
    clock.advance(2000);
    expect(read(bme, 0xd0, 1)).toEqual([0x60]);
    write(bme, 0xf4, 0x27); // normal mode
    write(bme, 0xe0, 0x12); // not 0xB6: ignored
    expect(bme.i2cRead(buf, 1, true)).toBe(true);
    write(bme, 0xe0, 0xb6);
    expect(bme.i2cWrite(Uint8Array.of(0xf4), 1, true)).toBe(false);
    clock.advance(2000);
    expect(read(bme, 0xf4, 1)).toEqual([0x00]); // reset cleared ctrl_meas
    expect(v.take()).toEqual([
      "bme280: I2C access during t_startup (2 ms after power-on or soft reset 0xB6, Table 1); ignored",
      "bme280: I2C access during t_startup (2 ms after power-on or soft reset 0xB6, Table 1); ignored",
    ]);
  });

  it("normal mode cycles t_measure + t_standby; ctrl_hum waits for a ctrl_meas write (5.4.3); config is locked", () => {
    const { clock, v, bme } = setup();
    write(bme, 0xf5, 0xa0); // t_sb 1000 ms, filter off
    write(bme, 0xf4, 0x27); // x1/x1, normal, humidity skipped (ctrl_hum 0)
    expect(bme.measureTimeUs()).toBeCloseTo(6425, 6);
    // Cycles end at 6.425 ms + k * 1006.425 ms: the sixth at 5038.55 ms.
    clock.advance(5038_549);
    expect(bme.measurementCount()).toBe(5);
    clock.advance(1);
    expect(bme.measurementCount()).toBe(6);
    write(bme, 0xf2, 0x01);
    clock.advance(1010_000);
    expect(read(bme, 0xfd, 2)).toEqual([0x80, 0x00]);
    write(bme, 0xf4, 0x27);
    clock.advance(1020_000);
    expect(read(bme, 0xfd, 2)).not.toEqual([0x80, 0x00]);
    expect(bme.currentUa()).toBe(0.2); // standby between cycles
    expect(v.list).toEqual([]);
    write(bme, 0xf5, 0x00);
    expect(v.take()).toEqual(["bme280: config 0xF5 written in normal mode (may be ignored, 5.4.6); write it in sleep mode"]);
    write(bme, 0xf4, 0x24); // sleep
    expect(bme.currentUa()).toBe(0.1);
  });

  it("typical timing option uses 1 + 2*T + (2*P + 0.5) + (2*H + 0.5) ms", () => {
    const clock = new FakeClock();
    const bme = new Bme280({ clock, violations: new Violations(), timing: "typ", address: 0x77 });
    write(bme, 0xf2, 0x01, 0xf4, 0x24);
    expect(bme.measureTimeUs()).toBe(8000);
    expect(bme.address).toBe(0x77);
    expect(() => new Bme280({ clock, violations: new Violations(), address: 0x40 })).toThrow(/use 0x76 \(SDO low\) or 0x77/);
  });

  it("faults: nak refuses transfers; stall refuses them after the controller's clock-stretch timeout", () => {
    const { bme } = setup();
    bme.setFault("nak");
    expect(bme.i2cWrite(Uint8Array.of(0xd0), 1, true)).toBe(false);
    expect(bme.stallUs).toBe(0);
    bme.setFault("stall");
    expect(bme.i2cRead(new Uint8Array(1), 1, true)).toBe(false);
    expect(bme.stallUs).toBe(13107);
    bme.setFault("none");
    expect(read(bme, 0xd0, 1)).toEqual([0x60]);
  });
});
