// register refuses a DeviceSpec it would misread (an unknown key, a hook that is no function, a name the console cannot type) naming the fix, and keeps nothing of it.
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { Env } from "./fakes";
import { OK, WAKEUP, ROLE_WAKE, T_STANDBY, TEST_NONE, type DeviceSpec, type PmHooks } from "../../runtime";
import { HOOK_NAMES } from "../../runtime/spec-check";
import { hookStages, STAGES } from "../../runtime/protocol";

const KNOWN = "(known: name, hooks, parent, needs, roles, wakeLine, budgetUs, stageBudgetUs, stateBytes, requestBlocks, autosuspendMs, suspendCostUs, resumeCostUs)";
const RULE = "in printable ASCII without spaces (! to ~, 0x21-0x7e), so the console can address it (recover NAME)";

/** The message `register(spec)` throws on an Env that already holds "i2c0", and what the registry holds after it. */
function refused(spec: Record<string, unknown>): { message: string; env: Env } {
  const env = new Env();
  env.add({ name: "i2c0" });
  let message = "";
  try {
    env.pm.register(spec as unknown as DeviceSpec);
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    message = (e as Error).message;
  }
  return { message, env };
}

/** Nothing of the refused spec stayed: one device, its tables untouched, and the registry still seals and suspends. */
function unchanged(env: Env): void {
  const g = env.pm.graph;
  expect([g.count, g.names, g.hooks.length, Array.from(g.roles.slice(0, 2)), Array.from(g.wakeLine.slice(0, 2))]).toEqual([1, ["i2c0"], 1, [0, 0], [-1, -1]]);
  expect([env.pm.governor.states.suspendSum, env.pm.rpm.delayUs[1]]).toEqual([0, -1]);
  env.add({ name: "bme280", parent: "i2c0" });
  env.pm.seal();
  expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
  expect(env.outcomes).toEqual([OK]);
  expect(env.calls().slice(0, 2)).toEqual(["bme280:prepare", "i2c0:prepare"]);
}

describe("register: DeviceSpec keys", () => {
  test("a misspelt parent is refused naming board, device, key, the nearest known key and every known key (it dropped the ordering edge)", () => {
    const { message, env } = refused({ name: "bme280", hooks: {}, parnet: "i2c0" });
    expect(message).toBe("boards/test-board: device \"bme280\" has an unknown field \"parnet\": did you mean \"parent\"? " + KNOWN + ": fix it in its DeviceSpec");
    unchanged(env);
  });

  test("an unknown key is refused even when undefined or far from every known one; known keys set to undefined are fine (boot passes them so)", () => {
    expect(refused({ name: "dev", hooks: {}, colour: 3 }).message).toBe("boards/test-board: device \"dev\" has an unknown field \"colour\" " + KNOWN + ": fix it in its DeviceSpec");
    expect(refused({ name: "dev", hooks: {}, budgetUS: undefined }).message).toBe(
      "boards/test-board: device \"dev\" has an unknown field \"budgetUS\": did you mean \"budgetUs\"? " + KNOWN + ": fix it in its DeviceSpec");
    const env = new Env();
    const spec: DeviceSpec = { name: "dev", hooks: {}, parent: undefined, needs: undefined, roles: undefined, wakeLine: undefined, budgetUs: undefined,
      stageBudgetUs: undefined, stateBytes: undefined, requestBlocks: undefined, autosuspendMs: undefined, suspendCostUs: undefined, resumeCostUs: undefined };
    expect(env.pm.register(spec)).toBe(0);
  });

  test("parent must be a name and needs an array of names (a needs of 5 was ignored)", () => {
    const a = refused({ name: "dev", hooks: {}, parent: 5 });
    expect(a.message).toBe("boards/test-board: device \"dev\" parent is 5: must be a device's name (a string) in its DeviceSpec");
    unchanged(a.env);
    expect(refused({ name: "dev", hooks: {}, needs: 5 }).message).toBe("boards/test-board: device \"dev\" needs is 5: must be an array of device names in its DeviceSpec");
    expect(refused({ name: "dev", hooks: {}, needs: "i2c0" }).message).toBe(
      "boards/test-board: device \"dev\" needs is \"i2c0\" (a string): must be an array of device names in its DeviceSpec");
  });

  test("a wake-capable device without a wakeLine is refused before anything is kept (it was counted, then refused)", () => {
    const { message, env } = refused({ name: "button", hooks: {}, roles: ROLE_WAKE });
    expect(message).toBe("boards/test-board: device \"button\" is wake-capable but has no wakeLine: set wakeLine in its board entry");
    unchanged(env);
  });
});

