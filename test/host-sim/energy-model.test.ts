// Energy of known sequences equals the charge hand-computed from the datasheet figures (chips alone, then a DevKitC sample + telemetry send).
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../host-sim/core/clock";
import { SimBoardIo } from "../../host-sim/core/board-io";
import { createProvider } from "../../host-sim/core/provider";
import { SimTime } from "../../host-sim/board/sim-time";
import { SimBoard } from "../../host-sim/board/sim-board";
import { ViolationLog } from "../../host-sim/board/recorders";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { EnergyMeter } from "../../host-sim/models/energy";
import { Bme280 } from "../../host-sim/models/bme280";
import { W25q } from "../../host-sim/models/w25q";
import { Ili9341 } from "../../host-sim/models/ili9341";
import { Ft6206, FT_PMODE } from "../../host-sim/models/ft6206";
import type { Bme280 as Bme280Driver } from "../../drivers/bme280/bme280";
import type { Telemetry } from "../../drivers/telemetry/telemetry";

/** pC (uA x us) to uC. */
const uC = (uaTimesUs: number): number => uaTimesUs / 1e6;

/**
 * Model timers fire on whole microseconds (host-sim/core/clock.ts), so a state a timer ends (BUSY, a
 * measurement phase) started at a fractional time lasts up to 1 us longer. The hand computations
 * below start those states on a whole microsecond: SPI wire time is fractional (50 ns periods).
 */
function align(time: SimTime): void {
  time.runUntil(Math.ceil(time.now()));
}

function chipRig(): { time: SimTime; meter: EnergyMeter; device: ReturnType<typeof createProvider>; bme: Bme280; flash: W25q; violations: ViolationLog } {
  const time = new SimTime(new VirtualClock(64));
  const io = new SimBoardIo(time);
  const violations = new ViolationLog();
  const bme = new Bme280({ clock: time, violations, timing: "max" });
  io.attachI2c(21, 22, bme);
  const flash = new W25q({ clock: time, violations });
  io.attachSpi(5, flash);
  const meter = new EnergyMeter({ clock: time });
  meter.add(bme);
  meter.add(flash);
  return { time, meter, device: createProvider(io, { pins: {} }), bme, flash, violations };
}

describe("chip charge per operation (datasheet figures)", () => {
  it("BME280 forced x1/x1/x1: 3.540 uC (BME280-DS §9.5: 205 + 350*2 + 714*2.5 + 340*2.5 uA*ms), plus I_DDSL 0.1 uA around it", () => {
    const { time, meter, device, bme } = chipRig();
    const i2c = new device.io.I2C({ data: 21, clock: 22, hz: 400_000, address: 0x76 });
    const t0 = time.now();
    // ctrl_hum osrs_h x1, then ctrl_meas osrs_t x1, osrs_p x1, forced, in one write: the chip sees it
    // after START + address (25 us, a whole microsecond, so the phase timers add no rounding).
    i2c.write(Uint8Array.of(0xf2, 0x01, 0xf4, 0x25));
    time.advance(20_000);
    const elapsed = time.now() - t0;
    const measureUs = 9300; // §9.1 t_measure,max at x1/x1/x1
    expect(bme.measurementCount()).toBe(1);
    expect(meter.chargeUcOf(bme)).toBeCloseTo(3.540 + uC(0.1 * (elapsed - measureUs)), 9);
  });

  it("W25Q64JV: page program 8 uC (tPP 0.4 ms x ICC5 20 mA), 4 KB erase 900 uC (tSE 45 ms x 20 mA), a 256-byte read at 8 mA while clocked, standby 10 uA, power-down 1 uA", () => {
    const { time, meter, device, flash, violations } = chipRig();
    const spi = new device.io.SPI({ clock: 18, out: 23, in: 19, select: 5, hz: 20_000_000, port: 2 });
    const q = (): number => meter.chargeUcOf(flash);
    let t = time.now();
    let c = q();
    // Read 03h + 24-bit address + 256 bytes: 8 mA from the opcode to /CS high = 260 bytes x 8 SCLK x 50 ns = 104 us.
    spi.write(Uint8Array.of(0x03, 0, 0, 0));
    spi.read(new Uint8Array(256));
    spi.flush(true);
    expect(q() - c).toBeCloseTo(uC(8000 * 104 + 10 * (time.now() - t - 104)), 9);
    // WREN, then page program of 16 bytes: BUSY for tPP at 20 mA.
    spi.write(Uint8Array.of(0x06));
    spi.flush(true);
    spi.write(Uint8Array.of(0x02, 0, 0x10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16));
    align(time);
    t = time.now();
    c = q();
    spi.flush(true);
    time.advance(1000);
    expect(q() - c).toBeCloseTo(8 + uC(10 * (time.now() - t - 400)), 9);
    // WREN, sector erase 20h: BUSY for tSE.
    spi.write(Uint8Array.of(0x06));
    spi.flush(true);
    spi.write(Uint8Array.of(0x20, 0, 0x10, 0));
    align(time);
    t = time.now();
    c = q();
    spi.flush(true);
    time.advance(50_000);
    expect(q() - c).toBeCloseTo(900 + uC(10 * (time.now() - t - 45_000)), 9);
    // Power-down B9h: 1 uA after tDP (3 us).
    spi.write(Uint8Array.of(0xb9));
    align(time);
    spi.flush(true);
    t = time.now();
    c = q();
    time.advance(1_000_000);
    expect(q() - c).toBeCloseTo(uC(10 * 3 + 1 * (time.now() - t - 3)), 9);
    expect(violations.list).toEqual([]);
  });

  it("ILI9341: sleep-in 28 uA, sleep-out (display on or off) 8 mA; FT6206: active 4 mA, monitor 3 mA, hibernate 100 uA (both unverified secondary figures)", () => {
    const time = new SimTime(new VirtualClock(16));
    const violations = new ViolationLog();
    const lcd = new Ili9341({ clock: time, violations, dcLevel: () => 0 });
    const touch = new Ft6206({ clock: time, violations });
    const meter = new EnergyMeter({ clock: time });
    meter.add(lcd);
    meter.add(touch);
    time.advance(1000); // sleep-in, touch active
    lcd.spiTransfer(Uint8Array.of(0x11), null, 1); // SLPOUT
    touch.i2cWrite(Uint8Array.of(FT_PMODE, 1), 2, true); // monitor
    time.advance(1000);
    touch.i2cWrite(Uint8Array.of(FT_PMODE, 3), 2, true); // hibernate
    time.advance(1000);
    expect(meter.chargeUcOf(lcd)).toBeCloseTo(uC(28 * 1000 + 8000 * 2000), 9);
    expect(meter.chargeUcOf(touch)).toBeCloseTo(uC(4000 * 1000 + 3000 * 1000 + 100 * 1000), 9);
  });
});

