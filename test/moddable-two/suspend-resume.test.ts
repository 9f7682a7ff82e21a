// Full suspend/resume of the simulated Moddable Two: display command trace and timing, touch low-power mode, backlight order.
import { describe, expect, it } from "vitest";
import { bootSimModdableTwo, type SimModdableTwo } from "../../host-sim/boards/moddable-two";
import { SLEEP_NONE } from "../../host-sim/board/sim-sleep";
import type { Ili9341 } from "../../drivers/ili9341/ili9341";
import type { Ft6206 } from "../../drivers/ft6206/ft6206";
import type { Backlight } from "../../drivers/backlight/backlight";
import { OK, IO, T_STANDBY, TEST_NONE, TEST_DEVICES, WAKE_TIMER } from "../../runtime/status";

const RED = 0xf800;
const BLUE = 0x001f;

function booted(options = {}): SimModdableTwo {
  const sim = bootSimModdableTwo(options);
  sim.clock.advance(300_000); // SWRESET, registers, SLPOUT at +120 ms, DISPON at +240 ms
  return sim;
}

/*
 * The panel's 120 ms rules (ILI9341 8.2.2, 8.2.11, 8.2.12) are minimums, timed by the driver from the
 * end of its own transfers. SPI now takes wire time (8 SCLK + one CS setup per assertion at 40 MHz,
 * host-sim/core/bus-timing.ts) and timers fire on whole microseconds, so the command the panel sees
 * next comes 120 ms plus the wire time of what the driver clocked out after the first command (a few
 * bytes: 0.2-1.3 us) plus up to 1 us of timer rounding per wait: at least 120 ms, at most 3 us more.
 */
const GAP_SLACK_US = 3;
function expectGap(us: number): void {
  expect(us).toBeGreaterThanOrEqual(120_000);
  expect(us).toBeLessThanOrEqual(120_000 + GAP_SLACK_US);
}

/** Runs until the platform sleeps (S3 done): the console's S2 first drains the progress it printed. */
function untilAsleep(sim: SimModdableTwo): void {
  for (let i = 0; i < 1000 && sim.platform.sleeping === SLEEP_NONE; i++) sim.clock.advance(1_000);
  expect(sim.platform.sleeping).not.toBe(SLEEP_NONE);
}

function opTime(sim: SimModdableTwo, op: number, from: number): number {
  for (let i = from; i < sim.recorder.log.length; i++) if (sim.recorder.log[i].op === op) return sim.recorder.log[i].t;
  return -1;
}

describe("Moddable Two boot", () => {
  it("initialises the panel with the board's registers and no timing violation", () => {
    const sim = booted();
    expect(sim.recorder.ops()).toEqual(["01", "36(f0)", "3a(55)", "21", "11", "29"]);
    expectGap(opTime(sim, 0x11, 0) - opTime(sim, 0x01, 0));
    expectGap(opTime(sim, 0x29, 0) - opTime(sim, 0x11, 0));
    expect(sim.display.displayOn()).toBe(true);
    expect(sim.violations.list).toEqual([]);
    expect((sim.drivers.touch as Ft6206).readReg(0x80)).toBe(20);
  });

  it("drives the backlight with a real PWM (10 bits, 1000 Hz, inverted): duty follows brightness", () => {
    const sim = booted();
    const bl = sim.drivers.backlight as Backlight;
    expect(sim.board.pinOwner(18)).toBe("PWM");
    expect(bl.maxDuty).toBe(1023);
    expect(sim.board.ledc.dutyOf(18)).toBe(0); // brightness 1000, active low: duty 0 is full brightness
    bl.brightness = 250;
    expect(sim.board.ledc.dutyOf(18)).toBe(767 / 1024); // 1023 - round(0.25 * 1023)
    bl.brightness = 0;
    expect(sim.board.ledc.dutyOf(18)).toBe(1); // 1023 is written as "high all period" (_pwm.c)
  });
});

