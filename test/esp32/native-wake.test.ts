// quiesce-native.c run on the host (test/esp32/native-harness: a stand-in xsmc.h, recording ESP-IDF stubs): every wake source of the plan is armed, and the cause names its pin.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { esp32WakePlan, gpioBit, type Esp32WakePlan } from "../../boards/esp32-wake";
import type { WakeSource } from "../../boards/types";
import { ESP32_DEVKITC } from "../../boards/esp32-devkitc/board";
import { CONSOLE_WAKE_LINE } from "../../boards/esp32-console";
import { WAKE_TIMER } from "../../runtime/status";

const ROOT = path.resolve(__dirname, "../..");
const EXE = path.join(os.tmpdir(), "quiesce-native-wake-" + process.pid);
const GPIO_WAKE = 1 << 7; // 1 << ESP_SLEEP_WAKEUP_GPIO
const EXT1_WAKE = 1 << 3; // 1 << ESP_SLEEP_WAKEUP_EXT1

/** The native call's printed ESP-IDF calls, then "-> <result>". */
function run(call: string, args: number[], settings: { [key: string]: number } = {}): string[] {
  const argv = [call, ...args.map(String), ...Object.keys(settings).map((k) => k + "=" + settings[k])];
  return execFileSync(EXE, argv, { encoding: "utf8" }).trim().split("\n");
}

/** The DevKitC's button (GPIO0, active low, hibernate), a BME280 alert (GPIO21, light only), two PIRs (GPIO27, GPIO33, active high, hibernate), the console. */
const SOURCES: WakeSource[] = [
  { device: "button", line: 0, hibernate: true },
  { device: "bme280", line: 21, hibernate: false },
  { device: "led", line: 27, hibernate: true, level: 1 },
  { device: "w25q", line: 33, hibernate: true, level: 1 },
  { device: "console", line: CONSOLE_WAKE_LINE, hibernate: false },
];
const plan: Esp32WakePlan = esp32WakePlan(Object.assign({}, ESP32_DEVKITC, { wakeSources: SOURCES }));
/** Idle pads: the active-low inputs pulled high, the active-high ones low. */
const IDLE = gpioBit(0) + gpioBit(21);

beforeAll(() => {
  execFileSync("cc", ["-std=gnu11", "-o", EXE, "-I", path.join(ROOT, "test/esp32/native-harness"), "-I", path.join(ROOT, "boards/esp32/idf-shim"),
    path.join(ROOT, "test/esp32/native-harness/harness.c"), path.join(ROOT, "boards/esp32/quiesce-native.c")], { stdio: ["ignore", "pipe", "pipe"] });
});
afterAll(() => fs.rmSync(EXE, { force: true }));

describe("quiesce-native.c arms every wake source of the plan", () => {
  it("light sleep: gpio_wakeup_enable for each GPIO source at its level, then disabled again; the pin that woke is the cause", () => {
    const out = run("light", [plan.lightMask, plan.lightHighMask, 0, 3, CONSOLE_WAKE_LINE, 0], { levels: IDLE, wakeBy: 33, wakeLevel: 1, causes: GPIO_WAKE });
    expect(out).toEqual([
      "gpio_wakeup_enable(0,LOW)", "gpio_wakeup_enable(21,LOW)", "gpio_wakeup_enable(27,HIGH)", "gpio_wakeup_enable(33,HIGH)",
      "esp_sleep_enable_gpio_wakeup", "esp_sleep_enable_uart_wakeup(0)", "esp_light_sleep_start",
      "gpio_wakeup_disable(0)", "gpio_wakeup_disable(21)", "gpio_wakeup_disable(27)", "gpio_wakeup_disable(33)",
      "-> 33",
    ]);
    // The BME280's alert (a light-sleep-only source) wakes it too.
    expect(run("light", [plan.lightMask, plan.lightHighMask, -1, 3, CONSOLE_WAKE_LINE, 0], { levels: IDLE, wakeBy: 21, wakeLevel: 0, causes: GPIO_WAKE }).pop()).toBe("-> 21");
  });

  it("light sleep: a source already at its level returns at once, without sleeping", () => {
    expect(run("light", [plan.lightMask, plan.lightHighMask, 0, 3, CONSOLE_WAKE_LINE, 0], { levels: IDLE + gpioBit(27) })).toEqual(["-> 27"]);
  });

  it("deep sleep: only the hibernate sources, the button as ext0 and both PIRs as ext1 ANY_HIGH; a rejected sleep names the active pin", () => {
    const out = run("deep", [plan.ext0Pin, plan.ext0Level, plan.ext1Mask, plan.ext1Mode, 0], { levels: IDLE, wakeBy: 27, wakeLevel: 1, reject: 1 });
    expect(out).toEqual([
      "esp_sleep_pd_config(0,1)", "esp_sleep_enable_ext0_wakeup(0,0)", "esp_sleep_enable_ext1_wakeup(0x208000000,ANY_HIGH)", "esp_deep_sleep_try_to_start", "-> 27",
    ]);
    // A second active-low source goes to ext1 as ALL_LOW (one pin: that pin low).
    const lows = esp32WakePlan(Object.assign({}, ESP32_DEVKITC, { wakeSources: [SOURCES[0], { device: "bme280", line: 4, hibernate: true }] }));
    expect(run("deep", [lows.ext0Pin, lows.ext0Level, lows.ext1Mask, lows.ext1Mode, 0], { levels: IDLE + gpioBit(4) }))
      .toContain("esp_sleep_enable_ext1_wakeup(0x10,ALL_LOW)");
    // No hibernate source: nothing but the timer.
    expect(run("deep", [-1, 0, 0, 1, 5000], {})).toEqual(["esp_sleep_enable_timer_wakeup(5000)", "esp_deep_sleep_try_to_start", "-> " + WAKE_TIMER]);
  });

  it("boot after deep sleep: an ext1 wake is its pin (esp_sleep_get_ext1_wakeup_status), an ext0 wake the ext0 pin", () => {
    expect(run("boot", [plan.ext0Pin, plan.ext1Mask, CONSOLE_WAKE_LINE], { causes: EXT1_WAKE, ext1: gpioBit(33) })).toEqual(["-> 33"]);
    expect(run("boot", [plan.ext0Pin, plan.ext1Mask, CONSOLE_WAKE_LINE], { causes: 1 << 2 })).toEqual(["-> 0"]);
  });
});
