// Public surface of the simulator ("quiesce/sim"): boot a board on a simulated ESP32 in Node, wire chip models, inject faults, meter energy.
export { SimBoard } from "./board/sim-board";
export { ViolationLog, ByteSink } from "./board/recorders";
export type { SimBoardOptions } from "./board/sim-board";
export { SIM_ESP32_DEVKITC } from "./boards/esp32-devkitc";
export type { SimBoardWiring, SimModelWiring, SimModelContext, SimModelKind } from "./boards/esp32-devkitc";
export { bootSimModdableTwo, simModdableTwoWiring, simModdableTwoDefinition } from "./boards/moddable-two";
export type { SimModdableTwo, SimModdableTwoOptions } from "./boards/moddable-two";
export { SimPlatform } from "./board/sim-platform";
export { SLEEP_NONE, SLEEP_LIGHT, SLEEP_DEEP, SLEEP_HOLD } from "./board/sim-sleep";
export type { SimTime } from "./board/sim-time";
export { FaultTable, F_NONE, F_FAIL, F_HANG, F_LATE, F_THROW, HOOK_NAMES, FAULT_MODE_NAMES } from "./board/faults";
export type { HookName } from "./board/faults";
export {
  EnergyMeter, SOC_ACTIVE, SOC_LIGHT_SLEEP, SOC_DEEP_SLEEP, SOC_HIBERNATION, SOC_OFF,
  ESP32_ACTIVE_240MHZ_UA, ESP32_LIGHT_SLEEP_UA, ESP32_DEEP_SLEEP_UA, ESP32_HIBERNATION_UA, ESP32_OFF_UA,
} from "./models/energy";
export { checkRange } from "./models/common";
export type { FaultKind, NotifyingPowerModel } from "./models/common";
export type { Clock, I2cTarget, SpiTarget, UartPeer, PowerModel, ViolationSink } from "./core/contracts";
export type { SimBoardIo } from "./core/board-io";
/** Every shipped driver by name: the table SimBoard boots with unless SimBoardOptions.drivers says otherwise. */
export { DRIVERS } from "../boards/drivers";
