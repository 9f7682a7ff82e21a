// The ESP32's wake sources for a board: every GPIO source armed for light sleep, the hibernate ones as ext0 + ext1 for deep sleep; boot refuses what the chip cannot do.
import type { BoardDefinition, WakeSource } from "./types";

/*
 * ESP32 datasheet / ESP-IDF "Sleep Modes" (Wakeup Sources):
 * - Light sleep, GPIO wakeup: gpio_wakeup_enable(pin, LOW_LEVEL | HIGH_LEVEL) for each pin, then
 *   esp_sleep_enable_gpio_wakeup(): any GPIO, RTC or digital, each with its own level.
 * - Deep sleep: only the RTC controller watches pins. ext0 = one RTC GPIO at a level (0 or 1);
 *   ext1 = a mask of RTC GPIOs with one mode for all of them: ESP_EXT1_WAKEUP_ANY_HIGH (any is high)
 *   or, on the original ESP32, ESP_EXT1_WAKEUP_ALL_LOW (all are low at once). So each hibernate
 *   source wakes on its own only if at most one is active-low besides ext0's: ext0 takes an
 *   active-low one, ext1 ANY_HIGH all the active-high ones, or ext1 ALL_LOW exactly one more
 *   active-low one (with one pin, "all low" is "that pin low") when none is active-high.
 * - A UART wakes light sleep only; nothing but RTC GPIOs and the RTC timer wakes deep sleep.
 */

/** GPIOs the ESP32 has (GPIO 0..39). */
export const ESP32_GPIO_COUNT = 40;
/** RTC GPIOs (ESP32 TRM, IO_MUX "RTC_MUX pin list"; ESP-IDF esp_sleep_enable_ext0/ext1_wakeup): the only pins that wake deep sleep. */
export const ESP32_RTC_GPIOS: readonly number[] = Object.freeze([0, 2, 4, 12, 13, 14, 15, 25, 26, 27, 32, 33, 34, 35, 36, 37, 38, 39]);
/** ext1 mode as quiesce-native.c takes it (mapped to ESP_EXT1_WAKEUP_ALL_LOW): wake when every pin of the mask is low. */
export const EXT1_ALL_LOW = 0;
/** ext1 mode (ESP_EXT1_WAKEUP_ANY_HIGH): wake when any pin of the mask is high. */
export const EXT1_ANY_HIGH = 1;

/**
 * What the ESP32 platform arms. Masks are GPIO bit masks (bit n = GPIO n) kept in a number: 40 bits
 * fit a double exactly, and JavaScript's 32-bit bitwise operators are never used on them.
 */
export interface Esp32WakePlan {
  /** GPIOs armed for light sleep: every GPIO wake source. */
  readonly lightMask: number;
  /** Of `lightMask`, those that wake at level 1 (the others at level 0). */
  readonly lightHighMask: number;
  /** Deep sleep, ext0: the RTC GPIO (-1: none). */
  readonly ext0Pin: number;
  /** The level that wakes `ext0Pin`: 0 or 1. */
  readonly ext0Level: number;
  /** Deep sleep, ext1: RTC GPIO mask (0: none). */
  readonly ext1Mask: number;
  /** EXT1_ALL_LOW or EXT1_ANY_HIGH. */
  readonly ext1Mode: number;
}

/** 2^pin as a number (pin 0..39). */
export function gpioBit(pin: number): number {
  return Math.pow(2, pin);
}

/** Whether GPIO `pin`'s bit is set in `mask`. */
export function hasBit(mask: number, pin: number): boolean {
  return mask % (2 * gpioBit(pin)) >= gpioBit(pin);
}

/** The GPIO of a wake source's line, or -1 if the line is not a GPIO (a UART, the console's RX line). */
export function wakeGpio(def: BoardDefinition, w: WakeSource): number {
  const pin = w.line - def.irq.gpioBase;
  return w.line < def.irq.uartBase && pin >= 0 && pin < ESP32_GPIO_COUNT ? pin : -1;
}

