// Misuse of every simulated IO class throws the error class Moddable's ESP32 code raises (xsAPI.c, xsmc.c, builtinCommon.c, each class's .c/.js).
import { describe, expect, it } from "vitest";
import { rig, thrown } from "./fixtures";

type Make = (r: ReturnType<typeof rig>) => Record<string, unknown>;

/** A valid options object per class (DevKitC pins), so each case changes one thing. */
const OPTIONS: Record<string, Make> = {
  Digital: () => ({ pin: 4, mode: 8 }),
  DigitalBank: () => ({ pins: (1 << 4) | (1 << 5), mode: 8 }),
  PWM: () => ({ pin: 25, hz: 1000, resolution: 10 }),
  I2C: (r) => ({ ...r.device.I2C.default, address: 0x76 }),
  SMBus: (r) => ({ ...r.device.I2C.default, address: 0x76 }),
  SPI: (r) => ({ ...r.device.SPI.default }),
  Serial: (r) => ({ ...r.device.Serial.telemetry }),
};
const CLASSES = Object.keys(OPTIONS);

function make(name: string, options?: unknown, noArgument = false): unknown {
  const r = rig();
  const Cls = (r.device.io as unknown as Record<string, new (...a: unknown[]) => unknown>)[name];
  return noArgument ? new Cls() : new Cls(options === undefined ? OPTIONS[name](r) : options);
}

/** The method each class takes its main argument in, and a call on it with that argument. */
const METHOD: Record<string, [string, unknown[]]> = {
  Digital: ["write", [1]],
  DigitalBank: ["write", [1]],
  PWM: ["write", [1]],
  I2C: ["write", [new Uint8Array(1)]],
  SMBus: ["readUint8", [0]],
  SPI: ["write", [new Uint8Array(1)]],
  Serial: ["write", [new Uint8Array(1)]],
};

