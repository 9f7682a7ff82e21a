// Bringing a W25Q of unknown state to standby at boot: release power-down, wait out a program/erase a board reset interrupted, identify.
import type { Platform } from "../../runtime/platform";
import { FlashPort, STATUS_BUSY } from "./flash";

/** Section 9.6 tBE2: 64 KB block erase, 2 s maximum; the longest operation anyone but a chip erase leaves running. */
export const BE_MAX_US = 2_000_000;
/** Between two status polls while waiting at boot. */
const BOOT_POLL_US = 1000;

export const CHIP_READY = 0;
/** Nothing answered JEDEC ID (9Fh): absent, unpowered or miswired. */
export const CHIP_ABSENT = 1;
/** BUSY never cleared within tBE max: a stuck chip, not a wiring fault. */
export const CHIP_STUCK = 2;

/**
 * Spins on status register-1 until BUSY clears (true), the read fails or `maxUs` passes (false).
 * Boot only: nothing else runs yet, so a bounded spin (like ESP-IDF's esp_flash_init waiting for an
 * erase left by a reset) is the honest wait. A status of 0xFF is MISO floating high, nobody
 * answering: it ends the wait at once (identify decides what it was). @boot
 */
export function waitIdle(flash: FlashPort, platform: Platform, maxUs: number): boolean {
  const start = platform.now();
  for (;;) {
    if (!flash.readStatus()) return false;
    if ((flash.status & STATUS_BUSY) === 0) return true;
    if (flash.status === 0xff) return false;
    const at = platform.now();
    if (at - start >= maxUs) return false;
    for (let t = at, guard = 0; t - at < BOOT_POLL_US && guard < 1_000_000; guard++) t = platform.now();
  }
}

/**
 * A board reset does not reset the flash: it may sit in deep power-down (a standby or hibernate put
 * it there) or still be erasing (the reset came mid-erase). ABh first: it releases power-down, and
 * while BUSY it "is ignored and will not have any effects on the current cycle" (section 8.2, Release
 * Power-down / Device ID), so it is safe either way; 05h would be ignored in power-down. Then BUSY is
 * waited out up to tBE max, and only then is a JEDEC ID that does not answer called absent. @boot
 */
export function wakeChip(flash: FlashPort, platform: Platform): number {
  flash.release();
  const busy = flash.readStatus() && (flash.status & STATUS_BUSY) !== 0 && flash.status !== 0xff;
  if (busy && !waitIdle(flash, platform, BE_MAX_US) && flash.status !== 0xff) return CHIP_STUCK;
  return flash.identify() ? CHIP_READY : CHIP_ABSENT;
}
