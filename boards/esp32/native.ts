// TypeScript face of quiesce-native.c: one function per host callback, each a body xsc compiles to the C function itself.
/*
 * xsc replaces `function f(a) { return native(name).call(this, a); }` by the host function when the
 * parameters and the call's arguments match exactly ("XS in C", Native API, Optimization): so keep
 * every body to that one call, no defaults, no extra code. Nothing here runs at module load, so the
 * module may be preloaded (no native call at preload).
 */
import type { QuiesceNative } from "./platform";

declare function native(name: string): { call(thisArg: unknown, ...args: unknown[]): number };

/** esp_reset_reason() as main.ts needs it. */
export const RESET_POWER_ON = 0;
export const RESET_DEEP_SLEEP = 1;
export const RESET_SOFTWARE = 2;
export const RESET_WATCHDOG = 3;
export const RESET_BROWNOUT = 4;
export const RESET_OTHER = 5;

/** Native counters (xs_quiesce_stat). */
export const STAT_CRITICAL_ENTRIES = 0;
export const STAT_CRITICAL_MAX_US = 1;
export const STAT_CRITICAL_LAST_US = 2;
export const STAT_LIGHT_SLEEPS = 3;
export const STAT_LAST_ERROR = 4;
/** ESP-IDF v6.0 `esp_sleep_get_wakeup_causes()` bits of the last wake (1 << esp_sleep_source_t). */
export const STAT_LAST_RAW_CAUSE = 5;
export const STAT_SLEEP_REJECTS = 6;
export const STAT_STALL_DEPTH = 7;
/** stat(index) answers -1 from here on. */
export const STAT_COUNT = 8;

/** imageLoad/imageVerify/imageSave results below zero. */
export const IMAGE_NONE = -1;
export const IMAGE_BAD_CHECKSUM = -2;
export const IMAGE_TOO_LARGE = -3;
export const IMAGE_IN_FLASH = -4;

/** imageInfo(field) fields. */
export const IMAGE_INFO_VALID = 0;
export const IMAGE_INFO_LENGTH = 1;
export const IMAGE_INFO_CHECKSUM = 2;
export const IMAGE_INFO_FLASH_ADDRESS = 3;
export const IMAGE_INFO_SEQUENCE = 4;

export function nowUs(this: unknown): number {
  return native("xs_quiesce_now_us").call(this);
}
export function enterCritical(this: unknown): number {
  return native("xs_quiesce_enter_critical").call(this);
}
export function leaveCritical(this: unknown): number {
  return native("xs_quiesce_leave_critical").call(this);
}
export function stallOther(this: unknown): number {
  return native("xs_quiesce_stall_other").call(this);
}
export function releaseOther(this: unknown): number {
  return native("xs_quiesce_release_other").call(this);
}
export function lightSleep(
  this: unknown, wakeMask: number, highMask: number, uartPort: number, uartThreshold: number, uartLine: number, timerUs: number,
): number {
  return native("xs_quiesce_light_sleep").call(this, wakeMask, highMask, uartPort, uartThreshold, uartLine, timerUs);
}
export function deepSleep(this: unknown, ext0Pin: number, ext0Level: number, ext1Mask: number, ext1Mode: number, timerUs: number): number {
  return native("xs_quiesce_deep_sleep").call(this, ext0Pin, ext0Level, ext1Mask, ext1Mode, timerUs);
}
export function resetReason(this: unknown): number {
  return native("xs_quiesce_reset_reason").call(this);
}
export function bootWakeCause(this: unknown, ext0Pin: number, ext1Mask: number, uartLine: number): number {
  return native("xs_quiesce_boot_wake_cause").call(this, ext0Pin, ext1Mask, uartLine);
}
/** How long the deep sleep this boot came from lasted by the RTC clock (µs), or -1 if unknown. */
export function bootSleptUs(this: unknown): number {
  return native("xs_quiesce_boot_slept_us").call(this);
}
export function imageSave(this: unknown, buffer: Uint8Array, flashAddress: number): number {
  return native("xs_quiesce_image_save").call(this, buffer, flashAddress);
}
export function imageLoad(this: unknown, buffer: Uint8Array): number {
  return native("xs_quiesce_image_load").call(this, buffer);
}
export function imageVerify(this: unknown, buffer: Uint8Array): number {
  return native("xs_quiesce_image_verify").call(this, buffer);
}
export function imageClear(this: unknown): number {
  return native("xs_quiesce_image_clear").call(this);
}
export function imageInfo(this: unknown, field: number): number {
  return native("xs_quiesce_image_info").call(this, field);
}
export function stat(this: unknown, index: number): number {
  return native("xs_quiesce_stat").call(this, index);
}
export function debugBuild(this: unknown): number {
  return native("xs_quiesce_debug_build").call(this);
}

/**
 * The face as one object for Esp32Platform (tests pass a recording fake of the same shape). Built at
 * module load from function references only: no native call, nothing mutable.
 */
export const esp32Native: QuiesceNative = Object.freeze({
  nowUs, enterCritical, leaveCritical, stallOther, releaseOther, lightSleep, deepSleep, resetReason, bootWakeCause,
  bootSleptUs, imageSave, imageLoad, imageVerify, imageClear, imageInfo, stat, debugBuild,
});
