// Failed devices at the console: `recover DEVICE`, the automatic re-probe shown, failed devices in status/devices, skipped by every suspend.
import { describe, expect, it } from "vitest";
import { Rig, K_OK, K_FAIL, H_RESUME, H_REPROBE } from "./sim";
import { IO, OK, D_ACTIVE } from "../../runtime/status";

/** Replaces "[   1234 us]" stamps with "[T]". */
function untimed(text: string): string[] {
  return text.split("\r\n").map((line) => line.replace(/^\[ *\d+ us\] /, "[T] "));
}

/** A rig whose led fails its R2 and its re-probes; the first re-probe runs at once, the next after 60 s. */
function failedLed(): Rig {
  const rig = new Rig({ config: { reprobeFirstUs: 60_000_000 } });
  rig.devices.led.script(H_RESUME, K_FAIL, IO, 0);
  rig.devices.led.script(H_REPROBE, K_FAIL, IO, 0);
  return rig;
}

const SECOND = 1_000_000;
/** The led's device id (board order). */
const LED = 5;

describe("console: failed devices", () => {
  it("the automatic re-probe after a resume failure is shown after the outcome, then the prompt", () => {
    const rig = failedLed();
    const lines = untimed(rig.sendFor("suspend test=platform\r", SECOND));
    expect(lines.slice(-6)).toEqual([
      "[T] R2 resume        led     failed IO, device marked failed",
      "[T] R2 resume                stage ended with IO after 0 us",
      "suspend failed: led resume IO",
      "[T] -- reprobe       led     failed IO, still failed",
      "[T] -- reprobe               stage ended with IO after 0 us",
      "> ",
    ]);
  });

  it("status and devices show a failed device as failed, with when its next re-probe is due", () => {
    const rig = failedLed();
    rig.sendFor("suspend test=platform\r", SECOND);
    const status = rig.sendFor("status\r", 50_000);
    // Written when the line ran, a little before now: 60 s after the first re-probe failed.
    const m = /led {5}failed, next re-probe in (\d+) us/.exec(status);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(rig.pm.recovery.dueIn(LED, rig.clock.now()));
    expect(Number(m![1])).toBeLessThan(60_000_000);
    expect(status).toBe([
      "phase idle, 7 devices, last outcome IO",
      "  i2c0    active", "  bme280  active", "  spi2    active", "  flash   active", "  button  active",
      "  led     failed, next re-probe in " + m![1] + " us",
      "  console active",
      "> ",
    ].join("\r\n"));
    const devices = rig.sendFor("devices\r", 50_000);
    const d = /led \[failed, next re-probe in (\d+) us\]/.exec(devices)!;
    expect(Number(d[1])).toBeLessThan(Number(m![1]));
    expect(devices).toBe([
      "7 devices (tree by parent; needs = other prerequisites):",
      "  i2c0", "    bme280 needs flash (storage)", "  spi2", "    flash [storage]", "  button [wake line 0]",
      "  led [failed, next re-probe in " + d[1] + " us] needs flash (storage)",
      "  console [wake line 43]",
      "> ",
    ].join("\r\n"));
  });

  it("every suspend's progress and summary say skipped (failed) for it: it sits the attempt out", () => {
    const rig = failedLed();
    rig.sendFor("suspend test=platform\r", SECOND);
    const lines = untimed(rig.sendFor("suspend test=platform\r", SECOND));
    expect(lines.slice(0, 3)).toEqual([
      "suspending: standby test=platform",
      "[T] suspend begins: standby test=platform",
      "[T]                   led     skipped (failed)",
    ]);
    expect(lines.filter((l) => l.includes(" led "))).toEqual(["[T]                   led     skipped (failed)"]);
    expect(lines.slice(-2)).toEqual(["suspend ok (test=platform: held in the platform, target not entered), woke by test hold; skipped (failed): led", "> "]);
    expect(rig.outcomes).toEqual([IO, OK]);
  });

  it("recover DEVICE re-probes now and reports the outcome when the re-probe stage ends", () => {
    const rig = failedLed();
    rig.sendFor("suspend test=platform\r", SECOND);
    const probes = rig.devices.led.calls[H_REPROBE];
    expect(untimed(rig.sendFor("recover led\r", SECOND))).toEqual([
      "recover led: re-probing",
      "[T] -- reprobe       led     failed IO, still failed",
      "[T] -- reprobe               stage ended with IO after 0 us",
      // The backoff doubled after the automatic re-probe failed: 60 s, then 120 s.
      "recover led: still failed IO, next re-probe in 120000000 us",
      "> ",
    ]);
    expect(rig.devices.led.calls[H_REPROBE]).toBe(probes + 1);
    rig.devices.led.script(H_REPROBE, K_OK, OK, 0);
    expect(untimed(rig.sendFor("recover led\r", SECOND))).toEqual([
      "recover led: re-probing",
      "[T] -- reprobe       led     ok, active again",
      "[T] -- reprobe               stage done in 0 us",
      "recover led: ok, active again",
      "> ",
    ]);
    expect(rig.pm.deviceState(LED)).toBe(D_ACTIVE);
    expect(rig.send("status\r").split("\r\n")[6]).toBe("  led     active");
  });

  it("recover refuses an unknown name, a device that is not failed, a missing or extra argument, naming the fix", () => {
    const rig = new Rig();
    expect(rig.send("recover lde\r")).toBe("unknown device 'lde' for recover: type status for the device names\r\n> ");
    expect(rig.send("recover led\r")).toBe(
      "recover led refused: INVALID, it is active, not failed; recover re-probes failed devices only (type status)\r\n> ");
    expect(rig.send("recover\r")).toBe(
      "recover needs a device name: recover DEVICE re-probes a failed device (type status for the names)\r\n> ");
    expect(rig.send("recover led now\r")).toBe("unknown argument 'now' for recover: give one device name (type help)\r\n> ");
    expect(rig.console.commands.errors).toBe(4);
    expect(rig.devices.led.calls[H_REPROBE]).toBe(0);
  });

  it("recover while a suspend is starting answers BUSY and the suspend runs as asked", () => {
    const rig = failedLed();
    rig.sendFor("suspend test=platform\r", SECOND);
    const probes = rig.devices.led.calls[H_REPROBE];
    const lines = untimed(rig.sendFor("suspend test=platform\rrecover led\r", SECOND));
    expect(lines.slice(0, 2)).toEqual([
      "suspending: standby test=platform",
      "recover refused: BUSY, a suspend is starting or running; recover after its outcome",
    ]);
    expect(lines.slice(-2)).toEqual(["suspend ok (test=platform: held in the platform, target not entered), woke by test hold; skipped (failed): led", "> "]);
    expect(rig.devices.led.calls[H_REPROBE]).toBe(probes);
  });

  it("stats shows the cycle's stages only, and the re-probes on their own line", () => {
    const rig = failedLed();
    rig.sendFor("suspend test=platform\r", SECOND);
    rig.devices.led.script(H_REPROBE, K_OK, OK, 0);
    rig.sendFor("recover led\r", SECOND);
    const lines = rig.send("stats\r").split("\r\n");
    expect(lines[2]).toBe("failures per stage: prepare 0 suspend 0 powerOffNoIrq 0 powerOnNoIrq 0 resume 1");
    expect(lines[3]).toMatch(/^stage durations, last attempt: prepare \d+ suspend \d+ powerOffNoIrq \d+ platform 5000 powerOnNoIrq \d+ resume \d+ total \d+ us$/);
    expect(lines[4]).toBe("re-probes: 2 run, 1 devices recovered, 1 failed");
  });
});

describe("console: hibernate and a failed storage device", () => {
  it("suspend hibernate is refused at once, naming the storage device to recover; standby still runs", () => {
    const rig = new Rig({ config: { reprobeFirstUs: 60_000_000 } });
    rig.devices.flash.script(H_RESUME, K_FAIL, IO, 0);
    rig.devices.flash.script(H_REPROBE, K_FAIL, IO, 0);
    rig.sendFor("suspend test=platform\r", SECOND);
    const attempts = rig.pm.stats.attempts;
    const lines = untimed(rig.sendFor("suspend hibernate\r", SECOND));
    expect(lines.slice(-2)).toEqual([
      "suspend refused: FAILED, the storage device flash is failed and would lose the image: recover flash first, or use standby",
      "> ",
    ]);
    expect(rig.pm.stats.attempts).toBe(attempts);
    rig.sendFor("suspend test=platform\r", SECOND);
    expect(rig.pm.stats.attempts).toBe(attempts + 1);
  });
});
