// The shell's own verbs quote what was typed as the scenario errors do: UTF-8 read back from the typed bytes, controls escaped, long words cut.
import { describe, expect, it } from "vitest";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { Session } from "../../../host-sim/cli/session";

/** A line as the keyboard hands it over: its UTF-8 bytes, one latin1 character each. */
function typed(s: string): string {
  return Buffer.from(s, "utf8").toString("latin1");
}

describe("shell verb errors quote the input safely", () => {
  const s = new Session(bootShellBoard({ seed: 1 }), 2000);

  it("a bidi override or a C1 control is shown escaped, not as mojibake the terminal obeys", () => {
    // It printed `â\u0080® timer`: the bytes of U+202E as latin1, a raw C1 control among them.
    expect(s.verb(typed("wake \u202e timer"))).toEqual({ text: "usage: wake button|uart|timer (not `\\u202e timer`)", error: true });
    expect(s.verb(typed("fault bme280 S2 f\u00e4il"))).toEqual({ text: expect.stringMatching(/^mode `f\u00e4il` is unknown; usage: fault DEVICE STAGE MODE/), error: true });
  });

  it("a 3,000-character word is cut, not echoed whole", () => {
    const r = s.verb(typed("fault " + "x".repeat(3000) + " S2 fail"));
    expect(r.error).toBe(true);
    expect(r.text).toBe("no device `" + "x".repeat(37) + "...` on " + s.board.name + "; devices are " + s.deviceNames().join(", "));
  });
});
