// Runtime-PM board data refused at boot: autosuspendMs out of range or without runtime hooks, one runtime hook without the other.
import { describe, expect, test } from "vitest";
import { Env, BASE_CONFIG, FakePlatform } from "../runtime/fakes";
import { add } from "./helpers";
import { OK, PowerManager } from "../../runtime";

describe("refused at seal", () => {
  test("autosuspendMs without runtime hooks, naming the device and the fix (it was ignored: the device never suspended)", () => {
    const env = new Env();
    add(env, { name: "led", autosuspendMs: 5 }, false);
    expect(() => env.pm.seal()).toThrow(new Error(
      "boards/test-board: device \"led\" has autosuspendMs but no runtime hooks: implement runtimeSuspend and runtimeResume, or remove autosuspendMs"));
  });

  test("one runtime hook without the other, naming the device and the fix", () => {
    const env = new Env();
    const hooks = { runtimeSuspend: () => OK };
    env.pm.register({ name: "half", hooks });
    expect(() => env.pm.seal()).toThrow('boards/test-board: device "half" has runtimeSuspend without runtimeResume: implement both runtime hooks or neither');
  });
});

describe("autosuspendMs at register", () => {
  test("K: each bad value is refused; 0 and 2,000,000 accepted", () => {
    const bad: unknown[] = [-1, 1.5, 2_000_001, "50", NaN, Infinity, null, 2 ** 31, true, [], {}];
    const res = bad.map((v) => {
      const pm = new PowerManager(BASE_CONFIG, new FakePlatform([]));
      try { pm.register({ name: "f", hooks: {}, autosuspendMs: v as number }); return String(v) + ": accepted"; } catch (e) { return "refused"; }
    });
    expect(res.filter((r) => r !== "refused")).toEqual([]);
    for (const v of [0, 2_000_000]) {
      const pm = new PowerManager(BASE_CONFIG, new FakePlatform([]));
      expect(() => pm.register({ name: "f", hooks: {}, autosuspendMs: v })).not.toThrow();
    }
  });

  test("a refusal names board, device, field and range", () => {
    const pm = new PowerManager(BASE_CONFIG, new FakePlatform([]));
    expect(() => pm.register({ name: "flash", hooks: {}, autosuspendMs: -1 })).toThrow(/boards\/test-board: device "flash" autosuspendMs is -1: must be an integer 0\.\.2000000 ms/);
    expect(() => pm.register({ name: "flash", hooks: {}, autosuspendMs: 1.5 })).toThrow(/autosuspendMs is 1.5/);
  });
});
