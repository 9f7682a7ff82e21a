// Public surface of the quiesce runtime: the power manager, its primitives, status codes and contracts.
export * from "./status";
export { PowerManager, P_IDLE, P_SUSPENDING, P_SLEEPING, P_RESUMING, P_ROLLBACK } from "./pm";
export { DeviceGraph } from "./graph";
export { StageEngine, TOKEN_STRIDE } from "./engine";
export { IrqController } from "./irq";
export type { IrqHandler } from "./irq";
export { RequestQueue, Q_OPEN, Q_GATED } from "./queue";
export type { ServeFn, CompleteFn } from "./queue";
export { StateArena, BlockPool } from "./pools";
export { TraceRing } from "./trace";
export * as TraceEvents from "./trace";
export { PmStats } from "./stats";
export { FlightRecorder } from "./flight";
export * as Flight from "./flight";
export type { Platform } from "./platform";
export type { PmHooks, DeviceSpec, PmConfig } from "./driver";
