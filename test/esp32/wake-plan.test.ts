// boards/esp32-wake.ts: every GPIO wake source armed for light sleep, the hibernate ones as ext0 + ext1, the simulator's lines; boot refuses what the ESP32 cannot arm.
import { describe, expect, it } from "vitest";
import { ESP32_RTC_GPIOS, EXT1_ALL_LOW, EXT1_ANY_HIGH, esp32WakePlan, hasBit } from "../../boards/esp32-wake";
import type { BoardDefinition, WakeSource } from "../../boards/types";
import { ESP32_DEVKITC } from "../../boards/esp32-devkitc/board";
import { MODDABLE_TWO } from "../../boards/moddable-two/board";
import { PIR_BOARD } from "../../examples/custom-driver/board/board";
import { CONSOLE_WAKE_LINE } from "../../boards/esp32-console";
import { clone, refusal } from "../boards/validate-helpers";

/** The DevKitC with `wakeSources` instead of its own (devices: button GPIO0, bme280, led, console...). */
function devkitc(wakeSources: WakeSource[]): BoardDefinition {
  return Object.assign(clone(ESP32_DEVKITC), { wakeSources });
}

/** The GPIOs of a mask, lowest first. */
function pins(mask: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < 40; p++) if (hasBit(mask, p)) out.push(p);
  return out;
}

describe("esp32WakePlan", () => {
  it("arms every GPIO source for light sleep, each at its level; the console's RX line is the UART's, not a GPIO", () => {
    const plan = esp32WakePlan(devkitc([
      { device: "button", line: 0, hibernate: true },
      { device: "bme280", line: 21, hibernate: false, level: 0 },
      { device: "led", line: 27, hibernate: true, level: 1 },
      { device: "console", line: CONSOLE_WAKE_LINE, hibernate: false },
    ]));
    expect([pins(plan.lightMask), pins(plan.lightHighMask)]).toEqual([[0, 21, 27], [27]]);
    // Deep sleep: only the hibernate ones; ext0 the active-low button, ext1 ANY_HIGH the active-high one.
    expect([plan.ext0Pin, plan.ext0Level, pins(plan.ext1Mask), plan.ext1Mode]).toEqual([0, 0, [27], EXT1_ANY_HIGH]);
  });

  it("deep sleep: ext0 alone for one source, ext1 ANY_HIGH for any number of active-high ones, ext1 ALL_LOW for a second active-low one", () => {
    const one = esp32WakePlan(devkitc([{ device: "button", line: 0, hibernate: true }, { device: "led", line: 25, hibernate: false }]));
    expect([one.ext0Pin, one.ext0Level, one.ext1Mask, pins(one.lightMask)]).toEqual([0, 0, 0, [0, 25]]);
    const highs = esp32WakePlan(devkitc([
      { device: "button", line: 32, hibernate: true, level: 1 },
      { device: "bme280", line: 33, hibernate: true, level: 1 },
      { device: "led", line: 34, hibernate: true, level: 1 },
    ]));
    expect([highs.ext0Pin, highs.ext0Level, pins(highs.ext1Mask), highs.ext1Mode]).toEqual([32, 1, [33, 34], EXT1_ANY_HIGH]);
    const lows = esp32WakePlan(devkitc([{ device: "button", line: 0, hibernate: true }, { device: "bme280", line: 4, hibernate: true }]));
    expect([lows.ext0Pin, lows.ext0Level, pins(lows.ext1Mask), lows.ext1Mode]).toEqual([0, 0, [4], EXT1_ALL_LOW]);
    const none = esp32WakePlan(devkitc([{ device: "bme280", line: 21, hibernate: false }]));
    expect([none.ext0Pin, none.ext1Mask, pins(none.lightMask)]).toEqual([-1, 0, [21]]);
  });

  it("arms what the simulator arms, on every shipped board and the custom-driver example", () => {
    for (const def of [ESP32_DEVKITC, MODDABLE_TWO, PIR_BOARD]) {
      const plan = esp32WakePlan(def);
      // host-sim/board/sim-sleep.ts: every wake source's line wakes light sleep, the hibernate ones deep sleep.
      const gpio = def.wakeSources.filter((w) => w.line < def.irq.uartBase);
      expect(pins(plan.lightMask)).toEqual(gpio.map((w) => w.line - def.irq.gpioBase).sort((a, b) => a - b));
      const deep = gpio.filter((w) => w.hibernate).map((w) => w.line - def.irq.gpioBase);
      expect([plan.ext0Pin].concat(pins(plan.ext1Mask)).filter((p) => p >= 0).sort((a, b) => a - b)).toEqual(deep.sort((a, b) => a - b));
    }
  });

  it("lists the ESP32's RTC GPIOs (TRM RTC_MUX: 0, 2, 4, 12-15, 25-27, 32-39)", () => {
    expect(ESP32_RTC_GPIOS).toEqual([0, 2, 4, 12, 13, 14, 15, 25, 26, 27, 32, 33, 34, 35, 36, 37, 38, 39]);
  });
});