describe("DevKitC: one BME280 sample and one 32-byte telemetry record, every draw from its datasheet figure", () => {
  it("sample: 72.5 + 9,300 + 97.5 + 255 us of I2C and t_measure; send: 34 bytes at 115200 baud; charge = ESP32 68 mA + module flash 10 uA + W25Q 10 uA + BME280", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 1, console: false });
    sim.settle();
    sim.advance(100_000);
    const e = sim.energy;
    const bmeModel = sim.bme280s.bme280;
    const bme = sim.driver<Bme280Driver>("bme280");
    const tel = sim.driver<Telemetry>("telemetry");
    let sampled = -1;
    bme.setClient(null, null, () => { sampled = sim.now(); });
    tel.setClient(() => {});
    // Idle board draw: the ESP32 active (ESP32-DS Table 8, 240 MHz top), module flash and W25Q standby (ICC1), BME280 sleep (I_DDSL); LED off, button open.
    const idleUa = 68_000 + 10 + 10 + 0.1;
    expect(e.presentUa()).toBeCloseTo(idleUa, 9);

    const t0 = sim.now();
    const q0 = e.chargeUc();
    const i0 = sim.io.busUs(0);
    expect(bme.sample(1)).toBe(0);
    sim.settle();
    // The driver's wire traffic (ctrl_meas write, status writeRead, 8-byte burst) at 400 kHz, the §9.1 max t_measure, two now() calls.
    const sampleUs = 72.5 + 9300 + 97.5 + 255 + 0.5;
    expect(sim.io.busUs(0) - i0).toBe(425);
    expect(sampled - t0).toBe(sampleUs);
    const sampleUc = uC((idleUa - 0.1) * sampleUs) + 3.540 + uC(0.1 * (sampleUs - 9300));
    expect(e.chargeUc() - q0).toBeCloseTo(sampleUc, 6);

    const t1 = sim.now();
    const q1 = e.chargeUc();
    expect(tel.send(2, new Uint8Array(32), 32)).toBe(0);
    sim.settle();
    // Length byte + 32 + checksum, 10 bits each at 115200 (whole-us TX steps with a carried remainder), one now() call;
    // settle runs to the driver's drain timer, which releases its PM lock one byte time after the FIFO's last
    // byte (the shift register's bound), counted from the FIFO's last report: within 2 us of 35 byte times.
    const sendUs = sim.now() - t1;
    expect(Math.abs(sendUs - (35 * 10 * 1e6) / 115200)).toBeLessThanOrEqual(2);
    expect(e.chargeUc() - q1).toBeCloseTo(uC(idleUa * sendUs), 6);
    expect(sim.violations.list).toEqual([]);
  });
});
