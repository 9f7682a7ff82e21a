// Another firmware for the same hardware: a board wiring whose device list is reordered or resized (hibernate image layout tests).
import type { SimBoardWiring } from "../../host-sim/boards/esp32-devkitc";
import type { BoardDevice } from "../../boards/types";

/** `wiring` with its devices passed through `edit` (same pins, models and pools). */
export function withDevices(wiring: SimBoardWiring, edit: (devices: BoardDevice[]) => BoardDevice[]): SimBoardWiring {
  const def = wiring.definition;
  return { ...wiring, definition: { ...def, devices: edit(def.devices.map((d) => ({ ...d }))) } };
}

/** `devices` with the entries named `a` and `b` swapped in place. */
export function swap(devices: BoardDevice[], a: string, b: string): BoardDevice[] {
  const i = devices.findIndex((d) => d.name === a);
  const j = devices.findIndex((d) => d.name === b);
  [devices[i], devices[j]] = [devices[j], devices[i]];
  return devices;
}

/** `devices` with `stateBytes` set per name. */
export function sized(devices: BoardDevice[], bytes: { [name: string]: number }): BoardDevice[] {
  return devices.map((d) => (bytes[d.name] !== undefined ? { ...d, stateBytes: bytes[d.name] } : d));
}