describe("boot refuses wake sources the ESP32 cannot arm (validateBoard)", () => {
  it("hibernate: true on a GPIO that is not an RTC GPIO, naming the board, the device, the GPIO and the fix", () => {
    const def = devkitc([{ device: "button", line: 0, hibernate: true }, { device: "bme280", line: 21, hibernate: true, level: 1 }]);
    expect(refusal(def)).toBe("boards/esp32-devkitc: wakeSources[1] (device \"bme280\", GPIO 21) has hibernate: true, but GPIO 21 is not an RTC GPIO, and only RTC GPIOs " +
      "(0, 2, 4, 12, 13, 14, 15, 25, 26, 27, 32, 33, 34, 35, 36, 37, 38, 39) wake the ESP32 from deep sleep: move the device's line to one of them, or set hibernate: false (it still wakes light sleep)");
    // The same source for light sleep only is armed.
    expect(refusal(devkitc([{ device: "bme280", line: 21, hibernate: false, level: 1 }]))).toBe("");
  });

  it("hibernate: true on a line that is no GPIO (the console's RX)", () => {
    expect(refusal(devkitc([{ device: "console", line: CONSOLE_WAKE_LINE, hibernate: true }]))).toBe(
      "boards/esp32-devkitc: wakeSources[0] (device \"console\", line 43) has hibernate: true, but line 43 is not a GPIO: ESP32 deep sleep wakes only on RTC GPIOs and the RTC timer: set hibernate: false");
  });

  it("deep-sleep levels ext0 + ext1 cannot tell apart: three active-low sources, or two active-low and one active-high", () => {
    const three = refusal(devkitc([
      { device: "button", line: 0, hibernate: true },
      { device: "bme280", line: 4, hibernate: true },
      { device: "led", line: 2, hibernate: true },
    ]));
    expect(three).toBe("boards/esp32-devkitc: wakeSources: hibernate: true on \"bme280\" (GPIO 4, level 0), \"led\" (GPIO 2, level 0) besides \"button\" (ext0): " +
      "ESP32 deep sleep has ext0 (one pin, any level) and ext1 (several pins, all waking high, or one pin waking low), so at most two active-low sources, " +
      "and then none active-high: set hibernate: false on all but one or two of them, or wire them active-high (level: 1)");
    const mixed = refusal(devkitc([
      { device: "button", line: 0, hibernate: true },
      { device: "bme280", line: 4, hibernate: true },
      { device: "led", line: 27, hibernate: true, level: 1 },
    ]));
    expect(mixed).toMatch(/^boards\/esp32-devkitc: wakeSources: hibernate: true on "bme280" \(GPIO 4, level 0\), "led" \(GPIO 27, level 1\) besides "button" \(ext0\)/);
    // One active-low and any number of active-high ones fit (ext0 + ext1 ANY_HIGH).
    expect(refusal(devkitc([
      { device: "button", line: 0, hibernate: true },
      { device: "bme280", line: 26, hibernate: true, level: 1 },
      { device: "led", line: 27, hibernate: true, level: 1 },
    ]))).toBe("");
  });
});
