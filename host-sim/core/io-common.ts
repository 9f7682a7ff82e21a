// Shared helpers of the simulated ECMA-419 classes: option parsing and errors as Moddable's builtinCommon.c throws them.

/**
 * Error classes follow Moddable's ESP32 sources (modules/io/common/builtinCommon.c and each
 * class's .c): xsUnknownError is a plain Error, xsRangeError a RangeError, and a method called on a
 * closed instance fails host-data validation, which XS reports as a SyntaxError. Messages start
 * with Moddable's text so logs read the same, then name the thing and the fix.
 */

export type ByteBuffer = ArrayBuffer | ArrayBufferView;

/** Options objects are read with `in`/property access only, like xsmcHas/xsmcGet. */
export type Options = { readonly [key: string]: unknown };

export function closedError(cls: string): SyntaxError {
  return new SyntaxError("C: xsGetHostData: invalid: " + cls + " is closed; construct a new instance");
}

export function optionsObject(cls: string, options: unknown): Options {
  if (options === null || typeof options !== "object") {
    throw new TypeError(cls + ": options must be an object, e.g. new " + cls + "({...device." + cls + ".default})");
  }
  return options as Options;
}

/** builtinGetPin/builtinGetUnsignedInteger: undefined is "invalid", negative is "negative". */
export function getPin(cls: string, options: Options, key: string): number {
  const v = options[key];
  if (v === undefined) throw new Error("invalid: " + cls + " option '" + key + "' is required (a GPIO number)");
  const n = toInteger(v);
  if (n < 0) throw new RangeError("negative: " + cls + " option '" + key + "' is " + String(v) + "; use a GPIO number");
  return n;
}

/** builtinGetSignedInteger: like ToInteger but refuses undefined. */
export function getSigned(cls: string, options: Options, key: string): number {
  const v = options[key];
  if (v === undefined) throw new Error("invalid: " + cls + " option '" + key + "' is required");
  return toInteger(v);
}

/** xsmcToInteger: ToNumber then truncate to int32 (NaN is 0). */
export function toInteger(v: unknown): number {
  return Number(v) | 0;
}

/** builtinGetCallback: undefined/null means none; anything else must be callable ("not a function"). */
export function getCallback<F>(cls: string, options: Options, key: string): F | null {
  const v = options[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "function") throw new Error("not a function: " + cls + " option '" + key + "' must be a function");
  return v as F;
}

/** builtinInitializeFormat: a falsy format keeps the default; an unknown one is rejected by the caller. */
export function getFormat(options: Options, fallback: string): string {
  if (!("format" in options)) return fallback;
  const v = options.format;
  if (!v) return fallback;
  return String(v);
}

/** builtinInitializeTarget: `target` is copied onto the instance as given. */
export function copyTarget(instance: object, options: Options): void {
  if ("target" in options) (instance as { target?: unknown }).target = options.target;
}

/**
 * A byte view of a caller's buffer. A Uint8Array is used as is (no allocation: the steady-state
 * path); any other buffer gets a view, which allocates, as xsmcGetBufferReadable would not.
 */
export function bytesOf(cls: string, buffer: unknown): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer) return new Uint8Array(buffer);
  throw new TypeError(cls + ": expected a buffer (ArrayBuffer or typed array); pass a preallocated Uint8Array");
}

/** True for the values the IO methods treat as "a buffer argument" rather than a count. */
export function isBufferArg(v: unknown): boolean {
  return v !== null && typeof v === "object";
}
