// The Moddable modules the firmware imports, typed as far as it uses them (the SDK provides them at build time; @moddable/typings 5.6 lacks mc/config), and the board module a board folder supplies.
declare module "timer" {
  const Timer: {
    set(callback: () => void, interval: number, repeat: number): unknown;
    schedule(timer: unknown, interval?: number, repeat?: number): void;
    clear(timer: unknown): void;
  };
  export default Timer;
}
declare module "mc/config" {
  const config: { readonly [key: string]: unknown };
  export default config;
}
declare module "embedded:provider/builtin" {
  /** Checked against drivers/common/io.ts IoProvider where main.ts passes it on. */
  const device: { readonly io: unknown; readonly pin: { readonly [name: string]: number } };
  export default device;
}
/**
 * The board a multi-board firmware runs on, supplied by the -p board folder's manifest (its "modules"
 * map "quiesce-board" to a one-line re-export of the board module): its definition and driver table.
 */
declare module "quiesce-board" {
  export const definition: import("../types").BoardDefinition;
  export const drivers: import("../types").DriverTable;
}
