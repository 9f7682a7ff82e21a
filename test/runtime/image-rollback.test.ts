// Fresh boot (no image restored yet): a hibernate started in this boot, rolled back or at a test level, spends the image: resumeFromImage answers INVALID.
import { expect, test } from "vitest";
import { Env } from "./fakes";
import { IO, OK, T_HIBERNATE, TEST_NONE, TEST_DEVICES, ROLE_STORAGE, ROLE_WAKE, STATUS_NAMES } from "../../runtime";
import { E_SLEEP_ENTER } from "../../runtime/trace";

/** flash (storage), a sensor with 16 bytes of state and a wake button on line 0; `arrange` scripts the failure. */
function mk(arrange: (env: Env, flash: Env["devices"][string], sensor: Env["devices"][string]) => void) {
  const env = new Env();
  const flash = env.add({ name: "flash", roles: ROLE_STORAGE });
  const sensor = env.add({ name: "sensor", stateBytes: 16 });
  env.add({ name: "button", roles: ROLE_WAKE, wakeLine: 0 });
  env.pm.seal();
  arrange(env, flash, sensor);
  return env;
}

/** Hibernates (`test` level), then asks for the image: the attempt's outcome, the answer, the hooks that answer ran. */
function hibernateThenResume(env: Env, test = TEST_NONE) {
  env.pm.suspend(T_HIBERNATE, test);
  env.platform.advance(10_000_000);
  const out = STATUS_NAMES[env.outcomes[env.outcomes.length - 1]];
  env.log.length = 0;
  const r = STATUS_NAMES[env.pm.resumeFromImage(-1)];
  env.platform.advance(100_000);
  return { out, r, log: env.log.slice(0, 8) };
}

test("rolled back by the image write's wake (S2): resumeFromImage answers INVALID", () => {
  const env = mk((e, flash) => { flash.behaviour.suspend = { kind: "call", fn: () => { e.pm.irq.raise(0); return OK; } }; });
  expect(hibernateThenResume(env)).toEqual({ out: "WAKEUP", r: "INVALID", log: [] });
});

test("rolled back at sleep enter (wake raised in the sleep-enter listener): resumeFromImage answers INVALID", () => {
  let arm = true;
  const env = mk((e) => e.pm.trace.setListener((slot) => { if (arm && e.pm.trace.eventAt(slot) === E_SLEEP_ENTER) { arm = false; e.pm.irq.raise(0); } }));
  expect(hibernateThenResume(env)).toEqual({ out: "WAKEUP", r: "INVALID", log: [] });
});

test("rolled back in S3 (power-off noirq fails): resumeFromImage answers INVALID", () => {
  const env = mk((_e, _f, sensor) => { sensor.behaviour.powerOffNoIrq = { kind: "fail", status: IO }; });
  expect(hibernateThenResume(env)).toEqual({ out: "IO", r: "INVALID", log: [] });
});

test("a TEST_DEVICES hibernate in a fresh boot: INVALID", () => {
  expect(hibernateThenResume(mk(() => {}), TEST_DEVICES)).toEqual({ out: "OK", r: "INVALID", log: [] });
});
