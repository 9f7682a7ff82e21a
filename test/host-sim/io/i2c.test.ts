// I2C and SMBus: _i2c.c validation, shared SDA/SCL with per-address instances, routing by address, NAK errors, bus traces.
import { describe, expect, it } from "vitest";
import { FakeRegisterChip, rig, thrown } from "./fixtures";

describe("I2C", () => {
  it("validates options with Moddable's error classes", () => {
    const { device } = rig();
    const { I2C } = device.io;
    const d = device.I2C.default;
    expect(thrown(() => new I2C({ clock: 22, hz: 1e5, address: 0x76 } as never))).toEqual({ type: "RangeError", message: expect.stringMatching(/^data required/) });
    expect(thrown(() => new I2C({ data: 21, hz: 1e5, address: 0x76 } as never))).toEqual({ type: "RangeError", message: expect.stringMatching(/^clock required/) });
    expect(thrown(() => new I2C({ ...d } as never))).toEqual({ type: "RangeError", message: expect.stringMatching(/^address required/) });
    expect(thrown(() => new I2C({ ...d, address: 0xec }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^invalid address: .*use 0..127 \(not the 8-bit write address\)/) });
    expect(thrown(() => new I2C({ ...d, address: 0x76, hz: 0 }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^invalid hz/) });
    expect(thrown(() => new I2C({ ...d, address: 0x76, port: 2 }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^invalid port: I2C port 2; use 0..1/) });
    expect(thrown(() => new I2C({ ...d, address: 0x76, format: "number" }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^invalid format/) });
    expect(thrown(() => new I2C({ data: 34, clock: 22, hz: 1e5, address: 1 }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^unusable pins/) });
    expect(thrown(() => new I2C({ ...d, address: -1 }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^negative/) });
  });

  it("shares SDA/SCL between addresses, refuses a duplicate address and a foreign pin owner, releases on last close", () => {
    const { device, board } = rig();
    const { I2C, Digital } = device.io;
    const a = new I2C({ ...device.I2C.default, address: 0x76 });
    const b = new I2C({ ...device.I2C.default, address: 0x44 });
    expect(thrown(() => new I2C({ ...device.I2C.default, address: 0x76 }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^duplicate address: .*0x76 on SDA 21\/SCL 22/) });
    expect(thrown(() => new Digital({ pin: 21, mode: Digital.Input })).message).toBe("in use: Digital GPIO 21 is held by I2C; close that instance first");
    const led = new Digital({ pin: 4, mode: Digital.Output });
    expect(thrown(() => new I2C({ data: 4, clock: 15, hz: 1e5, address: 1 }))).toEqual({ type: "RangeError", message: "inUse: I2C GPIO 4 is held by Digital; close that instance first" });
    led.close();
    a.close();
    expect(board.pinOwner(21)).toBe("I2C");
    b.close();
    b.close();
    expect([board.pinOwner(21), board.pinOwner(22)]).toEqual(["nothing", "nothing"]);
    expect(thrown(() => b.read(1))).toEqual({ type: "SyntaxError", message: expect.stringMatching(/I2C is closed/) });
    new I2C({ ...device.I2C.default, address: 0x76 }).close();
  });

  it("routes by address, reads into caller buffers, and throws on NAK as Moddable does", () => {
    const { device, board } = rig();
    const chip = new FakeRegisterChip(0x76);
    const other = new FakeRegisterChip(0x77);
    board.attachI2c(21, 22, chip);
    board.attachI2c(21, 22, other);
    chip.regs.set([0x60, 0x61, 0x62], 0xd0);
    const i2c = new device.io.I2C({ ...device.I2C.default, address: 0x76 });
    const cmd = new Uint8Array([0xd0]);
    const into = new Uint8Array(3);
    expect(i2c.write(cmd, false)).toBeUndefined();
    expect(i2c.read(into)).toBe(3);
    expect(Array.from(into)).toEqual([0x60, 0x61, 0x62]);
    const ab = i2c.read(2) as ArrayBuffer;
    expect(Array.from(new Uint8Array(ab))).toEqual([0x60, 0x61]);
    expect(i2c.writeRead(cmd, into)).toBe(3);
    expect(chip.log).toEqual(["Wd0 Sr", "R3 P", "R2 P", "Wd0 Sr", "R3 P"]);
    expect(other.log).toEqual([]);

    const ghost = new device.io.I2C({ ...device.I2C.default, address: 0x10 });
    expect(thrown(() => ghost.write(cmd))).toEqual({ type: "Error", message: expect.stringMatching(/^write failed: I2C address 0x10 NAKed/) });
    expect(thrown(() => ghost.read(into))).toEqual({ type: "Error", message: expect.stringMatching(/^read failed/) });
    expect(ghost.write(new Uint8Array(0))).toBe(1); // zero-length write is a probe: 1 on NAK
    expect(i2c.write(new Uint8Array(0))).toBeUndefined();
    chip.nak = true;
    expect(thrown(() => i2c.writeRead(cmd, into)).message).toMatch(/^writeRead failed/);
    // 10 transfers; NAKs: ghost write, ghost read, ghost probe, and the failed register phase.
    expect([board.counters[0], board.counters[1]]).toEqual([10, 4]);
    expect(i2c.format).toBe("buffer");
  });
});

