// A device set aside behind a PENDING one starts once that finishes: with S1's reservations, and with counts no earlier run left.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import {
  OK, IO, FULL, PENDING, T_STANDBY, TEST_NONE, S_PREPARE, S_SUSPEND, StageEngine, type EngineOwner,
} from "../../runtime";

/** store (a state area and 2 request blocks) is needed by user: in the suspend stages user goes first. */
function storeAndUser(config: { blockCount?: number } = {}): Env {
  const env = new Env(config);
  env.add({ name: "store", stateBytes: 8, requestBlocks: 2 });
  env.add({ name: "user", needs: ["store"] });
  env.add({ name: "other" });
  env.pm.seal();
  return env;
}

describe("S1: a device set aside behind a pending prepare", () => {
  test("is reserved for (area zeroed, blocks guaranteed) just before its own prepare, after the one it waited on", () => {
    const env = storeAndUser();
    const store = env.devices.store.id;
    const arena = env.pm.arena;
    // What the last attempt left in the area: S1 must hand the driver a zeroed one.
    arena.bytes.fill(0xa5, arena.offset[store], arena.offset[store] + arena.size[store]);
    let seen = "";
    env.devices.user.behaviour.prepare = { kind: "pending", afterUs: 500 };
    env.devices.store.behaviour.prepare = {
      kind: "call",
      fn: () => {
        const area = Array.from(arena.bytes.subarray(arena.offset[store], arena.offset[store] + arena.size[store]));
        seen = "reserved=" + arena.isReserved(store) + " area=" + area.join(",");
        return OK;
      },
    };
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.advance(10_000);
    expect(env.log.filter((l) => l.includes(":prepare"))).toEqual(["user:prepare", "other:prepare", "user:prepare:done", "store:prepare"]);
    expect(seen).toBe("reserved=true area=0,0,0,0,0,0,0,0");
    expect(env.outcomes).toEqual([OK]);
    expect(arena.reservedBytes).toBe(0);
  });

  test("FULL when its blocks are taken: the stage fails on it, its prepare is never called, and user's is rolled back", () => {
    const env = storeAndUser({ blockCount: 2 });
    const b = env.pm.blocks.acquire(env.devices.other.id);
    expect(b).toBeGreaterThanOrEqual(0);
    env.devices.user.behaviour.prepare = { kind: "pending", afterUs: 500 };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(10_000);
    expect(env.outcomes).toEqual([FULL]);
    expect(env.devices.store.calls.prepare).toBe(0);
    const st = env.pm.stats, slot = st.failureSlot(0);
    expect([st.failDevice[slot], st.failStage[slot], st.failStatus[slot]]).toEqual([env.devices.store.id, S_PREPARE, FULL]);
    expect(env.devices.user.calls.prepare).toBe(1);
    expect(env.pm.arena.reservedBytes).toBe(0);
    // Its blocks back, the next attempt reserves and runs it.
    env.pm.blocks.release(b);
    env.log.length = 0;
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(10_000);
    expect(env.outcomes).toEqual([FULL, OK]);
    expect(env.devices.store.calls.prepare).toBe(1);
  });
});

describe("a run that stopped part-way leaves no count behind", () => {
  test("the same members run again (StageEngine alone): the device set aside last time is not held by a run that ended", () => {
    const env = storeAndUser();
    const pm = env.pm;
    const ended: string[] = [];
    const owner: EngineOwner = {
      stageEnded(stage: number, device: number, status: number): void { ended.push(stage + ":" + device + ":" + status); },
      gaveUp(): void {},
    };
    const e = new StageEngine(pm.graph, env.platform, pm.recorder, pm.arena, pm.blocks, owner);
    e.bindHooks();
    let token = -1;
    // user pends, then fails: a suspend-direction failure stops the run with store still set aside behind it.
    env.devices.user.behaviour.suspend = { kind: "call", fn: (t) => { token = t; return PENDING; } };
    e.members.selectAll();
    e.run(S_SUSPEND, env.platform.now(), false);
    e.complete(token, IO);
    expect(ended).toEqual([S_SUSPEND + ":" + env.devices.user.id + ":" + IO]);
    expect(env.devices.store.calls.suspend).toBe(0);
    // Same selection, no rollback in between: store must start when user answers at once.
    env.devices.user.behaviour.suspend = { kind: "ok" };
    e.run(S_SUSPEND, env.platform.now(), false);
    expect(ended[1]).toBe(S_SUSPEND + ":-1:" + OK);
    expect(env.devices.store.calls.suspend).toBe(1);
  });
});
