// Public surface for boards and drivers ("quiesce/boards"): board definitions as data, boot, validation, and what a driver implements and reads.
export { bootBoard } from "./boot";
export type { BootOptions, BootedBoard, BoardConsole, ConsoleFactory } from "./boot";
export { validateBoard, checkPools } from "./validate";
export { deepFreeze } from "./freeze";
export { PIN_OPTIONS, driverFactory } from "./types";
export type { BoardDefinition, BoardDevice, WakeSource, IrqSource, BoardPlatform, DriverFactory, DriverTable } from "./types";
export { uart0Console, UART_LINE_BASE, CONSOLE_WAKE_LINE } from "./esp32-console";
export { numberOption, parentOf } from "../drivers/common/io";
export type {
  BoardDriver, DriverContext, OptionRange, PoolLimits, IoProvider, DigitalIo, DigitalClass, I2cIo, I2cClass, SpiIo, SpiClass, SerialIo, SerialClass,
} from "../drivers/common/io";
