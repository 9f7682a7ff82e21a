// Public surface of the quiesce runtime: the power manager, its primitives, status codes and contracts.
export * from "./status";
export { PowerManager } from "./pm";
export { P_IDLE, P_SUSPENDING, P_SLEEPING, P_RESUMING, P_ROLLBACK, P_REPROBING } from "./phase";
export { DeviceGraph } from "./graph";
export { StageEngine } from "./engine";
export { TOKEN_STRIDE } from "./in-flight";
export type { EngineOwner } from "./engine";
export * from "./protocol";
export { Recorder } from "./recorder";
export { MaskWindow } from "./mask";
export { PendingStage } from "./port";
export type { DevicePort } from "./port";
export { IrqController } from "./irq";
export type { IrqHandler } from "./irq";
export { RequestQueue, Q_OPEN, Q_GATED, Q_FAILED, Q_CLOSED } from "./queue";
export type { ServeFn, CompleteFn } from "./queue";
export { StateArena, BlockPool } from "./pools";
export { TraceRing } from "./trace";
/** The trace ring's event codes and names (runtime/trace.ts), for reading records. */
export * as TraceEvents from "./trace";
export { PmStats } from "./stats";
export { FlightRecorder } from "./flight";
/** The flight recorder's record layout (runtime/flight.ts), for reading past attempts. */
export * as Flight from "./flight";
export type { Platform } from "./platform";
export type { PmHooks, DeviceSpec, PmConfig } from "./driver";
export { PmLocks, LOCK_APP, LOCK_DEVICE } from "./locks";
export { RuntimePm, RPM_TOKEN, SETTLE_STANDBY, SETTLE_HIBERNATE } from "./runtime-pm";
export type { RpmHost } from "./runtime-pm";
/** Device runtime PM's transition table (runtime/runtime-pm-table.ts): states, events, actions. */
export * as RuntimePmTable from "./runtime-pm-table";
export { IdleGovernor, MIN_IDLE_US, WAKE_MARGIN_US, DECISIONS_KEPT } from "./governor";
export type { GovernorConfig, GovernorHost } from "./governor";
/** The idle governor's decision rule and reason codes (runtime/policy.ts), for reading its decisions. */
export * as Policy from "./policy";
export type { IdleState } from "./policy";