/**
 * The plan for `def`'s wake sources, or throws "<board>: wakeSources[i] (device "d", GPIO n): <why>: <fix>"
 * for a hibernate source the chip cannot arm: not a GPIO, not an RTC GPIO, or one more active-low
 * source than ext0 + ext1 can tell apart. @boot
 */
export function esp32WakePlan(def: BoardDefinition): Esp32WakePlan {
  const f = def.file;
  let lightMask = 0;
  let lightHighMask = 0;
  let deepMask = 0;
  const lows: number[] = [];
  const highs: number[] = [];
  for (let i = 0; i < def.wakeSources.length; i++) {
    const w = def.wakeSources[i];
    const pin = wakeGpio(def, w);
    const level = w.level === 1 ? 1 : 0;
    const who = f + ": wakeSources[" + i + "] (device \"" + String(w.device) + "\"";
    if (pin < 0) {
      if (w.hibernate === true) {
        throw new Error(who + ", line " + w.line + ") has hibernate: true, but line " + w.line + " is not a GPIO: ESP32 deep sleep wakes only on RTC GPIOs and the RTC timer: set hibernate: false");
      }
      continue;
    }
    // Two sources on one GPIO (two devices sharing an interrupt line) arm it once.
    const armed = hasBit(lightMask, pin);
    if (!armed) lightMask += gpioBit(pin);
    if (!armed && level === 1) lightHighMask += gpioBit(pin);
    if (w.hibernate !== true || hasBit(deepMask, pin)) continue;
    if (ESP32_RTC_GPIOS.indexOf(pin) < 0) {
      throw new Error(who + ", GPIO " + pin + ") has hibernate: true, but GPIO " + pin + " is not an RTC GPIO, and only RTC GPIOs (" +
        ESP32_RTC_GPIOS.join(", ") + ") wake the ESP32 from deep sleep: move the device's line to one of them, or set hibernate: false (it still wakes light sleep)");
    }
    deepMask += gpioBit(pin);
    (level === 1 ? highs : lows).push(i);
  }
  let ext0Pin = -1;
  let ext0Level = 0;
  let ext1Mask = 0;
  let ext1Mode = EXT1_ANY_HIGH;
  // ext0 takes an active-low source if there is one (ext1 ANY_HIGH cannot), else the first active-high.
  const first = lows.length > 0 ? lows.shift() as number : highs.length > 0 ? highs.shift() as number : -1;
  if (first >= 0) {
    ext0Pin = wakeGpio(def, def.wakeSources[first]);
    ext0Level = def.wakeSources[first].level === 1 ? 1 : 0;
  }
  if (lows.length > 0 && (lows.length > 1 || highs.length > 0)) {
    const names = lows.concat(highs).map((i) => "\"" + def.wakeSources[i].device + "\" (GPIO " + wakeGpio(def, def.wakeSources[i]) + ", level " + (def.wakeSources[i].level === 1 ? 1 : 0) + ")");
    throw new Error(f + ": wakeSources: hibernate: true on " + names.join(", ") + " besides \"" + def.wakeSources[first].device +
      "\" (ext0): ESP32 deep sleep has ext0 (one pin, any level) and ext1 (several pins, all waking high, or one pin waking low), so at most two active-low " +
      "sources, and then none active-high: set hibernate: false on all but one or two of them, or wire them active-high (level: 1)");
  }
  if (lows.length === 1) {
    ext1Mask = gpioBit(wakeGpio(def, def.wakeSources[lows[0]]));
    ext1Mode = EXT1_ALL_LOW;
  }
  for (let k = 0; k < highs.length; k++) ext1Mask += gpioBit(wakeGpio(def, def.wakeSources[highs[k]]));
  return Object.freeze({ lightMask, lightHighMask, ext0Pin, ext0Level, ext1Mask, ext1Mode });
}
