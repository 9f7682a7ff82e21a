// Serial: serial.c validation, FIFO limits, read(buffer) without allocation, onReadable/onWritable via the queue, baud timing.
import { describe, expect, it } from "vitest";
import type { SimSerial } from "../../../host-sim/core/io-serial";
import { RecordingPeer, rig, thrown } from "./fixtures";

describe("Serial", () => {
  it("validates options like Moddable's serial.c", () => {
    const { device } = rig();
    const { Serial } = device.io;
    expect(thrown(() => new Serial({ baud: 115200 }))).toEqual({ type: "Error", message: expect.stringMatching(/^invalid: Serial needs option 'transmit', 'receive' or both/) });
    expect(thrown(() => new Serial({ transmit: 1, baud: 0 }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^invalid baud/) });
    expect(thrown(() => new Serial({ transmit: 1, baud: 9600, port: 3 }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^invalid port: Serial port 3; use 0..2/) });
    expect(thrown(() => new Serial({ transmit: 1, baud: 9600, format: "string" }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^invalid format/) });
    expect(thrown(() => new Serial({ transmit: 1, baud: 9600, onWritable: 5 as never }))).toEqual({ type: "Error", message: expect.stringMatching(/^not a function/) });
    const s = new Serial(device.Serial.default);
    expect(thrown(() => new Serial({ transmit: 4, baud: 9600, port: 0 }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^port in use: UART0/) });
    expect(thrown(() => new Serial({ transmit: 1, baud: 9600, port: 1 }))).toEqual({ type: "Error", message: "in use: Serial transmit GPIO 1 is held by Serial; close that instance first" });
    s.close();
    s.close();
    expect(thrown(() => s.read())).toEqual({ type: "SyntaxError", message: expect.stringMatching(/Serial is closed/) });
    expect(thrown(() => s.format).type).toBe("SyntaxError");
    new Serial(device.Serial.default).close();
  });

  it("read(buffer) fills the caller's buffer and returns the count; undefined when empty", () => {
    const { device, board } = rig();
    const s = new device.io.Serial(device.Serial.telemetry);
    const into = new Uint8Array(4);
    expect(s.read(into)).toBeUndefined();
    board.uartInjectBytes(2, new Uint8Array([10, 20, 30, 40, 50, 60]), 6);
    const first = s.read(into);
    expect(first).toBe(4);
    expect(Array.from(into)).toEqual([10, 20, 30, 40]);
    const again = s.read(into);
    expect(again).toBe(2);
    expect(Array.from(into)).toEqual([50, 60, 30, 40]); // only the first `count` bytes are written
    board.uartInjectBytes(2, new Uint8Array([1, 2, 3]), 3);
    expect(Array.from(new Uint8Array(s.read(5) as ArrayBuffer))).toEqual([1, 2, 3]); // clamped to what waits
    board.uartInject(2, 7);
    s.format = "number";
    expect(s.read()).toBe(7);
    expect(s.read()).toBeUndefined();
    expect(thrown(() => s.read(new Uint8Array(0)))).toEqual({ type: "none", message: "" }); // empty FIFO answers first
    expect(() => {
      s.format = "string";
    }).toThrow(RangeError);
  });

  it("drains TX at the baud rate to the peer and refuses what the 128-byte FIFO cannot take", () => {
    const { device, board, clock } = rig();
    const peer = new RecordingPeer(clock);
    board.attachUart(0, peer);
    const s = new device.io.Serial({ ...device.Serial.default, baud: 100_000 }); // 100 us per 8N1 byte
    s.write(new Uint8Array([0x41, 0x42, 0x43]));
    expect(board.uart(0).txPending).toBe(3);
    clock.advance(1000);
    expect(peer.bytes).toEqual([0x41, 0x42, 0x43]);
    expect(peer.times).toEqual([100, 200, 300]);
    s.write(new Uint8Array(128));
    expect(thrown(() => s.write(new Uint8Array(1)))).toEqual({ type: "Error", message: expect.stringMatching(/^output full: Serial.write of 1 bytes, 0 free/) });
    s.format = "number";
    expect(thrown(() => s.write(1)).message).toMatch(/^output full/);
    clock.advance(100);
    s.write(0x5a);
    clock.advance(128 * 100);
    expect(peer.bytes.length).toBe(3 + 128 + 1);
    expect(peer.bytes[peer.bytes.length - 1]).toBe(0x5a);
  });

  it("delivers onReadable(count) after the RX timeout and onWritable(free) below the TX threshold", () => {
    const { device, board, clock } = rig();
    const events: string[] = [];
    const into = new Uint8Array(16);
    const s = new device.io.Serial({
      ...device.Serial.telemetry,
      baud: 100_000,
      onReadable(this: SimSerial, count: number) {
        const n = this.read(into) as number;
        events.push("readable " + count + " read " + n + " @" + clock.now());
      },
      onWritable(count: number) {
        events.push("writable " + count + " @" + clock.now());
      },
    });
    clock.advance(0);
    expect(events).toEqual(["writable 128 @0"]); // TX FIFO starts empty
    board.uartInjectBytes(2, new Uint8Array([1, 2, 3]), 3);
    clock.advance(399);
    expect(events.length).toBe(1); // 4 character times (400 us) of silence first
    clock.advance(1);
    expect(events).toEqual(["writable 128 @0", "readable 3 read 3 @400"]);
    s.write(new Uint8Array(20)); // drains one byte per 100 us; fires when fewer than 10 wait
    clock.advance(3000);
    expect(events.slice(2)).toEqual(["writable 119 @1500"]);
    expect(Array.from(into.subarray(0, 3))).toEqual([1, 2, 3]);
  });

  it("raises RXFIFO_FULL at 96 bytes, drops bytes past 128 and counts them", () => {
    const { device, board, clock } = rig();
    const counts: number[] = [];
    const into = new Uint8Array(128);
    new device.io.Serial({
      ...device.Serial.telemetry,
      onReadable(this: SimSerial, n: number) {
        counts.push(n, this.read(into) as number);
      },
    });
    for (let i = 0; i < 96; i++) board.uartInject(2, i);
    expect(board.queue.depth).toBe(1);
    for (let i = 0; i < 40; i++) board.uartInject(2, i);
    clock.advance(0);
    expect(counts).toEqual([128, 128]);
    expect(board.uart(2).rxOverflows).toBe(8);
  });

  it("a UART whose post was lost to a full queue goes quiet, as on the board", () => {
    const { device, board, clock } = rig({ queueLength: 1 });
    const { Digital } = device.io;
    const calls: string[] = [];
    new Digital({ pin: 25, mode: Digital.InputPullDown, edge: Digital.Rising, onReadable: () => calls.push("gpio") });
    new device.io.Serial({ ...device.Serial.telemetry, onReadable: (n: number) => calls.push("rx " + n) });
    board.driveInput(25, 1); // fills the 1-entry queue
    for (let i = 0; i < 96; i++) board.uartInject(2, i); // RXFIFO_FULL now: its post fails
    clock.advance(1000);
    expect(calls).toEqual(["gpio"]);
    board.uartInject(2, 0x56);
    clock.advance(1000);
    expect(calls).toEqual(["gpio"]);
    expect([board.queue.overflows, board.uart(2).counters[4]]).toEqual([1, 1]);
  });
});
