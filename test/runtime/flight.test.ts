// Flight recorder: the last K attempts with outcome, failing device and stage, wake cause, durations, parked counts.
import { expect, test } from "vitest";
import { makeTree } from "./tree";
import { Flight, OK, IO, WAKEUP, T_STANDBY, TEST_NONE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, RequestQueue, PENDING } from "../../runtime";

const F = Flight;

test("records each attempt in a fixed table, newest first, wrapping at K", () => {
  const env = makeTree({ flightRecords: 3 });
  const fr = env.pm.flight;
  env.platform.sleepMode = "async";
  env.pm.suspend(T_STANDBY, TEST_NONE);
  env.platform.advance(2_000);
  env.pm.irq.raise(1);
  env.platform.wakeNow(1);
  env.devices.display.behaviour.suspend = { kind: "fail", status: IO };
  env.platform.advance(10);
  env.pm.suspend(T_STANDBY, TEST_NONE);
  env.devices.display.behaviour.suspend = { kind: "pending", afterUs: 50 };
  env.pm.suspend(T_STANDBY, TEST_NONE);
  env.pm.irq.raise(0);
  env.platform.advance(100);
  expect(env.outcomes).toEqual([OK, IO, WAKEUP]);
  const t = fr.table;
  const rows = [0, 1, 2].map((i) => {
    const b = fr.recent(i);
    return [t[b + F.F_SEQ], t[b + F.F_OUTCOME], t[b + F.F_FAIL_DEVICE], t[b + F.F_FAIL_STAGE], t[b + F.F_WAKE]];
  });
  expect(rows).toEqual([
    // The wake stopped S2 while display was pending: S2 is where the attempt failed.
    [3, WAKEUP, env.devices.button.id, S_SUSPEND, 0],
    [2, IO, env.devices.display.id, S_SUSPEND, -1],
    [1, OK, -1, -1, 1],
  ]);
  const first = fr.recent(2);
  expect(t[first + F.F_STAGES + S_PLATFORM]).toBe(2_000); // platform sleep lasted 2 ms of virtual time
  expect(t[first + F.F_TOTAL_US]).toBe(2_000);
  env.pm.suspend(T_STANDBY, TEST_NONE);
  env.platform.advance(100);
  env.platform.wakeNow(0);
  expect(fr.total).toBe(4);
  expect(t[fr.recent(0) + F.F_SEQ]).toBe(4);
  expect(fr.recent(3)).toBe(-1);
});

test("counts requests parked during the attempt; the table lives in the state arena (saved with a hibernate image)", () => {
  const env = makeTree();
  const q = new RequestQueue(4, () => PENDING, () => undefined);
  env.pm.registerQueue(q);
  env.platform.sleepMode = "async";
  env.devices.led.behaviour.suspend = { kind: "call", fn: () => { q.gate(); return OK; } };
  env.devices.led.behaviour.resume = { kind: "call", fn: () => { q.open(); return OK; } };
  env.pm.suspend(T_STANDBY, TEST_NONE);
  q.submit(1);
  q.submit(2);
  expect(env.pm.recorder.parkedNow()).toBe(2);
  env.platform.wakeNow(0);
  const b = env.pm.flight.recent(0);
  expect(env.pm.flight.table[b + F.F_PARKED]).toBe(2);
  expect(env.pm.flight.table.buffer).toBe(env.pm.arena.buffer);
  // A reboot restores the count from the arena bytes.
  const copy = env.pm.arena.bytes.slice();
  const env2 = makeTree();
  env2.pm.arena.bytes.set(copy);
  env2.pm.resumeFromImage(0);
  expect(env2.pm.flight.total).toBe(2);
  expect(env2.outcomes).toEqual([OK]);
});

test("a hibernate that reboots continues the attempt's record from the image; sleep time is unknown (-1)", () => {
  const env = makeTree();
  env.platform.sleepMode = "async";
  env.devices.bme280.behaviour.suspend = { kind: "pending", afterUs: 700 };
  env.pm.suspend(2 /* T_HIBERNATE */, TEST_NONE);
  env.platform.advance(1_000);
  expect(env.platform.sleeping).toBe(true);
  const image = env.pm.arena.bytes.slice();
  const rebooted = makeTree();
  rebooted.platform.t = 250_000; // the new boot's clock
  rebooted.pm.arena.bytes.set(image);
  rebooted.pm.resumeFromImage(0);
  expect(rebooted.outcomes).toEqual([OK]);
  const fr = rebooted.pm.flight;
  expect(fr.total).toBe(1);
  const b = fr.recent(0);
  expect([fr.table[b + F.F_SEQ], fr.table[b + F.F_TARGET], fr.table[b + F.F_WAKE]]).toEqual([1, 2, 0]);
  expect(fr.table[b + F.F_STAGES + S_SUSPEND]).toBe(700); // measured before the deep sleep
  expect([fr.table[b + F.F_STAGES + S_PLATFORM], fr.table[b + F.F_TOTAL_US]]).toEqual([-1, -1]);
});