describe("simulated IO errors match Moddable's ESP32 implementation", () => {
  it.each(CLASSES)("%s: a method called on something that is not an instance", (name) => {
    const r = rig();
    const Cls = (r.device.io as unknown as Record<string, { prototype: Record<string, (...a: unknown[]) => unknown> }>)[name];
    const [method, args] = METHOD[name];
    // Native methods validate host data (SyntaxError); SMBus is smbus.js, whose private field read fails (TypeError).
    const expected = name === "SMBus" ? "TypeError" : "SyntaxError";
    for (const self of [{}, 5, undefined, new (r.device.io.Digital)({ pin: 13, mode: 8 })]) {
      if (name === "Digital" || name === "DigitalBank") if (self instanceof Object && "read" in self) continue; // a Digital is a DigitalBank
      const e = thrown(() => Cls.prototype[method].apply(self, args));
      expect(e.type).toBe(expected);
      expect(e.message).toMatch(/was called on something that is not a (Digital|DigitalBank|PWM|I2C|SMBus|SPI|Serial); call it on an instance/);
    }
  });

  it.each(CLASSES)("%s: constructed with no options at all", (name) => {
    // xsArg(0) past argc is a SyntaxError; digital.js reads options.pin in JS and smbus.js passes undefined on (TypeError).
    const expected = name === "Digital" || name === "SMBus" ? "TypeError" : "SyntaxError";
    expect(thrown(() => make(name, undefined, true)).type).toBe(expected);
    expect(thrown(() => make(name, null)).type).toBe("TypeError");
  });

  it.each(CLASSES)("%s: a primitive options value reads no pins and fails like absent options", (name) => {
    // I2C checks `data in options` first (RangeError "data required"); the others read a pin or mask first: Error.
    const expected = name === "I2C" || name === "SMBus" ? { type: "RangeError", message: /^data required/ } : { type: "Error", message: /^invalid/ };
    for (const primitive of [5, "x", true]) {
      const e = thrown(() => make(name, primitive));
      expect(e.type).toBe(expected.type);
      expect(e.message).toMatch(expected.message);
    }
  });

  it.each(CLASSES)("%s: a BigInt option value is a TypeError", (name) => {
    const r = rig();
    const o = OPTIONS[name](r);
    const key = Object.keys(o).find((k) => typeof o[k] === "number") as string;
    const e = thrown(() => make(name, { ...o, [key]: BigInt(o[key] as number) }));
    expect(e.type).toBe("TypeError");
    if (name !== "Digital") expect(e.message).toMatch(/is a BigInt .*; pass a Number/);
    // Nothing was claimed: the valid options still construct.
    expect(thrown(() => make(name)).type).toBe("none");
  });

  it("a missing required method argument is a SyntaxError (xsArg past argc), where Moddable reads one", () => {
    const r = rig();
    const { I2C, SPI, Serial, DigitalBank, PWM, Digital, SMBus } = r.device.io;
    const i2c = new I2C({ ...r.device.I2C.default, address: 0x76 });
    const spi = new SPI(r.device.SPI.default);
    const serial = new Serial(r.device.Serial.telemetry);
    const bank = new DigitalBank({ pins: 1 << 4, mode: DigitalBank.Output });
    const pwm = new PWM({ pin: 25 });
    const none = (o: object, m: string): string => thrown(() => (o as Record<string, () => unknown>)[m]()).type;
    expect([none(i2c, "read"), none(i2c, "write"), none(spi, "read"), none(spi, "write"), none(spi, "transfer"), none(serial, "write"), none(bank, "write"), none(pwm, "write")])
      .toEqual(Array(8).fill("SyntaxError"));
    expect(thrown(() => (i2c.writeRead as (b: Uint8Array) => unknown)(new Uint8Array(1))).message).toMatch(/^C: xsArg\(1\): invalid index: I2C.writeRead needs argument 2/);
    // Optional in Moddable: Serial.read(), SPI.flush(); digital.js writes Number(undefined) = 0; smbus.js passes undefined on (0 bytes).
    expect(serial.read()).toBeUndefined();
    spi.flush();
    const led = new Digital({ pin: 13, mode: Digital.Output, initialValue: 1 });
    (led.write as () => void)();
    expect(r.board.level(13)).toBe(0);
    r.board.attachI2c(21, 22, { address: 0x40, i2cWrite: () => true, i2cRead: () => true });
    const bus = new SMBus({ ...r.device.I2C.default, address: 0x40 });
    expect((bus.read as () => ArrayBuffer)().byteLength).toBe(0);
  });

  it("only byte views are buffers: wider typed arrays are a TypeError in every buffer method", () => {
    const r = rig();
    const { I2C, SPI, Serial, SMBus } = r.device.io;
    r.board.attachI2c(21, 22, { address: 0x40, i2cWrite: () => true, i2cRead: () => true });
    const i2c = new I2C({ ...r.device.I2C.default, address: 0x40 });
    const spi = new SPI(r.device.SPI.default);
    const serial = new Serial(r.device.Serial.telemetry);
    i2c.close();
    const bus = new SMBus({ ...r.device.I2C.default, address: 0x40 });
    const wide = [new Uint16Array(2), new Int32Array(1), new Float32Array(1), new BigUint64Array(1)];
    for (const w of wide) {
      const calls = [() => bus.write(w), () => bus.read(w), () => bus.writeBuffer(1, w), () => bus.readBuffer(1, w), () => spi.write(w), () => spi.read(w), () => spi.transfer(w), () => serial.write(w)];
      for (const call of calls) expect(thrown(call)).toEqual({ type: "TypeError", message: expect.stringMatching(/^invalid buffer: .* got a \w+Array \([248]-byte elements\); pass a byte buffer/) });
    }
    // Byte views of every kind are accepted.
    for (const ok of [new Uint8Array(2), new Int8Array(2), new Uint8ClampedArray(2), new DataView(new ArrayBuffer(2)), new ArrayBuffer(2)]) {
      expect(thrown(() => bus.write(ok)).type).toBe("none");
      expect(thrown(() => spi.write(ok)).type).toBe("none");
    }
    expect(thrown(() => spi.write(3 as never)).message).toMatch(/^invalid buffer: SPI.write expected a buffer, got number/);
  });
});
