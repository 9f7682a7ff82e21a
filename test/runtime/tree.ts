// The reference device tree of the runtime suites: two buses, a storage device others need, a wake source.
import { ROLE_STORAGE, ROLE_WAKE } from "../../runtime";
import { Env } from "./fakes";
import type { PmConfig } from "../../runtime";

/**
 *   i2c0 ─ bme280 (state 8), touch (state 4)
 *   spi0 ─ flash (storage), display (state 16)
 *   led (state 1), button (wake line 0), console (wake line 1), telemetry (needs console, 2 blocks)
 * Storage ordering adds: bme280, touch, display, led → flash.
 */
export function makeTree(config: Partial<PmConfig> = {}): Env {
  const env = new Env(config);
  env.add({ name: "i2c0" });
  env.add({ name: "spi0" });
  env.add({ name: "bme280", parent: "i2c0", stateBytes: 8 });
  env.add({ name: "touch", parent: "i2c0", stateBytes: 4 });
  env.add({ name: "flash", parent: "spi0", roles: ROLE_STORAGE });
  env.add({ name: "display", parent: "spi0", stateBytes: 16 });
  env.add({ name: "led", stateBytes: 1 });
  env.add({ name: "button", roles: ROLE_WAKE, wakeLine: 0 });
  env.add({ name: "console", roles: ROLE_WAKE, wakeLine: 1 });
  env.add({ name: "telemetry", needs: ["console"], requestBlocks: 2 });
  env.pm.seal();
  return env;
}

export const TREE_NAMES = ["i2c0", "spi0", "bme280", "touch", "flash", "display", "led", "button", "console", "telemetry"];

/** Prerequisites in the reference tree (parent, needs, storage). */
export const TREE_PREREQS: Record<string, string[]> = {
  i2c0: [], spi0: [], bme280: ["i2c0", "flash"], touch: ["i2c0", "flash"], flash: ["spi0"],
  display: ["spi0", "flash"], led: ["flash"], button: [], console: [], telemetry: ["console"],
};
