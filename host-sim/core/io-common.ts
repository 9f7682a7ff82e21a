// Shared helpers of the simulated ECMA-419 classes: options, integers, buffers and `this` checked as Moddable's XS code does.

/**
 * Error classes follow Moddable's ESP32 sources (modules/io/common/builtinCommon.c, each class's .c,
 * xs/sources/xsAPI.c and xsmc.c): xsUnknownError is a plain Error, xsRangeError a RangeError.
 * Every check below is the one place its rule lives; the classes only call these. Messages start
 * with XS's or Moddable's text so logs read the same, then name the thing and the fix.
 *
 * - A method on something that is not an instance, or on a closed one: the native method's
 *   xsmcGetHostDataValidate(xsThis) raises SyntaxError (xsAPI.c fxGetHostDataValidate).
 * - A missing required argument: xsArg(n) past argc raises SyntaxError (xsAPI.c fxCheckArg,
 *   mxBoundsCheck is on by default in xs.h). Methods here cannot count their arguments without
 *   allocating (`arguments` under --jitless), so an explicit `undefined` counts as missing: stricter
 *   than XS (where `read(undefined)` reads 0 bytes), never laxer. Constructors do count.
 * - A BigInt where an integer is read: xsmcToInteger/fxToInteger has no BigInt case and raises
 *   TypeError "cannot coerce to integer" (xsAPI.c); a Symbol too.
 * - A typed array whose elements are wider than one byte: _xsmcGetBuffer accepts ArrayBuffer,
 *   DataView and 1-byte typed arrays only, anything else is TypeError "invalid buffer" (xsmc.c).
 * - A primitive options value: xsmcHas/xsmcGet box it (ToObject) and find nothing, so the class's
 *   first required option fails as if absent; undefined/null cannot be boxed: TypeError.
 */

export type ByteBuffer = ArrayBuffer | ArrayBufferView;

/** Options objects are read with `in`/property access only, like xsmcHas/xsmcGet. */
export type Options = { readonly [key: string]: unknown };

/** Results of a class's instance check, for hostCheck. */
export const HOST_OK = 0;
export const HOST_NOT_INSTANCE = 1;
export const HOST_CLOSED = 2;

/** True for anything `#field in value` may be asked of. */
export function isObjectLike(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/** xsmcGetHostDataValidate: throws unless `state` is HOST_OK. `method` names what was called. */
export function hostCheck(cls: string, method: string, state: number): void {
  if (state === HOST_OK) return;
  if (state === HOST_CLOSED) throw closedError(cls);
  throw new SyntaxError("C: xsGetHostData: not a host object: " + cls + "." + method + " was called on something that is not a " + cls + "; call it on an instance (bind the method before passing it as a callback)");
}

/**
 * The same check for a class Moddable writes in JavaScript over a native one (smbus.js keeps its
 * I2C in a private field): a foreign `this` fails the private-field read and a closed instance reads
 * a method of undefined, both TypeError in XS.
 */
export function scriptCheck(cls: string, method: string, state: number): void {
  if (state === HOST_OK) return;
  if (state === HOST_CLOSED) throw new TypeError("cannot read property of undefined: " + cls + "." + method + " on a closed " + cls + "; construct a new instance");
  throw new TypeError("undefined private property: " + cls + "." + method + " was called on something that is not a " + cls + "; call it on an instance (bind the method before passing it as a callback)");
}

function closedError(cls: string): SyntaxError {
  return new SyntaxError("C: xsGetHostData: invalid host data: " + cls + " is closed; construct a new instance");
}

/** xsArg(index) of a required argument: returns it, or throws SyntaxError when it is missing (undefined). */
export function required<T>(value: T | undefined, method: string, index: number, what: string): T {
  if (value === undefined) {
    throw new SyntaxError("C: xsArg(" + String(index) + "): invalid index: " + method + " needs argument " + String(index + 1) + " (" + what + ")");
  }
  return value;
}

/**
 * The options argument of a native constructor. `argc` is the constructor's arguments.length
 * (no argument at all is xsArg(0) out of range).
 */
export function optionsObject(cls: string, argc: number, options: unknown): Options {
  if (argc === 0) throw new SyntaxError("C: xsArg(0): invalid index: new " + cls + "() needs an options object, e.g. new " + cls + "({...device." + cls + ".default})");
  if (options === undefined || options === null) {
    throw new TypeError("cannot coerce " + String(options) + " to object: new " + cls + "(" + String(options) + ") needs an options object, e.g. new " + cls + "({...device." + cls + ".default})");
  }
  return (isObjectLike(options) ? options : Object(options)) as Options;
}

/** builtinGetPin/builtinGetUnsignedInteger: undefined is "invalid", negative is "negative". */
export function getPin(cls: string, options: Options, key: string): number {
  const v = options[key];
  if (v === undefined) throw new Error("invalid: " + cls + " option '" + key + "' is required (a GPIO number)");
  const n = toInteger(v, cls + " option '" + key + "'");
  if (n < 0) throw new RangeError("negative: " + cls + " option '" + key + "' is " + String(v) + "; use a GPIO number");
  return n;
}

/** builtinGetSignedInteger: like ToInteger but refuses undefined. */
export function getSigned(cls: string, options: Options, key: string): number {
  const v = options[key];
  if (v === undefined) throw new Error("invalid: " + cls + " option '" + key + "' is required");
  return toInteger(v, cls + " option '" + key + "'");
}

/** xsmcToInteger: ToNumber then truncate to int32 (NaN is 0); BigInt and Symbol are TypeErrors. `what` names the value. */
export function toInteger(v: unknown, what: string): number {
  if (typeof v === "bigint") throw new TypeError("cannot coerce to integer: " + what + " is a BigInt (" + String(v) + "n); pass a Number");
  if (typeof v === "symbol") throw new TypeError("cannot coerce symbol to integer: " + what + " is a Symbol; pass a Number");
  // Unary plus (not Number()) so an object whose valueOf returns a BigInt fails like XS's ToPrimitive path.
  return +(v as number) | 0;
}

/** xsmcToUnsigned: as toInteger, then the 32 bits read unsigned (pin masks). */
export function toUnsigned(v: unknown, what: string): number {
  return toInteger(v, what) >>> 0;
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
 * _xsmcGetBuffer: a byte view of a caller's buffer. A Uint8Array is used as is (no allocation: the
 * steady-state path); ArrayBuffer, DataView and the other 1-byte views get a view, which allocates,
 * as XS would not. `method` names the call for the error.
 */
export function bytesOf(method: string, buffer: unknown): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (ArrayBuffer.isView(buffer)) {
    const width = (buffer as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT;
    if (width === undefined || width === 1) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    throw new TypeError("invalid buffer: " + method + " got a " + buffer.constructor.name + " (" + String(width) + "-byte elements); pass a byte buffer (ArrayBuffer, Uint8Array, Int8Array or DataView)");
  }
  if (typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer) return new Uint8Array(buffer);
  throw new TypeError("invalid buffer: " + method + " expected a buffer, got " + (buffer === null ? "null" : typeof buffer) + "; pass a preallocated Uint8Array");
}

/** xsReferenceType: the IO methods treat any object (functions included) as "a buffer argument" rather than a count. */
export function isBufferArg(v: unknown): boolean {
  return isObjectLike(v);
}