describe("SMBus", () => {
  it("does register reads with a repeated start and writes in one transfer", () => {
    const { device, board } = rig();
    const chip = new FakeRegisterChip(0x44);
    board.attachI2c(21, 22, chip);
    const bus = new device.io.SMBus({ ...device.I2C.default, address: 0x44 });
    chip.regs.set([0x12, 0x34, 0x56, 0x78], 0x10);
    expect(bus.readUint8(0x10)).toBe(0x12);
    expect(bus.readUint16(0x10)).toBe(0x3412);
    expect(bus.readUint16(0x10, true)).toBe(0x1234);
    const into = new Uint8Array(4);
    expect(bus.readBuffer(0x10, into)).toBe(4);
    expect(Array.from(into)).toEqual([0x12, 0x34, 0x56, 0x78]);
    bus.writeUint8(0x20, 0xab);
    bus.writeUint16(0x21, 0xbeef);
    bus.writeUint16(0x23, 0xbeef, true);
    bus.writeBuffer(0x30, new Uint8Array([1, 2, 3]));
    bus.sendByte(0xf3);
    chip.regs[0xf3] = 0x99;
    expect(bus.receiveByte()).toBe(0x99);
    bus.writeQuick();
    bus.readQuick();
    expect(Array.from(chip.regs.subarray(0x20, 0x25))).toEqual([0xab, 0xef, 0xbe, 0xbe, 0xef]);
    expect(Array.from(chip.regs.subarray(0x30, 0x33))).toEqual([1, 2, 3]);
    expect(chip.log).toEqual([
      "W10 Sr", "R1 P", "W10 Sr", "R2 P", "W10 Sr", "R2 P", "W10 Sr", "R4 P",
      "W20 ab P", "W21 ef be P", "W23 be ef P", "W30 01 02 03 P", "Wf3 P", "R1 P", "W P", "R0 P",
    ]);
    expect(thrown(() => bus.writeBuffer(0, new Uint16Array(2)))).toEqual({ type: "TypeError", message: expect.stringMatching(/^invalid buffer: SMBus.writeBuffer got a Uint16Array/) });
    chip.nak = true;
    expect(thrown(() => bus.readUint8(0x10))).toEqual({ type: "Error", message: "writeRead failed: SMBus register 0x10 NAKed" });
    bus.close();
    bus.close();
    // smbus.js is JavaScript: a closed SMBus reads a method of undefined (TypeError), unlike I2C.
    expect(thrown(() => bus.readUint8(0)).type).toBe("TypeError");
  });

  it("honours the stop option on the register phase", () => {
    const { device, board } = rig();
    const chip = new FakeRegisterChip(0x40);
    board.attachI2c(21, 22, chip);
    const bus = new device.io.SMBus({ ...device.I2C.default, address: 0x40, stop: true });
    bus.readUint16(0x02, true);
    expect(chip.log).toEqual(["W02 P", "R2 P"]);
  });
});
