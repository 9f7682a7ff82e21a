// UART terminal: line accessor over the receive ring, typing immediately or paced at the baud rate, faults.
import { describe, expect, it } from "vitest";
import { UartTerminal } from "../../../host-sim/models/uart-terminal";
import { FakeClock } from "./fake-clock";

function send(term: UartTerminal, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  for (const b of bytes) term.uartReceive(b);
}

describe("uart-terminal", () => {
  it("splits what the device sent into lines, dropping CR, keeping partial lines for later", () => {
    const term = new UartTerminal({ deliver: () => {} });
    send(term, "hello\r\nwörld\npart");
    expect(term.takeLine()).toBe("hello");
    expect(term.takeLine()).toBe("wörld");
    expect(term.takeLine()).toBeNull();
    send(term, "ial\n");
    expect(term.takeLine()).toBe("partial");
    expect(term.received()).toBe(22); // 7 + 7 (ö is 2 bytes) + 4 + 4
  });

  it("wraps the ring and counts bytes lost when full", () => {
    const term = new UartTerminal({ deliver: () => {}, rxCapacity: 8 });
    send(term, "abcdef\n");
    expect(term.takeLine()).toBe("abcdef");
    send(term, "0123456789\n");
    expect(term.dropped()).toBe(3);
    expect(term.takeAll()).toBe("01234567");
  });

  it("types immediately without a clock, one 10-bit frame apart with one (115200 baud: 86.8 us)", () => {
    const got: number[] = [];
    const direct = new UartTerminal({ deliver: (b) => got.push(b) });
    direct.type("é!");
    expect(got).toEqual([0xc3, 0xa9, 0x21]);

    const clock = new FakeClock();
    const times: number[] = [];
    const paced = new UartTerminal({ clock, baud: 115200, deliver: () => times.push(clock.now()) });
    paced.type(Uint8Array.of(1, 2, 3));
    expect(paced.pending()).toBe(3);
    clock.advance(1000);
    expect(times.map((t) => Math.round(t * 10) / 10)).toEqual([86.8, 173.6, 260.4]);
  });

  it("stall holds typed bytes until cleared; nak drops the device's output", () => {
    const clock = new FakeClock();
    const got: number[] = [];
    const term = new UartTerminal({ clock, baud: 9600, deliver: (b) => got.push(b) });
    term.setFault("stall");
    term.type("ab");
    clock.advance(10_000);
    expect(got).toEqual([]);
    term.setFault("none");
    clock.advance(10_000);
    expect(got).toEqual([0x61, 0x62]);
    term.setFault("nak");
    send(term, "lost\n");
    expect(term.takeLine()).toBeNull();
    expect(term.dropped()).toBe(5);
    term.reset();
    expect(term.dropped()).toBe(0);
  });
});
