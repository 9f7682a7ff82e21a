// Fresh boot (no image restored yet): a hibernate started in this boot, rolled back or at a test level, spends the image: resumeFromImage answers INVALID.
import { expect, test } from "vitest";
import { Env } from "./fakes";
import { OK, IO, T_HIBERNATE, TEST_NONE, TEST_DEVICES, ROLE_STORAGE, ROLE_WAKE, STATUS_NAMES } from "../../runtime";
import { E_SLEEP_ENTER } from "../../runtime/trace";

function mk() {
  const env = new Env();
  const flash = env.add({ name: "flash", roles: ROLE_STORAGE });
  const sensor = env.add({ name: "sensor", stateBytes: 16 });
  env.add({ name: "button", roles: ROLE_WAKE, wakeLine: 0 });
  env.pm.seal();
  return { env, flash, sensor };
}

test("rolled back by the image write's wake (S2): resumeFromImage answers INVALID", () => {
  const { env, flash } = mk();
  flash.behaviour.suspend = { kind: "call", fn: () => { env.pm.irq.raise(0); return OK; } };
  env.pm.suspend(T_HIBERNATE, TEST_NONE);
  env.platform.advance(100_000);
  const out = STATUS_NAMES[env.outcomes[env.outcomes.length - 1]];
  env.log.length = 0;
  const r = env.pm.resumeFromImage(-1);
  env.platform.advance(100_000);
  expect({ out, r: STATUS_NAMES[r], log: env.log.slice(0, 8) }).toEqual({ out: "WAKEUP", r: "INVALID", log: [] });
});

test("rolled back at sleep enter (wake raised in the sleep-enter listener): resumeFromImage answers INVALID", () => {
  const { env } = mk();
  let arm = true;
  env.pm.trace.setListener((slot) => { if (arm && env.pm.trace.eventAt(slot) === E_SLEEP_ENTER) { arm = false; env.pm.irq.raise(0); } });
  env.pm.suspend(T_HIBERNATE, TEST_NONE);
  env.platform.advance(100_000);
  const out = STATUS_NAMES[env.outcomes[env.outcomes.length - 1]];
  env.log.length = 0;
  const r = env.pm.resumeFromImage(-1);
  env.platform.advance(100_000);
  expect({ out, r: STATUS_NAMES[r], log: env.log.slice(0, 8) }).toEqual({ out: "WAKEUP", r: "INVALID", log: [] });
});

test("rolled back in S3 (power-off noirq fails): resumeFromImage answers INVALID", () => {
  const { env, sensor } = mk();
  sensor.behaviour.powerOffNoIrq = { kind: "fail", status: IO };
  env.pm.suspend(T_HIBERNATE, TEST_NONE);
  env.platform.advance(100_000);
  const out = STATUS_NAMES[env.outcomes[env.outcomes.length - 1]];
  env.log.length = 0;
  const r = env.pm.resumeFromImage(-1);
  env.platform.advance(100_000);
  expect({ out, r: STATUS_NAMES[r], log: env.log.slice(0, 8) }).toEqual({ out: "IO", r: "INVALID", log: [] });
});

test("a TEST_DEVICES hibernate in a fresh boot: INVALID", () => {
  const { env } = mk();
  env.pm.suspend(T_HIBERNATE, TEST_DEVICES);
  env.platform.advance(10_000_000);
  const out = STATUS_NAMES[env.outcomes[env.outcomes.length - 1]];
  expect({ out, r: STATUS_NAMES[env.pm.resumeFromImage(-1)] }).toEqual({ out: "OK", r: "INVALID" });
});
