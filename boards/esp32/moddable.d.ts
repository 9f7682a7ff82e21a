// The Moddable modules main.ts imports, typed as far as it uses them (the SDK provides them at build time; @moddable/typings 5.6 lacks mc/config).
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
