// The ESP32 module's own SPI flash as a power draw: standby while VDD_SDIO is on, nothing in deep sleep.
import type { NotifyingPowerModel } from "./common";
import { W25Q_STANDBY_UA } from "./w25q-spec";

/**
 * The WROOM-32's flash sits on VDD_SDIO, which the ESP32 powers down in deep sleep and hibernation
 * (ESP-IDF sleep_modes.c: VDD_SDIO off in deep sleep; light sleep keeps the flash powered unless
 * ESP_SLEEP_POWER_DOWN_FLASH, default n) and re-powers at the wake (then CONFIG_ESP_SLEEP_WAIT_FLASH_
 * READY_EXTRA_DELAY, charged by the platform at the SoC's active current). Powered, it is charged at
 * the W25Q64JV's ICC1 standby, 10 uA typ (W25Q64JV-J §9.4 p. 61). UNVERIFIED: which flash a given
 * module carries (a W25Q32 or a GD25Q32 class part); instruction fetches through the cache (read
 * current, ICC3) are not modelled: the ESP32's active figure is the chip's alone.
 */
export class ModuleFlash implements NotifyingPowerModel {
  readonly name: string;
  private powered = 1;
  private listener: (() => void) | null = null;

  constructor(name = "module-flash") {
    this.name = name;
  }

  setPowerListener(listener: (() => void) | null): void {
    this.listener = listener;
  }

  /** VDD_SDIO on (1) or off (0). */
  setPowered(on: boolean): void {
    const v = on ? 1 : 0;
    if (v === this.powered) return;
    this.powered = v;
    // The meter closes the open interval at the current it sampled last, then reads the new one.
    if (this.listener !== null) this.listener();
  }

  isPowered(): boolean {
    return this.powered === 1;
  }

  currentUa(): number {
    return this.powered === 1 ? W25Q_STANDBY_UA : 0;
  }
}