describe("Moddable Two standby (stock board: touch to monitor mode)", () => {
  it("suspends with a frame in flight, parks a frame, resumes in datasheet order", () => {
    const sim = booted();
    const lcd = sim.drivers.display as Ili9341;
    const bl = sim.drivers.backlight as Backlight;
    const touch = sim.drivers.touch as Ft6206;
    const frames: number[] = [];
    lcd.setFrameListener((slot, status) => frames.push(status));
    const start = sim.recorder.log.length;
    expect(lcd.fill(0, 0, 240, 320, RED)).toBe(OK);
    sim.clock.advance(5_000); // 5 ms into a 30.7 ms DMA
    const suspendAt = sim.clock.now();
    expect(sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(lcd.fill(10, 10, 20, 20, BLUE)).toBe(OK); // parked behind the gate
    // Backlight went dark at S2 start, before the display's S2 even finished its frame.
    expect(bl.lit).toBe(false);
    sim.clock.advance(100_000); // frame drains, S3 runs, platform holds 200 ms
    expect(sim.display.sleeping()).toBe(true);
    expect(sim.touch.mode()).toBe(1); // monitor: the stock board cannot wake a hibernating FT6206
    sim.clock.advance(1_000_000);
    expect(sim.outcomes).toEqual([OK]);
    expect(sim.violations.list).toEqual([]);
    expect(frames).toEqual([OK, OK]);

    // The whole display trace from the first frame on.
    expect(sim.recorder.ops(start)).toEqual([
      "2a(0,0,0,ef)", "2b(0,0,1,3f)", "2c", // frame in flight at suspend
      "28", "10", // S3: DISPOFF, SLPIN
      "36(f0)", "3a(55)", "21", "11", // R1: registers back, SLPOUT (>= 120 ms after SLPIN)
      "29", // R2: DISPON 120 ms after SLPOUT
      "2a(0,a,0,1d)", "2b(0,a,0,1d)", "2c", // parked frame replayed
    ]);
    const tSlpin = opTime(sim, 0x10, start);
    const tSlpout = opTime(sim, 0x11, start);
    const tDispon = opTime(sim, 0x29, start);
    expect(tSlpin - suspendAt).toBeGreaterThanOrEqual(25_000); // waited for the frame (30.7 ms DMA)
    expect(tSlpout - tSlpin).toBeGreaterThanOrEqual(120_000);
    expectGap(tDispon - tSlpout);

    // Backlight (active low on GPIO 18): high (dark) before DISPOFF, low (lit) only after DISPON.
    const changes = sim.backlightLevels.filter(([t]) => t >= suspendAt);
    expect(changes.map(([, l]) => l)).toEqual([1, 0]);
    expect(changes[0][0]).toBeLessThan(opTime(sim, 0x28, start));
    expect(changes[1][0]).toBeGreaterThanOrEqual(tDispon);
    expect(bl.lit).toBe(true);

    // Pixels of both frames landed; touch back to active with its configuration.
    expect(sim.display.pixel(100, 200)).toBe(RED);
    expect(sim.display.pixel(15, 15)).toBe(BLUE);
    expect(sim.touch.mode()).toBe(0);
    expect(touch.readReg(0x80)).toBe(20);
    expect(sim.violations.list).toEqual([]);
  });

  it("a short test hold: R1 defers SLPOUT to R2, which waits out the 120 ms from SLPIN", () => {
    const sim = booted({ config: { testHoldUs: 1_000 } });
    const start = sim.recorder.log.length;
    expect(sim.pm.suspend(T_STANDBY, TEST_DEVICES)).toBe(OK);
    sim.clock.advance(1_000_000);
    expect(sim.outcomes).toEqual([OK]);
    expect(sim.recorder.ops(start)).toEqual(["28", "10", "36(f0)", "3a(55)", "21", "11", "29"]);
    const tSlpin = opTime(sim, 0x10, start);
    // R1 came 1 ms after SLPIN: nothing sent then; R2 sent everything at SLPIN + 120 ms.
    expectGap(opTime(sim, 0x36, start) - tSlpin);
    expectGap(opTime(sim, 0x11, start) - tSlpin);
    expectGap(opTime(sim, 0x29, start) - opTime(sim, 0x11, start));
    expect(sim.violations.list).toEqual([]);
  });

  it("restores MADCTL/COLMOD after the panel lost power asleep (pixels decode as RGB565 again)", () => {
    const sim = booted();
    const lcd = sim.drivers.display as Ili9341;
    expect(sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    untilAsleep(sim);
    expect(sim.display.sleeping()).toBe(true);
    sim.display.reset(); // supply cut while asleep: COLMOD back to 0x66 (18-bit)
    sim.clock.advance(1_000_000);
    expect(sim.outcomes).toEqual([OK]);
    expect(lcd.fill(0, 0, 2, 1, RED)).toBe(OK);
    sim.clock.advance(10_000);
    expect([sim.display.pixel(0, 0), sim.display.pixel(1, 0)]).toEqual([RED, RED]);
    expect([lcd.register(0), lcd.register(1), lcd.register(2)]).toEqual([0xf0, 0x55, 1]);
    expect(sim.violations.list).toEqual([]);
  });

  it("a touch while suspended is dropped, not a wake source; touches after resume are read", () => {
    const sim = booted();
    const touch = sim.drivers.touch as Ft6206;
    const seen: number[][] = [];
    touch.setSampleListener((n, x, y) => seen.push([n, x, y]));
    sim.touch.touch(100, 150);
    sim.clock.advance(2_000);
    sim.touch.lift();
    sim.clock.advance(2_000);
    expect(seen).toEqual([[1, 100, 150], [0, 100, 150]]);
    expect(sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    untilAsleep(sim);
    sim.touch.touch(10, 20); // monitor mode still reports, INT falls
    sim.clock.advance(2_000);
    sim.touch.lift();
    sim.clock.advance(1_000_000);
    expect(sim.outcomes).toEqual([OK]);
    expect(sim.pm.stats.lastWakeCause).toBe(WAKE_TIMER); // the RTC timer (armed for the hold time) ended it, not the touch
    expect(touch.dropped).toBeGreaterThanOrEqual(1);
    sim.touch.touch(30, 40);
    sim.clock.advance(2_000);
    expect(seen[seen.length - 1]).toEqual([1, 30, 40]);
    expect(sim.violations.list).toEqual([]);
  });
});

describe("Moddable Two rollback", () => {
  it("touch fails S3 (it runs before the display's S3): the panel never sleeps, the parked frame is drawn, backlight relit", () => {
    const sim = booted();
    const lcd = sim.drivers.display as Ili9341;
    const bl = sim.drivers.backlight as Backlight;
    const start = sim.recorder.log.length;
    expect(lcd.fill(0, 0, 240, 320, RED)).toBe(OK);
    sim.clock.advance(5_000);
    expect(sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(lcd.fill(10, 10, 20, 20, BLUE)).toBe(OK); // parked
    sim.touch.setFault("nak"); // the display's S2 is still draining the frame; touch's S3 will NAK
    sim.clock.advance(1_000_000);
    expect(sim.outcomes).toEqual([IO]);
    expect(sim.pm.stats.lastOutcome).toBe(IO);
    expect(sim.recorder.ops(start)).toEqual([
      "2a(0,0,0,ef)", "2b(0,0,1,3f)", "2c", "2a(0,a,0,1d)", "2b(0,a,0,1d)", "2c",
    ]);
    expect(sim.display.displayOn()).toBe(true);
    expect(sim.display.pixel(15, 15)).toBe(BLUE);
    expect(bl.lit).toBe(true);
    expect(sim.backlightLevels.filter(([t]) => t >= 305_000).map(([, l]) => l)).toEqual([1, 0]);
    expect(sim.violations.list).toEqual([]);
    for (let d = 0; d < sim.pm.graph.count; d++) expect(sim.pm.deviceState(d)).toBe(0);
    sim.touch.setFault("none");
    // The next suspend goes through (the display's 120 ms since its last SLPOUT long passed).
    expect(sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    sim.clock.advance(1_000_000);
    expect(sim.outcomes).toEqual([IO, OK]);
    expect(sim.violations.list).toEqual([]);
  });
});

describe("Moddable Two with a touch reset rework (RSTN on GP27): FT6206 hibernate", () => {
  it("enters hibernate in S3, leaves it by a 5 ms RSTN pulse and 150 ms start-up, restores its registers", () => {
    const sim = booted({ touchResetPin: 27, touchOptions: { reset: 27 } });
    const touch = sim.drivers.touch as Ft6206;
    expect(touch.writeReg(0x88, 0x0a)).toBe(OK); // a non-default report rate to prove the restore
    expect(sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    untilAsleep(sim);
    expect(sim.touch.mode()).toBe(3);
    expect(sim.touch.currentUa()).toBe(100);
    sim.clock.advance(1_000_000);
    expect(sim.outcomes).toEqual([OK]);
    expect(sim.touch.mode()).toBe(0);
    expect([touch.readReg(0x80), touch.readReg(0x88)]).toEqual([20, 0x0a]);
    expect(sim.violations.list).toEqual([]);
  });
});