describe("register: hooks", () => {
  test("the hook names are the protocol table's RUN_HOOK rows and the runtime PM pair", () => {
    expect(HOOK_NAMES).toEqual([...hookStages().map((s) => STAGES[s].hook), "runtimeSuspend", "runtimeResume"]);
    expect(HOOK_NAMES).toEqual(["prepare", "suspend", "powerOffNoIrq", "powerOnNoIrq", "resume", "reprobe", "runtimeSuspend", "runtimeResume"]);
  });

  test("a hook that is not a function is refused naming it (prepare: 5 was taken as missing and answered OK)", () => {
    const { message, env } = refused({ name: "x", hooks: { prepare: 5 } });
    expect(message).toBe("boards/test-board: device \"x\": hooks.prepare is a number, not a function: make it a method prepare(token): number, " +
      "or leave it out (a missing hook answers OK), on the driver in its DeviceSpec");
    unchanged(env);
    for (const [hook, v, kind] of [["runtimeResume", "yes", "a string"], ["reprobe", null, "null"], ["powerOffNoIrq", {}, "an object"], ["resume", true, "a boolean"]] as const) {
      expect(refused({ name: "x", hooks: { [hook]: v } }).message).toBe("boards/test-board: device \"x\": hooks." + hook + " is " + kind +
        ", not a function: make it a method " + hook + "(token): number, or leave it out (a missing hook answers OK), on the driver in its DeviceSpec");
    }
  });

  test("a hook getter that throws is refused naming the hook and the fix (its raw error went through)", () => {
    const hooks = { get suspend(): never { throw new Error("not wired yet"); } };
    const { message, env } = refused({ name: "x", hooks });
    expect(message).toBe("boards/test-board: device \"x\": reading hooks.suspend threw (Error: not wired yet): make it a plain method " +
      "suspend(token): number on the driver, not a getter, in its DeviceSpec");
    unchanged(env);
  });

  test("hooks null, missing or a number is refused at register (null was a raw TypeError at seal)", () => {
    const tail = ": pass the driver (an object with any of prepare, suspend, powerOffNoIrq, powerOnNoIrq, resume, reprobe, runtimeSuspend, runtimeResume), " +
      "or {} for none, as hooks in its DeviceSpec";
    const a = refused({ name: "x", hooks: null });
    expect(a.message).toBe("boards/test-board: device \"x\": hooks is null" + tail);
    unchanged(a.env);
    expect(refused({ name: "x" }).message).toBe("boards/test-board: device \"x\": hooks is missing" + tail);
    expect(refused({ name: "x", hooks: 7 }).message).toBe("boards/test-board: device \"x\": hooks is a number" + tail);
  });

  test("a driver's own members beside its hooks are its business; hooks on a prototype or a function object are found", () => {
    class Driver implements PmHooks {
      count = 3;
      label = "led";
      prepare(): number { return OK; }
    }
    const env = new Env();
    expect(env.pm.register({ name: "a", hooks: new Driver() })).toBe(0);
    expect(env.pm.register({ name: "b", hooks: { suspend: () => OK, pin: 5, options: null } as PmHooks })).toBe(1);
    expect(env.pm.register({ name: "c", hooks: Object.assign(() => 0, { resume: () => OK }) })).toBe(2);
    env.pm.seal();
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
  });
});

describe("register: device names", () => {
  test("a name with a space, a tab, a non-ASCII letter, or empty is refused naming the allowed characters", () => {
    const a = refused({ name: "my led", hooks: {} });
    expect(a.message).toBe("boards/test-board: device name \"my led\" has a space at 2: rename it in its DeviceSpec, " + RULE);
    unchanged(a.env);
    expect(refused({ name: "led\t2", hooks: {} }).message).toBe(
      "boards/test-board: device name \"led\\t2\" has the control character U+0009 at 3: rename it in its DeviceSpec, " + RULE);
    expect(refused({ name: "dé", hooks: {} }).message).toBe("boards/test-board: device name \"dé\" has \"é\" (U+00E9) at 1: rename it in its DeviceSpec, " + RULE);
    expect(refused({ name: " led", hooks: {} }).message).toBe("boards/test-board: device name \" led\" has a space at 0: rename it in its DeviceSpec, " + RULE);
    expect(refused({ name: "", hooks: {} }).message).toBe("boards/test-board: register: a device has no name: give every DeviceSpec a unique name, " + RULE);
  });

  test("property: a name is accepted exactly when it is non-empty printable ASCII without spaces", () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 12, unit: fc.integer({ min: 0, max: 0x2ff }).map((c) => String.fromCharCode(c)) }), (name) => {
      const ok = /^[!-~]+$/.test(name);
      const env = new Env();
      let message = "";
      try {
        env.pm.register({ name, hooks: {} });
      } catch (e) {
        message = (e as Error).message;
      }
      expect([name, message === "" ? "accepted" : message.startsWith("boards/test-board: device name ") && message.endsWith(RULE) ? "refused" : message])
        .toEqual([name, ok ? "accepted" : "refused"]);
      expect(env.pm.graph.count).toBe(ok ? 1 : 0);
    }), { numRuns: 2000 });
  });
});

describe("wakeLine without ROLE_WAKE (docs/design.md: the device's IRQ line, named as the wake cause)", () => {
  test("is kept, not marked wake-capable and not raised by wakeEvent; a board wake source on its line names the device when it aborts a suspend", () => {
    const env = new Env();
    const pir = env.add({ name: "pir", wakeLine: 3 });
    const led = env.add({ name: "led", wakeLine: 4 });
    env.pm.irq.register(3, () => undefined, true);
    env.pm.seal();
    expect([env.pm.graph.wakeLine[pir.id], env.pm.irq.isWakeCapable(3), env.pm.irq.isWakeCapable(4)]).toEqual([3, true, false]);
    led.behaviour.suspend = { kind: "call", fn: () => { env.pm.port(led.id).wakeEvent(); return OK; } };
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect([env.outcomes, env.pm.irq.raisedCount[4]]).toEqual([[OK], 0]);
    pir.behaviour.suspend = { kind: "pending", afterUs: 100 };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.pm.irq.raise(3);
    env.platform.advance(1_000);
    const st = env.pm.stats;
    expect([env.outcomes, st.lastWakeCause, env.pm.graph.names[st.failDevice[st.failureSlot(0)]]]).toEqual([[OK, WAKEUP], 3, "pir"]);
  });
});
