// Provider: a builtin-shaped device from DevKitC pin data; real classes; defaults spread into constructors.
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../host-sim/core/clock";
import { SimBoardIo } from "../../../host-sim/core/board-io";
import { createProvider } from "../../../host-sim/core/provider";
import { DEVKITC, FakeRegisterChip, FakeSpiChip, RecordingPeer, rig, thrown } from "./fixtures";

describe("createProvider", () => {
  it("builds device.io / pin / I2C / SPI / Serial like a Moddable host/provider.js", () => {
    const { device } = rig();
    expect(Object.keys(device.io).sort()).toEqual(["Digital", "DigitalBank", "I2C", "PWM", "SMBus", "SPI", "Serial"]);
    expect(device.pin).toEqual({ button: 0, led: 2 });
    expect({ ...device.I2C.default, io: undefined }).toEqual({ data: 21, clock: 22, hz: 400_000, io: undefined });
    expect(device.I2C.default.io).toBe(device.io.I2C);
    expect(device.SPI.default).toMatchObject({ clock: 18, in: 19, out: 23, select: 5, port: 2, io: device.io.SPI });
    expect(device.Serial.default).toMatchObject({ transmit: 1, receive: 3, port: 0, baud: 115200, io: device.io.Serial });
    expect(device.Serial.telemetry).toMatchObject({ transmit: 17, receive: 16, port: 2 });
    expect(Object.isFrozen(device.I2C.default)).toBe(true);
    for (const C of Object.values(device.io)) expect(typeof C).toBe("function");
  });

  it("classes are real classes bound to their own board", () => {
    const a = rig();
    const b = rig();
    const chip = new FakeRegisterChip(0x76);
    a.board.attachI2c(21, 22, chip);
    const i2c = new a.device.io.I2C({ ...a.device.I2C.default, address: 0x76 });
    expect(i2c).toBeInstanceOf(a.device.io.I2C);
    const smbus = new a.device.io.SMBus({ ...a.device.I2C.default, address: 0x77 });
    expect(smbus).toBeInstanceOf(a.device.io.I2C);
    expect(() => (a.device.io.I2C as unknown as () => void)()).toThrow(TypeError); // not callable without new
    // Board b's pins are untouched by board a's instances.
    expect(a.board.pinOwner(21)).toBe("I2C");
    expect(b.board.pinOwner(21)).toBe("nothing");
    new b.device.io.I2C({ ...b.device.I2C.default, address: 0x76 }).close();
    smbus.close();
    i2c.close();
  });

  it("runs a whole board: button edge, LED, sensor over SMBus, flash over SPI, console over UART0", () => {
    const { device, board, clock } = rig();
    const sensor = new FakeRegisterChip(0x76);
    sensor.regs[0xd0] = 0x60;
    board.attachI2c(21, 22, sensor);
    const flash = new FakeSpiChip();
    board.attachSpi(5, flash);
    const terminal = new RecordingPeer(clock);
    board.attachUart(0, terminal);
    const { Digital, SMBus, SPI, Serial } = device.io;
    const trace: string[] = [];
    const led = new Digital({ pin: device.pin.led, mode: Digital.Output });
    const bme = new SMBus({ ...device.I2C.default, address: 0x76 });
    const spi = new SPI(device.SPI.default);
    const console0 = new Serial(device.Serial.default);
    const hello = new Uint8Array([0x6f, 0x6b, 0x0a]);
    new Digital({
      pin: device.pin.button,
      mode: Digital.InputPullUp,
      edge: Digital.Falling,
      onReadable() {
        led.write(1);
        trace.push("id " + bme.readUint8(0xd0).toString(16));
        spi.write(new Uint8Array([0xb9]));
        spi.flush(true);
        console0.write(hello);
        trace.push("button @" + clock.now());
      },
    });
    clock.advance(1000);
    board.driveInput(0, 0);
    clock.advance(1000);
    expect(trace).toEqual(["id 60", "button @1000"]);
    expect(board.level(2)).toBe(1);
    expect(flash.log).toEqual(["select", "xfer1 b9 (write)", "deselect"]);
    expect(terminal.bytes).toEqual([0x6f, 0x6b, 0x0a]);
    // 86.806 us per 8N1 byte at 115200, on a whole-us clock with the nanoseconds carried: no drift.
    expect(terminal.times).toEqual([1086, 1173, 1260]);
  });

  it("rejects a pin map entry that is not a GPIO, naming it", () => {
    const board = new SimBoardIo(new VirtualClock(8));
    expect(thrown(() => createProvider(board, { ...DEVKITC, pins: { led: 24 } }))).toEqual({
      type: "RangeError",
      message: "provider: pin.led = 24 is not a GPIO of esp32; fix the board's pin map",
    });
  });
});
