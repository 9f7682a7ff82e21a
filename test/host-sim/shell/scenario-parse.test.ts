// Scenario parser: the accepted YAML subset becomes typed steps; every error class names file:line and a fix.
import { describe, expect, it } from "vitest";
import { ScenarioError, parseDuration, parseScenario } from "../../../host-sim/cli/scenario";

const VALID = `# every step kind once
name: "All steps"
version: 1
timeout: 3s
steps:
  - write-serial: "suspend standby"
  - wait-serial: "suspend ok"
    timeout: 2s
  - wait-serial: { text: 'it''s here', timeout: 10ms }
  - wait-serial: prompt   # default timeout from the file
  - press-button
  - release-button
  - set-control: { part-id: button, control: pressed, value: 1 }
  - set-control:
      part-id: btn1
      control: pressed
      value: 0
  - delay: 500ms
  - expect-state: { device: bme280, state: active }
  - expect-wake: uart
  - wake: timer
  - fault: { device: bme280, stage: powerOffNoIrq, mode: hang }
  - write-serial: "bin\\x00\\xff\\t"
`;

function error(source: string): { where: string; reason: string } {
  try {
    parseScenario("bad.yaml", source);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return { where: e.file + ":" + e.line, reason: e.reason };
  }
  throw new Error("expected a ScenarioError");
}

describe("scenario parser", () => {
  it("parses every step kind with its line", () => {
    const s = parseScenario("all.yaml", VALID);
    expect(s.name).toBe("All steps");
    expect(s.timeoutUs).toBe(3_000_000);
    expect(s.steps).toEqual([
      { kind: "write-serial", text: "suspend standby", line: 6 },
      { kind: "wait-serial", text: "suspend ok", timeoutUs: 2_000_000, line: 7 },
      { kind: "wait-serial", text: "it's here", timeoutUs: 10_000, line: 9 },
      { kind: "wait-serial", text: "prompt", timeoutUs: 3_000_000, line: 10 },
      { kind: "press-button", line: 11 },
      { kind: "release-button", line: 12 },
      { kind: "press-button", line: 13 },
      { kind: "release-button", line: 14 },
      { kind: "delay", us: 500_000, line: 18 },
      { kind: "expect-state", device: "bme280", state: "active", line: 19 },
      { kind: "expect-wake", source: "uart", line: 20 },
      { kind: "wake", source: "timer", line: 21 },
      { kind: "fault", device: "bme280", stage: "powerOffNoIrq", mode: "hang", line: 22 },
      { kind: "write-serial", text: "bin\x00\xff\t", line: 23 },
    ]);
  });

  it("reads durations in us, ms and s and refuses bare numbers", () => {
    expect([parseDuration("250us"), parseDuration("500ms"), parseDuration("2s"), parseDuration("1.5 s"), parseDuration("5")])
      .toEqual([250, 500_000, 2_000_000, 1_500_000, null]);
  });

  it.each([
    ["empty file", "# nothing\n", "bad.yaml:1", "the file is empty"],
    ["tab indentation", "name: a\nsteps:\n\t- press-button\n", "bad.yaml:3", "tab in indentation; indent with spaces"],
    ["bad indentation", "name: a\nsteps:\n  - wait-serial: x\n     timeout: 1s\n", "bad.yaml:4", "unexpected indentation (5 spaces, expected 4)"],
    ["not key: value", "name: a\nsteps\n", "bad.yaml:2", "expected `key: value`"],
    ["duplicate key", "name: a\nname: b\nsteps: [press-button]\n", "bad.yaml:2", "duplicate key `name` (first on line 1)"],
    ["unknown top-level key", "name: a\nstep:\n  - press-button\n", "bad.yaml:2", "unknown key `step`"],
    ["missing name", "steps:\n  - press-button\n", "bad.yaml:1", "missing `name:`"],
    ["missing steps", "name: a\n", "bad.yaml:1", "missing `steps:`"],
    ["empty steps", "name: a\nsteps:\n", "bad.yaml:2", "`steps:` must be a non-empty list"],
    ["unknown step", "name: a\nsteps:\n  - press-buton\n", "bad.yaml:3", "unknown step `press-buton`"],
    ["bad duration", "name: a\nsteps:\n  - delay: 5\n", "bad.yaml:3", "delay `5` is not a duration"],
    ["unterminated string", "name: a\nsteps:\n  - write-serial: \"abc\n", "bad.yaml:3", "unterminated string"],
    ["unclosed flow map", "name: a\nsteps:\n  - expect-state: { device: led\n", "bad.yaml:3", "`{` is not closed on this line"],
    ["unknown escape", "name: a\nsteps:\n  - write-serial: \"a\\q\"\n", "bad.yaml:3", "unknown escape `\\q`"],
    ["bad enum", "name: a\nsteps:\n  - fault: { device: x, stage: sleep, mode: fail }\n", "bad.yaml:3", "stage `sleep` is unknown; use one of prepare"],
    ["bad wake source", "name: a\nsteps:\n  - wake: gpio\n", "bad.yaml:3", "wake source `gpio` is unknown"],
    ["missing field", "name: a\nsteps:\n  - expect-state: { device: led }\n", "bad.yaml:3", "`expect-state` is missing `state:`"],
    ["unknown field", "name: a\nsteps:\n  - expect-state: { device: led, state: off, colour: red }\n", "bad.yaml:3", "`expect-state` has no field `colour`"],
    ["option on the wrong step", "name: a\nsteps:\n  - delay: 1s\n    timeout: 2s\n", "bad.yaml:4", "`timeout` does not belong to `delay`"],
    ["argument where none is taken", "name: a\nsteps:\n  - press-button: now\n", "bad.yaml:3", "`press-button` takes no argument"],
    ["anchors", "name: a\nsteps:\n  - write-serial: &x hi\n", "bad.yaml:3", "is not supported"],
    ["trailing text", "name: a\nsteps:\n  - write-serial: \"a\" b\n", "bad.yaml:3", "unexpected `b` after the value"],
    ["bad version", "name: a\nversion: 2\nsteps: [press-button]\n", "bad.yaml:2", "version 2 is not supported"],
    ["bad set-control value", "name: a\nsteps:\n  - set-control: { control: pressed, value: 2 }\n", "bad.yaml:3", "must be 1 (press) or 0 (release)"],
  ])("%s: names file:line and the fix", (_what, source, where, reason) => {
    const e = error(source);
    expect(e.where).toBe(where);
    expect(e.reason).toContain(reason);
  });

  it("puts file:line first in the message", () => {
    expect(() => parseScenario("x/y.yaml", "name: a\nsteps:\n  - nope\n")).toThrow(/^x\/y\.yaml:3: unknown step `nope`; steps are write-serial, /);
  });
});
