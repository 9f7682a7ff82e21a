// A hook's answer is checked: anything that is not an integer status of the table is a protocol error, named in stats.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import { makeTree, TREE_NAMES } from "./tree";
import {
  OK, PENDING, PROTOCOL, IO, T_STANDBY, TEST_NONE, D_ACTIVE, P_IDLE, S_SUSPEND, STATUS_COUNT, STAGE_NAMES,
} from "../../runtime";
import { E_LATE } from "../../runtime/trace";
import { BAD_UNDEFINED, BAD_BOOLEAN, BAD_FRACTION, BAD_RANGE, BAD_OTHER, BAD_PENDING } from "../../runtime/recorder";

const BAD: [string, unknown, number][] = [
  ["undefined (a forgotten return)", undefined, BAD_UNDEFINED], ["true", true, BAD_BOOLEAN], ["1.5", 1.5, BAD_FRACTION],
  ["NaN", NaN, BAD_FRACTION], ["70000", 70000, BAD_RANGE], ["-1", -1, BAD_RANGE], ["STATUS_COUNT", STATUS_COUNT, BAD_RANGE],
  ["a string", "OK", BAD_OTHER], ["a Promise (an async hook)", Promise.resolve(0), BAD_OTHER],
];

describe("a hook that answers something that is not a status", () => {
  for (const [label, value, kind] of BAD) {
    test("suspend answering " + label + " is PROTOCOL, rolled back, named in stats; the next attempt works", () => {
      const env = makeTree();
      env.devices.led.behaviour.suspend = { kind: "call", fn: () => value as number };
      env.pm.suspend(T_STANDBY, TEST_NONE);
      expect(env.outcomes).toEqual([PROTOCOL]);
      const st = env.pm.stats;
      expect([st.protocolErrors, env.pm.graph.names[st.badAnswerDevice], STAGE_NAMES[st.badAnswerStage], st.badAnswerKind])
        .toEqual([1, "led", "suspend", kind]);
      if (typeof value === "number" && value === value) expect(st.badAnswerNumber).toBe(value);
      expect(st.failStatus[st.failureSlot(0)]).toBe(PROTOCOL);
      expect(env.states()).toEqual(TREE_NAMES.map((n) => n + "=" + D_ACTIVE));
      env.devices.led.behaviour.suspend = { kind: "ok" };
      env.pm.suspend(T_STANDBY, TEST_NONE);
      expect(env.outcomes).toEqual([PROTOCOL, OK]);
      expect(env.pm.phase).toBe(P_IDLE);
    });
  }

  test("a resume answering undefined marks the device failed like any resume error; the rest resume", () => {
    const env = makeTree();
    env.devices.display.behaviour.resume = { kind: "call", fn: () => undefined as unknown as number };
    env.devices.display.behaviour.reprobe = { kind: "fail", status: 4 };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(env.outcomes).toEqual([PROTOCOL]);
    expect([STAGE_NAMES[env.pm.stats.badAnswerStage], env.pm.stats.badAnswerKind]).toEqual(["resume", BAD_UNDEFINED]);
    expect(env.states().filter((s) => !s.endsWith("=" + D_ACTIVE))).toEqual(["display=4"]);
  });

  test("a completion with a bad status (or PENDING) is PROTOCOL; a completion with a token that is not a number is ignored as late", () => {
    const env = new Env();
    const dev = env.add({ name: "sensor" });
    env.pm.seal();
    let token = -1;
    dev.behaviour.suspend = { kind: "call", fn: (t) => { token = t; return PENDING; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.pm.complete(undefined as unknown as number, OK);
    expect(env.pm.stats.lateCompletions).toBe(1);
    env.pm.complete(token, PENDING);
    expect(env.outcomes).toEqual([PROTOCOL]);
    expect([STAGE_NAMES[env.pm.stats.badAnswerStage], env.pm.stats.badAnswerKind, env.pm.stats.badAnswerNumber]).toEqual([STAGE_NAMES[S_SUSPEND], BAD_RANGE, PENDING]);
  });

  test("a late completion is recorded with its status when it is one, else as PROTOCOL (never as a status it was not: 1028 is no IO)", () => {
    const env = new Env();
    const dev = env.add({ name: "sensor" });
    env.pm.seal();
    let token = -1;
    dev.behaviour.suspend = { kind: "call", fn: (t) => { token = t; return OK; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(env.outcomes).toEqual([OK]);
    for (const status of [IO, 1028, 70000, 516, -1, 1.5, PENDING]) env.pm.complete(token, status);
    const tr = env.pm.trace;
    const late: number[] = [];
    for (let i = 0; i < tr.length; i++) if (tr.eventAt(tr.slot(i)) === E_LATE) late.push(tr.statusAt(tr.slot(i)));
    expect(late).toEqual([IO, PROTOCOL, PROTOCOL, PROTOCOL, PROTOCOL, PROTOCOL, PENDING]);
    expect(env.pm.stats.lateCompletions).toBe(7);
  });
});

describe("answers made inside the hook's own call, and from masked stages", () => {
  test("completing inside the hook with a bad status, or completing and then answering, is PROTOCOL", () => {
    for (const [early, answer] of [[undefined, PENDING], [OK, OK], [4, OK]] as [unknown, number][]) {
      const env = new Env();
      const dev = env.add({ name: "sensor" });
      env.pm.seal();
      dev.behaviour.suspend = { kind: "call", fn: (t) => { env.pm.complete(t, early as number); return answer; } };
      env.pm.suspend(T_STANDBY, TEST_NONE);
      expect(env.outcomes).toEqual([PROTOCOL]);
    }
  });

  test("PENDING from a masked stage (S3) is PROTOCOL and counted with its own kind", () => {
    const env = makeTree();
    env.devices.led.behaviour.powerOffNoIrq = { kind: "hang" };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(env.outcomes).toEqual([PROTOCOL]);
    expect([env.pm.stats.protocolErrors, env.pm.stats.badAnswerKind]).toEqual([1, BAD_PENDING]);
  });
});

describe("what a driver cannot do through its port", () => {
  test("complete another device's token: ignored as late, that device's stage still waits for its own answer", () => {
    const env = new Env();
    const a = env.add({ name: "a" });
    env.add({ name: "b" });
    env.pm.seal();
    let token = -1;
    a.behaviour.suspend = { kind: "call", fn: (t) => { token = t; return PENDING; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.pm.port(1).complete(token, OK);
    expect(env.outcomes).toEqual([]);
    expect(env.pm.stats.lateCompletions).toBe(1);
    env.pm.port(0).complete(token, OK);
    expect(env.outcomes).toEqual([OK]);
  });

  test("a give-up listener that throws is counted; the runtime still rolls back and ends idle", () => {
    const env = makeTree();
    env.pm.port(env.devices.led.id).onGiveUp(() => { throw new Error("driver bug"); });
    env.devices.led.behaviour.suspend = { kind: "hang" };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(20_000);
    expect(env.outcomes).toEqual([5 /* TIMEOUT */]);
    expect([env.pm.stats.listenerFaults, env.pm.phase]).toEqual([1, P_IDLE]);
  });
});
