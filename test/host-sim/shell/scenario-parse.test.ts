// Scenario parser (the `yaml` package underneath): typed steps with their lines; every error class names file:line:col, the fix and the text.
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

function error(source: string): { where: string; reason: string; quote: string } {
  try {
    parseScenario("bad.yaml", source);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return { where: e.file + ":" + e.line + ":" + e.col, reason: e.reason, quote: e.quote };
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
    ["empty file", "# nothing\n", "bad.yaml:1:1", "the file is empty", "# nothing"],
    ["tab indentation", "name: a\nsteps:\n\t- press-button\n", "bad.yaml:3:1", "tab in indentation; indent with spaces", "\\t- press-button"],
    ["compact map in a value", "name: a\nsteps:\n  - wait-serial: x\n     timeout: 1s\n", "bad.yaml:3:18", "check the indentation, or quote the value", "- wait-serial: x"],
    ["not key: value", "name: a\nsteps\n", "bad.yaml:2:1", "expected `key: value`; add the `:`", "steps"],
    ["duplicate key", "name: a\nname: b\nsteps: [press-button]\n", "bad.yaml:2:1", "duplicate key `name` (first on line 1)", "name: b"],
    ["unknown top-level key", "name: a\nstep:\n  - press-button\n", "bad.yaml:2:1", "unknown key `step`; a scenario has name,", "step:"],
    ["missing name", "steps:\n  - press-button\n", "bad.yaml:1:1", "missing `name:`", "steps:"],
    ["missing steps", "name: a\n", "bad.yaml:1:1", "missing `steps:`", "name: a"],
    ["empty steps", "name: a\nsteps:\n", "bad.yaml:2:7", "`steps:` must be a non-empty list", "steps:"],
    ["a list at the top", "- press-button\n", "bad.yaml:1:1", "not a list; put the steps under `steps:`", "- press-button"],
    ["unknown step", "name: a\nsteps:\n  - press-buton\n", "bad.yaml:3:5", "unknown step `press-buton`; steps are write-serial, wait-serial, delay,", "- press-buton"],
    ["a step without its colon", "name: a\nsteps:\n  - write-serial \"status\"\n", "bad.yaml:3:5", "step `write-serial` is missing the colon after its name: write `- write-serial: \"status\"`", "- write-serial \"status\""],
    ["a step without its colon, bare argument", "name: a\nsteps:\n  - delay 500ms\n", "bad.yaml:3:5", "step `delay` is missing the colon after its name: write `- delay: 500ms`", "- delay 500ms"],
    ["bad duration", "name: a\nsteps:\n  - delay: 5\n", "bad.yaml:3:12", "delay `5` is not a duration", "- delay: 5"],
    ["duration over a day", "name: a\nsteps:\n  - delay: 100000000000000000000000000000s\n", "bad.yaml:3:12", "is longer than a day; at most 86400s", "- delay: 100000000000000000000000000000s"],
    ["timeout over a day", "name: a\ntimeout: 86401s\nsteps: [press-button]\n", "bad.yaml:2:10", "timeout `86401s` is longer than a day", "timeout: 86401s"],
    ["unterminated string", "name: a\nsteps:\n  - write-serial: \"abc\n", "bad.yaml:3:23", "closing quote is missing", "- write-serial: \"abc"],
    ["unclosed flow map", "name: a\nsteps:\n  - expect-state: { device: led\n", "bad.yaml:3:32", "a `{` is not closed; close it with `}`", "- expect-state: { device: led"],
    ["unknown escape", "name: a\nsteps:\n  - write-serial: \"a\\q\"\n", "bad.yaml:3:21", "unknown escape `\\q`", "- write-serial: \"a\\q\""],
    ["bad enum", "name: a\nsteps:\n  - fault: { device: x, stage: sleep, mode: fail }\n", "bad.yaml:3:32", "stage `sleep` is unknown; use one of prepare", "- fault: { device: x, stage: sleep, mode: fail }"],
    ["bad wake source", "name: a\nsteps:\n  - wake: gpio\n", "bad.yaml:3:11", "wake source `gpio` is unknown", "- wake: gpio"],
    ["missing field", "name: a\nsteps:\n  - expect-state: { device: led }\n", "bad.yaml:3:19", "`expect-state` is missing `state:`", "- expect-state: { device: led }"],
    ["unknown field", "name: a\nsteps:\n  - expect-state: { device: led, state: off, colour: red }\n", "bad.yaml:3:46", "`expect-state` has no field `colour`", "- expect-state: { device: led, state: off, colour: red }"],
    ["option on the wrong step", "name: a\nsteps:\n  - delay: 1s\n    timeout: 2s\n", "bad.yaml:4:5", "`timeout` does not belong to `delay`", "timeout: 2s"],
    ["argument where none is taken", "name: a\nsteps:\n  - press-button: now\n", "bad.yaml:3:19", "`press-button` takes no argument", "- press-button: now"],
    ["alias without an anchor", "name: a\nsteps: [*nope]\n", "bad.yaml:2:9", "alias `*nope` has no anchor before it", "steps: [*nope]"],
    ["trailing text", "name: a\nsteps:\n  - write-serial: \"a\" b\n", "bad.yaml:3:23", "quote the whole value", "- write-serial: \"a\" b"],
    ["two documents", "name: a\n---\nsteps: [press-button]\n", "bad.yaml:2:1", "more than one document", "---"],
    ["bad version", "name: a\nversion: 2\nsteps: [press-button]\n", "bad.yaml:2:10", "version `2` is not supported", "version: 2"],
    ["bad set-control value", "name: a\nsteps:\n  - set-control: { control: pressed, value: 2 }\n", "bad.yaml:3:45", "must be 1 (press) or 0 (release)", "- set-control: { control: pressed, value: 2 }"],
    ["a pin that is not an integer", "name: a\nsteps:\n  - expect-pin: { pin: 2.5, value: 1 }\n", "bad.yaml:3:24", "pin `2.5` is not a GPIO number", "- expect-pin: { pin: 2.5, value: 1 }"],
    ["a raw control byte", "name: a\x1b[2J\nsteps: [press-button]\n", "bad.yaml:1:8", "control character \\x1b in the file", "name: a\\x1b[2J"],
  ])("%s: names file:line:col, the fix and the text", (_what, source, where, reason, quote) => {
    const e = error(source);
    expect(e.where).toBe(where);
    expect(e.reason).toContain(reason);
    expect(e.quote).toBe(quote);
  });

  it("reads YAML the subset did not: anchors and aliases, multi-line flow maps, comments, CRLF, a BOM", () => {
    const s = parseScenario("more.yaml", "\ufeffname: more\r\nsteps:\r\n  - &ws { write-serial: status }\r\n  - expect-state: {\r\n      device: led,\r\n      state: active }\r\n  - *ws\r\n");
    expect(s.steps).toEqual([
      { kind: "write-serial", text: "status", line: 3 },
      { kind: "expect-state", device: "led", state: "active", line: 4 },
      { kind: "write-serial", text: "status", line: 3 },
    ]);
  });

  it("puts file:line:col first, the quote last, all on one line", () => {
    expect(() => parseScenario("x/y.yaml", "name: a\nsteps:\n  - nope\n")).toThrow(/^x\/y\.yaml:3:5: unknown step `nope`; steps are write-serial, .*, expect-pin: "- nope"$/);
  });
});
