// PM locks: recursive counts, holders and since-when, refusals (unheld release, unknown handle), device locks through the port, capacity.
import { describe, expect, it } from "vitest";
import { Env } from "./fakes";
import { OK, INVALID, PROTOCOL, T_STANDBY, TEST_NONE } from "../../runtime";
import { PmLocks, LOCK_APP, LOCK_DEVICE } from "../../runtime/locks";

describe("PM locks", () => {
  it("count recursively, keep the holder's start time, and free only at zero", () => {
    let t = 100;
    const frees: number[] = [];
    const locks = new PmLocks(4, () => t);
    locks.setFreeListener(() => frees.push(t));
    const a = locks.create("telemetry-tx");
    const b = locks.create("app-busy");
    expect([a, b, locks.kind[a], locks.created]).toEqual([0, 1, LOCK_APP, 2]);
    expect(locks.acquire(a)).toBe(OK);
    t = 200;
    expect(locks.acquire(a)).toBe(OK);
    expect(locks.acquire(b)).toBe(OK);
    t = 12_134;
    expect([locks.count[a], locks.count[b], locks.held, locks.firstHeld(), locks.heldFor(a, t), locks.heldFor(b, t)]).toEqual([2, 1, 2, a, 12_034, 11_934]);
    expect([locks.release(a), locks.count[a], locks.held, frees]).toEqual([OK, 1, 2, []]);
    expect([locks.release(b), locks.firstHeld(), frees]).toEqual([OK, a, []]);
    expect([locks.release(a), locks.held, locks.firstHeld(), locks.heldFor(a, t), frees]).toEqual([OK, 0, -1, 0, [12_134]]);
    expect(Array.from(locks.acquires.subarray(0, 2))).toEqual([2, 1]);
  });

  it("refuse releasing an unheld lock (PROTOCOL, counted, never negative) and unknown handles (INVALID)", () => {
    const locks = new PmLocks(2, () => 0);
    const a = locks.create("a");
    expect([locks.release(a), locks.release(a), locks.count[a], locks.held]).toEqual([PROTOCOL, PROTOCOL, 0, 0]);
    expect([locks.badReleases, locks.lastBadRelease]).toEqual([2, a]);
    expect([locks.acquire(7), locks.release(-1), locks.acquire(1.5), locks.badHandles]).toEqual([INVALID, INVALID, INVALID, 3]);
    // A refused release leaves a later hold intact.
    expect([locks.acquire(a), locks.release(a), locks.release(a), locks.count[a], locks.held]).toEqual([OK, OK, PROTOCOL, 0, 0]);
  });

  it("throw at boot when the table is full, naming the fix", () => {
    const locks = new PmLocks(1, () => 0);
    locks.create("one");
    expect(() => locks.create("two")).toThrow("pm.locks: cannot create lock \"two\": all 1 locks are made; raise pm.maxLocks in the board's pm sizes");
  });

  it("give every device its own lock through the port, named after it, beside the application's", () => {
    const env = new Env({ maxLocks: 2, maxDevices: 2 });
    env.add({ name: "uart" });
    env.add({ name: "led" });
    const app = env.pm.locks.create("app-busy");
    env.pm.seal();
    const port = env.pm.port(0);
    expect([port.lock(), port.lock(), port.unlock()]).toEqual([OK, OK, OK]);
    const l = env.pm.locks;
    expect(l.names).toEqual(["app-busy", "uart", "led"]);
    expect([l.kind[1], l.count[1], l.held, l.firstHeld()]).toEqual([LOCK_DEVICE, 1, 1, 1]);
    expect([port.unlock(), port.unlock(), l.badReleases, l.count[1]]).toEqual([OK, PROTOCOL, 1, 0]);
    // Capacity is maxLocks for the application plus one per device (maxDevices).
    env.pm.locks.create("second");
    expect(() => env.pm.locks.create("third")).toThrow("all 4 locks are made");
    expect(app).toBe(0);
  });

  it("never gate an explicit suspend (locks hold off only the governor, as ESP-IDF's gate only automatic light sleep)", () => {
    const env = new Env();
    env.add({ name: "uart" });
    const app = env.pm.locks.create("app-busy");
    env.pm.seal();
    env.pm.locks.acquire(app);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.advance(10_000);
    expect([env.outcomes, env.pm.locks.count[app]]).toEqual([[OK], 1]);
  });
});
