// Console lines typed on UART0's terminal during a random DevKitC run, and what the console must have answered.
import type { SimBoard } from "../../host-sim/board/sim-board";
import type { BootedBoard } from "../../boards/boot";
import type { ConsoleApp } from "../../console/console-app";

/** Line kinds; `recover` takes a device name from RECOVER_NAMES, a tag line is an unknown command with a unique word. */
export const LINE_KINDS = [
  "suspend", "suspend hibernate", "suspend test=devices", "suspend test=platform", "recover", "status", "stats", "trace dump",
  "devices", "trace 5", "help", "tag", "suspend deep", "recover", "recover nosuch", "trace 0",
] as const;
export const TAG_KIND = LINE_KINDS.indexOf("tag");
export const RECOVER_NAMES = ["i2c0", "vspi", "bme280", "flash", "led", "button", "telemetry", "console"] as const;
/** One 10-bit frame at 115200 baud. */
const BYTE_US = 1e6 / 11520;

/** A typed tag line: the window its bytes were on the wire, and whether a stray wake byte joined it. */
export interface TagLine { tag: string; from: number; to: number; boot: number; tainted: boolean }

export class ConsoleTyping {
  readonly sim: SimBoard;
  readonly tags: TagLine[] = [];
  readonly typed: string[] = [];
  /** Everything the console transmitted, in order (drained from the terminal at every line). */
  private readonly out: string[] = [];
  private busyUntil = 0;
  private taintNext = false;
  private nextTag = 1;

  constructor(sim: SimBoard) {
    this.sim = sim;
  }

  /** Types line `kind` (arg picks the device of a `recover`) at the terminal's pace, behind what it still types. */
  type(kind: number, arg: number): void {
    const name = LINE_KINDS[kind % LINE_KINDS.length];
    let text: string = name;
    if (name === "recover") text = "recover " + RECOVER_NAMES[arg % RECOVER_NAMES.length];
    const now = this.sim.now();
    const from = Math.max(now, this.busyUntil);
    if (name === "tag") {
      text = "zq" + this.nextTag++;
      this.tags.push({ tag: text, from, to: from + (text.length + 1) * BYTE_US, boot: this.sim.boots, tainted: this.taintNext });
    }
    this.taintNext = false;
    this.busyUntil = from + (text.length + 1) * BYTE_US;
    this.typed.push(text);
    this.drain();
    this.sim.terminal().type(text + "\r");
  }

  /** A stray byte went into UART0 now (a wake): it joins the line being typed, or the next one. */
  strayByte(): void {
    const now = this.sim.now();
    const last = this.tags.length > 0 ? this.tags[this.tags.length - 1] : null;
    if (last !== null && last.to > now) last.tainted = true;
    else if (this.busyUntil <= now) this.taintNext = true;
  }

  drain(): void {
    const t = this.sim.terminal().takeAll();
    if (t.length > 0) this.out.push(t);
  }

  output(): string {
    this.drain();
    return this.out.join("");
  }

  /** Exceptions the console of `booted` caught at its boundary (its application's and its driver's). */
  faultsOf(booted: BootedBoard | null): number {
    const con = booted === null ? null : (booted.console as unknown as ConsoleApp | null);
    return con === null ? 0 : con.faults;
  }

  /**
   * Answers per tag: "unknown command 'TAG'" (or "discarded 'TAG'" when its first byte woke the chip) at most once (a stray letter typed before it may prefix it);
   * exactly once when the line was typed while nothing could break it (`quiet(from, to)`), on the boot it was typed on.
   */
  checkTags(quiet: (tag: TagLine) => boolean, fail: (why: string) => never): void {
    const text = this.output();
    const counts = new Map<string, number>();
    // A line whose first byte woke the chip from light sleep is discarded, and the console says so
    // (docs/guarantees.md): that is its one answer.
    for (const m of text.matchAll(/(?:unknown command|discarded) '[a-z]*?(zq\d+)'/g)) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
    for (const t of this.tags) {
      const n = counts.get(t.tag) ?? 0;
      if (n > 1) fail("console answered line '" + t.tag + "' " + n + " times");
      if (n === 0 && !t.tainted && quiet(t)) fail("console never answered line '" + t.tag + "' typed at " + Math.round(t.from) + " us on a quiet console");
    }
    if (text.includes("internal error")) fail("console printed an internal error");
  }

  /** After the run: the console still answers `status` and a new line exactly once each, one prompt per line. */
  probe(fail: (why: string) => never): void {
    const sim = this.sim;
    // A stray wake byte may still wait in the line: end it first.
    sim.terminal().type("\r");
    sim.advance(200_000);
    this.drain();
    sim.terminal().type("status\r");
    sim.advance(200_000);
    const a = sim.terminal().takeAll();
    this.out.push(a);
    const prompts = a.split("\r\n> ").length - 1 + (a.startsWith("> ") ? 1 : 0);
    if (!a.includes("phase idle") || prompts !== 1 || !a.endsWith("> ")) fail("status after the run answered " + JSON.stringify(a));
    sim.terminal().type("zqend\r");
    sim.advance(200_000);
    const b = sim.terminal().takeAll();
    this.out.push(b);
    if (b !== "zqend\r\nunknown command 'zqend': type help for the list of commands\r\n> ") fail("a line after the run answered " + JSON.stringify(b));
  }
}
