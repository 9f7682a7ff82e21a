// Console input while gated (S2) or waiting for TX room: the UART FIFO is emptied on every onReadable, so nothing spins.
import { describe, expect, it } from "vitest";
import { Rig, K_HANG, UART_LINE } from "../console/sim";
import { OK, T_STANDBY, TEST_PLATFORM, TIMEOUT } from "../../runtime/status";

/** 10 bytes, answered with a bare prompt (the rig's console does not echo). */
const BLANK_LINE = " ".repeat(9) + "\r";
const DISCARDED = (n: number): string =>
  "input discarded: " + n + " bytes arrived while the console was busy and its input buffer was full; type the line again";

/*
 * Before the fix the console did not read while gated or holding a line, the FIFO stayed at >= 96
 * bytes, Moddable's serial.c re-enabled RXFIFO_FULL after each onReadable and the level-triggered
 * interrupt posted again at once: the VirtualClock stopped at "livelock: more than 1000000 timers
 * fired at t=13226 us" in the first case below.
 */
describe("console RX while busy", () => {
  it("400 bytes typed while gated in S2: 17 UART deliveries, 256 kept and answered, 144 discarded and reported", () => {
    const rig = new Rig();
    rig.devices.bme280.script(1, K_HANG, 0, 0); // S2 never finishes: the stage ends at its 50 ms budget
    const irq = rig.pm.irq;
    const before = irq.deliveredCount[UART_LINE];
    expect(rig.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
    rig.clock.runUntil(rig.clock.now() + 100); // S1 and the console's S2 ran: it is gated now
    rig.terminal.type(BLANK_LINE.repeat(40)); // 400 bytes in 34.7 ms at 115200 baud, all before the rollback
    rig.settle();
    const deliveries = irq.deliveredCount[UART_LINE] - before;
    const out = rig.take().split("\r\n");
    // The hung S2's TIMEOUT came first; the typed input was also a wake (it aborts a suspend in S1/S2).
    expect(rig.outcomes).toEqual([TIMEOUT]);
    expect(out).toContain("[     13226 us] wake source: line 43 (console)");
    expect(rig.uart.rx.highWater).toBe(256);
    expect(rig.uart.rx.discarded).toBe(144);
    // The onSuspendDone prompt and 25 whole blank lines (250 of the 256 bytes kept), then the cut line is reported.
    const tail = out.slice(out.indexOf("suspend failed: bme280 suspend TIMEOUT") + 1);
    expect(tail).toEqual(["> ".repeat(26), DISCARDED(144), "> "]);
    // FULL at 96 bytes, RXFIFO_TOUT after the last bytes, TX-room events: a few each, never a stream.
    expect(deliveries).toBe(17);
    expect(rig.send("status\r").split("\r\n")[0]).toMatch(/^phase idle, 7 devices/);
  });

  it("input typed while a long report waits for TX room is kept, in order, and answered after it", () => {
    const rig = new Rig({ txRingBytes: 1024 });
    rig.send("suspend test=platform\r"); // fills the trace ring
    const irq = rig.pm.irq;
    const before = irq.deliveredCount[UART_LINE];
    // `trace dump` writes far more than 1 KB: the console waits for TX room line by line. 18 "status"
    // lines (126 bytes) arrive at once meanwhile: >= 96 in the FIFO while it waits.
    rig.terminal.type("trace dump\r");
    rig.clock.runUntil(rig.clock.now() + 3_000);
    expect([rig.console.reports.active, rig.console.ring.free < 256]).toEqual([true, true]);
    for (let i = 0; i < 126; i++) rig.board.uart(0).inject("status\r".charCodeAt(i % 7));
    rig.settle();
    const out = rig.take().split("\r\n");
    expect(rig.uart.rx.discarded).toBe(0);
    expect(rig.uart.rx.highWater).toBe(126);
    expect(rig.board.uart(0).rxOverflows).toBe(0);
    const ends = out.filter((l) => l.startsWith("trace dump end: "));
    expect(out[out.length - 1]).toBe("> ");
    expect(ends.length).toBe(1);
    const phases = out.filter((l) => l === "> phase idle, 7 devices, last outcome OK");
    expect(phases.length).toBe(18);
    expect(out.indexOf(phases[0])).toBeGreaterThan(out.indexOf(ends[0]));
    // One FULL delivery for the 140 bytes plus the TX-room (onWritable) deliveries of ~30 KB of output.
    const deliveries = irq.deliveredCount[UART_LINE] - before;
    const txEvents = Math.ceil(rig.console.ring.sent / 118);
    expect(deliveries).toBeLessThan(txEvents + 10);
  });
});
