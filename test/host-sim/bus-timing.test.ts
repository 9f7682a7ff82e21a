// Simulated I2C, SPI and UART transfers take their wire time on the virtual clock: each duration equals its formula.
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../host-sim/core/clock";
import { SimBoardIo } from "../../host-sim/core/board-io";
import { createProvider } from "../../host-sim/core/provider";
import { i2cSegmentPeriods } from "../../host-sim/core/bus-timing";
import { SimTime } from "../../host-sim/board/sim-time";
import { Bme280 } from "../../host-sim/models/bme280";
import { W25q } from "../../host-sim/models/w25q";
import { ViolationLog } from "../../host-sim/board/recorders";
import { I2C_STALL_TIMEOUT_US } from "../../host-sim/models/common";

const PINS = { pins: { sda: 21, scl: 22 } };

function rig(): { time: SimTime; io: SimBoardIo; device: ReturnType<typeof createProvider>; bme: Bme280; flash: W25q } {
  const time = new SimTime(new VirtualClock(64));
  const io = new SimBoardIo(time);
  const violations = new ViolationLog();
  const bme = new Bme280({ clock: time, violations });
  io.attachI2c(21, 22, bme);
  const flash = new W25q({ clock: time, violations });
  io.attachSpi(5, flash);
  return { time, io, device: createProvider(io, PINS), bme, flash };
}

/** Virtual microseconds `fn` takes. */
function timed(time: SimTime, fn: () => void): number {
  const t0 = time.now();
  fn();
  return time.now() - t0;
}

describe("I2C wire time: (1 START + 9 x (address + n bytes) + 1 STOP) SCL periods at hz", () => {
  it("formula: a write of n bytes is 11 + 9n periods; writeRead(1, m) is (1 + 18) + (1 + 9(m + 1) + 1)", () => {
    expect(i2cSegmentPeriods(2, true)).toBe(29);
    expect(i2cSegmentPeriods(1, false) + i2cSegmentPeriods(8, true)).toBe(19 + 83);
    expect(i2cSegmentPeriods(0, true)).toBe(11);
  });

  it("at 400 kHz: ctrl_meas write 72.5 us, status read 97.5 us, 8-byte burst 255 us (the BME280 driver's sample: 425 us)", () => {
    const { time, device } = rig();
    const i2c = new device.io.I2C({ data: 21, clock: 22, hz: 400_000, address: 0x76 });
    expect(timed(time, () => i2c.write(Uint8Array.of(0xf4, 0x25)))).toBe(29 * 2.5);
    expect(timed(time, () => i2c.writeRead(Uint8Array.of(0xf3), new Uint8Array(1)))).toBe((19 + 20) * 2.5);
    expect(timed(time, () => i2c.writeRead(Uint8Array.of(0xf7), new Uint8Array(8)))).toBe((19 + 83) * 2.5);
    expect(72.5 + 97.5 + 255).toBe(425);
  });

  it("at 100 kHz: a 1-byte read is 1 + 18 + 1 = 20 periods = 200 us; a write without STOP leaves the STOP out", () => {
    const { time, device } = rig();
    const i2c = new device.io.I2C({ data: 21, clock: 22, hz: 100_000, address: 0x76 });
    expect(timed(time, () => i2c.read(new Uint8Array(1)))).toBe(200);
    expect(timed(time, () => i2c.write(Uint8Array.of(0xd0), false))).toBe(190);
  });

  it("a NAK costs START + address + STOP (11 periods); a stalled chip adds the controller's 13,107 us timeout", () => {
    const { time, device, bme, io } = rig();
    const absent = new device.io.I2C({ data: 21, clock: 22, hz: 400_000, address: 0x77 });
    expect(timed(time, () => expect(() => absent.write(Uint8Array.of(1))).toThrow("write failed"))).toBe(11 * 2.5);
    const i2c = new device.io.I2C({ data: 21, clock: 22, hz: 400_000, address: 0x76 });
    bme.setFault("stall");
    expect(timed(time, () => expect(() => i2c.read(new Uint8Array(4))).toThrow("read failed"))).toBe(11 * 2.5 + I2C_STALL_TIMEOUT_US);
    expect(io.busUs(0)).toBe(2 * 27.5 + I2C_STALL_TIMEOUT_US);
  });

  it("the chip sees the transfer after START + address: a forced measurement starts 25 us into the ctrl_meas write", () => {
    const { time, device, bme } = rig();
    const i2c = new device.io.I2C({ data: 21, clock: 22, hz: 400_000, address: 0x76 });
    const t0 = time.now();
    i2c.write(Uint8Array.of(0xf4, 0x25)); // osrs_t x1, osrs_p x1, forced
    const measureUs = bme.measureTimeUs();
    time.runUntil(t0 + 25 + measureUs - 1);
    expect(bme.measurementCount()).toBe(0);
    time.runUntil(t0 + 25 + measureUs);
    expect(bme.measurementCount()).toBe(1);
  });
});

describe("SPI wire time: 8 SCLK periods per byte at hz, plus one SCLK of CS setup per assertion", () => {
  it("at 20 MHz: the first transfer asserts CS (50 ns) and clocks 4 bytes (1.6 us); a second while selected has no setup", () => {
    const { time, device, io } = rig();
    const spi = new device.io.SPI({ clock: 18, out: 23, in: 19, select: 5, hz: 20_000_000, port: 2 });
    expect(timed(time, () => spi.write(Uint8Array.of(0x03, 0, 0, 0)))).toBeCloseTo(0.05 + 1.6, 9);
    expect(timed(time, () => spi.read(new Uint8Array(256)))).toBeCloseTo(256 * 0.4, 9);
    spi.flush(true);
    expect(timed(time, () => spi.transfer(new Uint8Array(1)))).toBeCloseTo(0.05 + 0.4, 9);
    expect(io.busUs(1)).toBeCloseTo(0.05 + 1.6 + 102.4 + 0.45, 9);
  });

  it("periods are whole nanoseconds: 1 MHz is exact (8 us per byte)", () => {
    const { time, device } = rig();
    const spi = new device.io.SPI({ clock: 18, out: 23, select: 5, hz: 1_000_000, port: 2 });
    expect(timed(time, () => spi.write(new Uint8Array(10)))).toBe(1 + 80);
  });

  it("a bare VirtualClock cannot spend: the time is counted, the clock stays", () => {
    const clock = new VirtualClock(16);
    const io = new SimBoardIo(clock);
    const device = createProvider(io, PINS);
    const spi = new device.io.SPI({ clock: 18, out: 23, select: 5, hz: 1_000_000, port: 2 });
    spi.write(new Uint8Array(10));
    expect([clock.now(), io.busUs(1)]).toEqual([0, 81]);
  });
});

describe("UART: 10 bits per byte at the baud (8N1), drained by the TX FIFO while the CPU runs on", () => {
  it("64 bytes at 115200 reach the peer 64 x 86.806 us after the write, which itself takes no time", () => {
    const { time, device, io } = rig();
    const got: number[] = [];
    io.attachUart(2, { uartReceive: () => got.push(time.now()) });
    const serial = new device.io.Serial({ transmit: 17, receive: 16, baud: 115200, port: 2 });
    const t0 = time.now();
    expect(timed(time, () => serial.write(new Uint8Array(64)))).toBe(0);
    time.runUntil(t0 + 10_000);
    expect(got.length).toBe(64);
    // Whole-us timer steps carry the nanosecond remainder: the last byte lands within 1 us of 64 x 10 / 115200 s.
    expect(Math.abs(got[63] - t0 - (64 * 10 * 1e6) / 115200)).toBeLessThan(1);
  });
});
