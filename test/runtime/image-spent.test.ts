// An image restored in this boot stays spent through a hibernate rolled back before it completed its suspend stages.
import { expect, test } from "vitest";
import { Env, imageOfEvery } from "./fakes";
import { OK, INVALID, T_HIBERNATE, TEST_NONE, ROLE_STORAGE, ROLE_WAKE, STATUS_NAMES } from "../../runtime";

test("restored once; a hibernate that rolls back WAKEUP (no deep sleep, no reboot): resumeFromImage still answers INVALID", () => {
  const env = new Env();
  const flash = env.add({ name: "flash", roles: ROLE_STORAGE });
  env.add({ name: "sensor" });
  env.add({ name: "button", roles: ROLE_WAKE, wakeLine: 0 });
  env.pm.seal();
  imageOfEvery(env.pm);
  const first = [env.pm.resumeFromImage(-1), env.pm.resumeFromImage(-1)];
  // The image write (the flash's S2) sees the button: the hibernate rolls back, the system never slept.
  flash.behaviour.suspend = { kind: "call", fn: () => { env.pm.irq.raise(0); return OK; } };
  env.pm.suspend(T_HIBERNATE, TEST_NONE);
  expect([first, STATUS_NAMES[env.outcomes[env.outcomes.length - 1]], env.log.includes("platform:sleep")]).toEqual([[OK, INVALID], "WAKEUP", false]);
  // Same boot, areas live since: restoring them would resurrect the state S2 saved before the rollback.
  expect(env.pm.resumeFromImage(-1)).toBe(INVALID);
});
