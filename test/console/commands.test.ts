// Every console command's full reply on the simulated DevKitC-like rig (real host-sim Serial, UART and terminal).
import { describe, expect, it } from "vitest";
import { Rig, K_FAIL, K_PENDING, H_PREPARE, H_SUSPEND, H_RESUME, H_REPROBE } from "./sim";
import { decodeTraceDump } from "../../host-sim/viz/dump-decode";
import {
  IO, T_STANDBY, TEST_PLATFORM, STAGE_COUNT, STAGE_NAMES, STATUS_NAMES, S_PREPARE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, S_POWER_ON, S_RESUME, S_RELEASE,
} from "../../runtime/status";
import { F_START, F_STAGES } from "../../runtime/flight";
import { EVENT_NAMES } from "../../runtime/trace";


describe("console commands", () => {
  it("prints a banner and a prompt at boot", () => {
    const rig = new Rig();
    expect(rig.banner).toBe("quiesce console: type help for the list of commands\r\n> ");
  });

  it("help lists every command with its arguments", () => {
    const rig = new Rig();
    expect(rig.send("help\r")).toBe([
      "commands:",
      "  help                     this list",
      "  status                   each device's power state",
      "  devices                  dependency tree: parent, needs, roles",
      "  suspend [standby|hibernate] [test=devices|test=platform]",
      "                           start a suspend (default standby); progress lines follow",
      "  stats                    counts, last failures, wake cause, stage durations, flight recorder",
      "  trace [n]                last n power-management trace records (default 16; IRQ records hidden)",
      "  trace all [n]            last n trace records of every kind, IRQ latch/deliver included",
      "  trace dump               the trace ring as hex records, for the host to decode",
      "  recover DEVICE           re-probe a failed device now (status shows failed devices)",
      "  locks                    PM locks: who holds one and for how long (a held lock keeps the governor awake)",
      "  policy [on|off]          the idle governor: its states, the last decisions and why; on/off switches it",
      "  rpm                      runtime PM per device: state, usage count, autosuspend delay, suspends/resumes/failures",
      "> ",
    ].join("\r\n"));
  });

  it("rpm shows each device's runtime PM state, usage count and autosuspend delay", () => {
    const rig = new Rig();
    const out = rig.send("rpm\r").split("\r\n");
    expect(out[0]).toMatch(/^runtime pm: 0 of \d+ devices runtime-suspended, puts without a get 0$/);
    expect(out.slice(1, -1).every((l) => /^  \S+ +(active     \(no runtime hooks\)  usage \d+|\w+ +usage \d+  autosuspend (off|\d+ ms)  suspends \d+ resumes \d+ failures \d+)/.test(l))).toBe(true);
    expect(rig.send("rpm now\r")).toMatch(/rpm.*it takes no arguments/);
  });

  it("status shows the phase, the last outcome and each device's state", () => {
    const rig = new Rig();
    expect(rig.send("status\r")).toBe([
      "phase idle, 7 devices, last outcome OK",
      "  i2c0    active",
      "  bme280  active",
      "  spi2    active",
      "  flash   active",
      "  button  active",
      "  led     active",
      "  console active",
      "> ",
    ].join("\r\n"));
  });

  it("a device that failed to resume is re-probed at the next idle moment: the outcome, the re-probe, then status shows it back", () => {
    const rig = new Rig();
    rig.devices.led.script(H_RESUME, K_FAIL, IO, 0);
    const out = rig.send("suspend test=platform\r").split("\r\n").map((l) => l.replace(/^\[ *\d+ us\] /, "[T] "));
    expect(out.slice(-6)).toEqual([
      "[T] R2 resume        led     failed IO, device marked failed",
      "[T] R2 resume                stage ended with IO after 0 us",
      "suspend failed: led resume IO",
      "[T] -- reprobe       led     ok, active again",
      "[T] -- reprobe               stage done in 0 us",
      "> ",
    ]);
    expect(rig.send("status\r")).toBe([
      "phase idle, 7 devices, last outcome IO",
      "  i2c0    active",
      "  bme280  active",
      "  spi2    active",
      "  flash   active",
      "  button  active",
      "  led     active",
      "  console active",
      "> ",
    ].join("\r\n"));
    expect(rig.devices.led.calls[H_REPROBE]).toBe(1);
  });

  it("devices prints the parent tree with needs (storage edges marked) and roles", () => {
    const rig = new Rig();
    expect(rig.send("devices\r")).toBe([
      "7 devices (tree by parent; needs = other prerequisites):",
      "  i2c0",
      "    bme280 needs flash (storage)",
      "  spi2",
      "    flash [storage]",
      "  button [wake line 0]",
      "  led needs flash (storage)",
      "  console [wake line 43]",
      "> ",
    ].join("\r\n"));
  });

  it("stats before any suspend", () => {
    const rig = new Rig();
    expect(rig.send("stats\r")).toBe([
      "attempts 0, ok 0, failed 0, busy 0, wake aborts 0, timeouts 0, late 0, resume failures 0",
      "last outcome OK, last wake cause none",
      "failures per stage: prepare 0 suspend 0 powerOffNoIrq 0 powerOnNoIrq 0 resume 0",
      "stage durations, last attempt: prepare 0 suspend 0 powerOffNoIrq 0 platform 0 powerOnNoIrq 0 resume 0 total 0 us",
      "re-probes: 0 run, 0 devices recovered, 0 failed",
      "last failures: none",
      "flight recorder: no attempts yet",
      "per-device durations, last/max us:",
      "  i2c0    S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  bme280  S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  spi2    S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  flash   S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  button  S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  led     S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  console S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "irq queue: overflowed 0, max depth 1",
      "> ",
    ].join("\r\n"));
  });

  it("stats after a success and a failure: counts, failure with device/stage/status names, wake cause, durations", () => {
    const rig = new Rig();
    rig.devices.bme280.script(H_SUSPEND, K_PENDING, 0, 3_000);
    rig.send("suspend test=platform\r");
    rig.devices.bme280.script(H_SUSPEND, K_FAIL, IO, 0);
    rig.send("suspend test=platform\r");
    const st = rig.pm.stats;
    const lines = rig.send("stats\r").split("\r\n");
    const failAt = st.failTime[st.failureSlot(0)];
    // The runtime keeps the whole attempt's time in the release slot, printed as "total".
    const d = st.stageDuration;
    const c = rig.uart.id * STAGE_COUNT;
    // The flight recorder, newest first (flight.test.ts checks its lines in depth).
    const fr = rig.pm.flight;
    const s2 = fr.table[fr.recent(1) + F_STAGES + S_SUSPEND];
    expect(lines).toEqual([
      "attempts 2, ok 1, failed 1, busy 0, wake aborts 0, timeouts 0, late 0, resume failures 0",
      "last outcome IO, last wake cause test hold at " + st.lastWakeTime + " us",
      "failures per stage: prepare 0 suspend 1 powerOffNoIrq 0 powerOnNoIrq 0 resume 0",
      "stage durations, last attempt: prepare " + d[S_PREPARE] + " suspend " + d[S_SUSPEND] + " powerOffNoIrq " + d[S_POWER_OFF] +
        " platform " + d[S_PLATFORM] + " powerOnNoIrq " + d[S_POWER_ON] + " resume " + d[S_RESUME] + " total " + d[S_RELEASE] + " us",
      "re-probes: 0 run, 0 devices recovered, 0 failed",
      "last failures, newest first:",
      "  [" + String(failAt).padStart(10) + " us] bme280 suspend IO",
      "flight recorder, last 2 of 2 attempts, newest first:",
      "  #2 [" + String(failAt).padStart(10) + " us] standby   IO      bme280 suspend, parked 0, S1 0 S2 0 S3 0 sleep 0 R1 0 R2 0 total 0 us",
      "  #1 [" + String(fr.table[fr.recent(1) + F_START]).padStart(10) + " us] standby   OK      wake test hold, parked 0, S1 0 S2 " + s2 +
        " S3 0 sleep 5000 R1 0 R2 0 total " + (s2 + 5000) + " us",
      "per-device durations, last/max us:",
      "  i2c0    S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  bme280  S1 0/0 S2 0/3000 S3 0/0 R1 0/0 R2 0/0",
      "  spi2    S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  flash   S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  button  S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  led     S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  console S1 0/0 S2 " + st.lastDuration[c + 1] + "/" + st.maxDuration[c + 1] + " S3 0/0 R1 0/0 R2 0/0",
      "irq queue: overflowed " + st.irqQueueOverflows + ", max depth " + st.irqQueueMaxDepth,
      "> ",
    ]);
    expect(st.maxDuration[c + 1]).toBeGreaterThan(0);
    expect(s2).toBeGreaterThanOrEqual(3000);
  });

  it("trace all [n] decodes the last n records of every kind, default 16, at most what the ring holds", () => {
    const rig = new Rig();
    rig.send("suspend test=platform\r");
    const tr = rig.pm.trace;
    const expectLine = (abs: number): string => {
      const s = abs % tr.capacity;
      const dev = tr.deviceAt(s) < 0 ? "-" : rig.pm.graph.names[tr.deviceAt(s)];
      const stage = tr.stageAt(s) < 0 ? "-" : STAGE_NAMES[tr.stageAt(s)];
      const ev = EVENT_NAMES[tr.eventAt(s)];
      const detail = ev === "irq-deliver" || ev === "irq-latch" ? "line " + tr.statusAt(s)
        : ev === "sleep-exit" ? "test hold" : ev === "suspend-begin" || ev === "sleep-enter" ? "standby" : STATUS_NAMES[tr.statusAt(s)];
      return "[" + String(tr.time[s]).padStart(10) + " us] " + dev.padEnd(8) + stage.padEnd(15) + ev.padEnd(14) + detail;
    };
    const three = rig.send("trace all 3\r").split("\r\n");
    // The header names the total at the moment the command ran (its own UART IRQs add records).
    const total = Number(/of (\d+) records/.exec(three[0])![1]);
    expect(total).toBeGreaterThan(50);
    expect(three).toEqual([
      "trace: last 3 of " + total + " records (time, device, stage, event, detail)",
      expectLine(total - 3), expectLine(total - 2), expectLine(total - 1), "> ",
    ]);
    const def = rig.send("trace all\r").split("\r\n");
    expect(def.length).toBe(16 + 2);
    const t16 = Number(/of (\d+) records/.exec(def[0])![1]);
    expect(def[0]).toBe("trace: last 16 of " + t16 + " records (time, device, stage, event, detail)");
    expect(def.slice(1, 17)).toEqual(Array.from({ length: 16 }, (_, k) => expectLine(t16 - 16 + k)));
    // The most the hint allows (1..capacity): everything the ring holds.
    const all = rig.send("trace all 256\r").split("\r\n");
    const tAll = Number(/of (\d+) records/.exec(all[0])![1]);
    expect(all[0]).toBe("trace: last " + tAll + " of " + tAll + " records (time, device, stage, event, detail)");
    expect(all.length).toBe(tAll + 2);
    expect(all[tAll]).toBe(expectLine(tAll - 1));
  });

  it("trace [n] shows power-management records only, by device name; the console's own IRQ records are left out", () => {
    const rig = new Rig();
    rig.send("suspend test=platform\r");
    const tr = rig.pm.trace;
    const def = rig.send("trace\r").split("\r\n");
    const total = Number(/records of (\d+) written/.exec(def[0])![1]);
    expect(def[0]).toBe("trace: last 16 power-management records of " + total + " written (IRQ records hidden: trace all shows every record)");
    expect(def.length).toBe(16 + 2);
    // The same records trace all would show, minus irq-latch/irq-deliver: the suspend's closing stages, device by device.
    const pm: number[] = [];
    for (let abs = total - 1; abs >= total - tr.length && pm.length < 16; abs--) {
      const ev = EVENT_NAMES[tr.eventAt(abs % tr.capacity)];
      if (ev !== "irq-latch" && ev !== "irq-deliver") pm.unshift(abs);
    }
    const fields = (l: string) => l.slice(15).trim().split(/\s+/).slice(0, 3).join(" ");
    expect(def.slice(1, 17).map(fields)).toEqual(pm.map((abs) => {
      const s = abs % tr.capacity;
      return [tr.deviceAt(s) < 0 ? "-" : rig.pm.graph.names[tr.deviceAt(s)], tr.stageAt(s) < 0 ? "-" : STAGE_NAMES[tr.stageAt(s)], EVENT_NAMES[tr.eventAt(s)]].join(" ");
    }));
    expect(def.join("\n")).not.toContain("irq-");
    expect(def.slice(1, 17).filter((l) => / (resume|powerOnNoIrq) /.test(l)).length).toBeGreaterThanOrEqual(8);
    expect(rig.send("trace 2\r").split("\r\n").length).toBe(2 + 2);
    expect(rig.send("trace all 2 3\r")).toBe("unknown argument '3' for trace: use a record count 1.." + tr.capacity + ", all [n] or dump (type help)\r\n> ");
  });

  it("trace dump writes the whole ring as hex records that the host decoder reads back exactly", () => {
    const rig = new Rig();
    // Keep every record ever written, so the dump can be checked even though its own output adds records.
    const history: { time: number; device: number; stage: number; event: number; status: number; duration: number }[] = [];
    const tr = rig.pm.trace;
    tr.setListener((slot) => {
      history.push({ time: tr.time[slot], device: tr.deviceAt(slot), stage: tr.stageAt(slot), event: tr.eventAt(slot), status: tr.statusAt(slot), duration: tr.duration[slot] });
      rig.console.onTrace(slot);
    });
    const before = tr.total;
    for (let i = 0; i < 4; i++) rig.send("suspend test=platform\r");
    const text = rig.send("trace dump\r");
    const records = decodeTraceDump(text);
    const lines = text.split("\r\n");
    const written = Number(/records of (\d+) written/.exec(lines[0])![1]);
    expect(written).toBeGreaterThan(tr.capacity);
    expect(lines[0]).toBe("trace dump begin: 256 records of " + written +
      " written, 18 bytes each, oldest first (f64le time us, i16le device, i8 stage, u8 event, i16le status, i32le duration us)");
    expect(records).toEqual(history.slice(written - before - 256, written - before));
    expect(lines[257]).toBe("trace dump end: 256 records");
    expect(lines[258]).toBe("> ");
    expect(lines.length).toBe(259);
    // The dump's own UART traffic kept adding records, yet none it printed had been overwritten.
    expect(tr.total).toBeGreaterThan(written);
    expect(text).not.toContain("overwritten");
  });

  it("suspend [standby|hibernate] [test=...] starts the suspend the line asked for and reports the outcome", () => {
    const rig = new Rig();
    const out = rig.send("suspend test=platform standby\r");
    expect(out.startsWith("suspending: standby test=platform\r\n")).toBe(true);
    expect(out).toContain("-- test=platform hold: platform called, a timed light sleep stands in for standby\r\n");
    expect(out.endsWith("suspend ok (test=platform: held in the platform, target not entered), woke by test hold\r\n> ")).toBe(true);
    expect(rig.pm.stats.successes).toBe(1);
    const hib = rig.send("suspend hibernate test=platform\r");
    expect(hib.startsWith("suspending: hibernate test=platform\r\n")).toBe(true);
    expect(hib).toContain("suspend begins: hibernate test=platform\r\n");
    expect(hib.endsWith("suspend ok (test=platform: held in the platform, target not entered), woke by test hold\r\n> ")).toBe(true);
    const dev = rig.send("suspend test=devices\r");
    // The levels read differently (as Linux pm_test's do): devices never reaches the platform.
    expect(dev).toContain("-- test=devices hold: platform not called, IRQs on, devices stay suspended\r\n");
    expect(dev.endsWith("suspend ok (test=devices: devices only, nothing slept), woke by test hold\r\n> ")).toBe(true);
    expect(rig.platform.sleeps).toBe(2);
    expect(rig.outcomes).toEqual([0, 0, 0]);
  });

  it("suspend failed names the device, the stage and the status", () => {
    const rig = new Rig();
    rig.devices.flash.script(H_SUSPEND, K_FAIL, IO, 0);
    const out = rig.send("suspend test=platform\r");
    expect(out).toContain("S2 suspend       flash   failed IO\r\n");
    expect(out).toContain("rollback from suspend flash IO\r\n");
    expect(out.endsWith("suspend failed: flash suspend IO\r\n> ")).toBe(true);
    expect(rig.pm.deviceState(rig.uart.id)).toBe(0);
    expect(rig.send("status\r").split("\r\n")[0]).toBe("phase idle, 7 devices, last outcome IO");
  });

  it("answers BUSY when a suspend started elsewhere is in progress when its settle delay ends", () => {
    const rig = new Rig();
    rig.devices.bme280.script(H_PREPARE, K_PENDING, 0, 20_000);
    rig.terminal.type("suspend test=platform\r");
    // Run until the line ran (its reply is out) but not the 2 ms settle delay.
    while (rig.console.commands.ran === 0) rig.clock.advance(50);
    expect(rig.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(0);
    rig.settle();
    const out = rig.take();
    expect(out).toContain("suspend refused: BUSY, one is already in progress\r\n> ");
    expect(out).toContain("-- test=platform hold: platform called, a timed light sleep stands in for standby\r\n");
    expect(out.endsWith("suspend ok (test=platform: held in the platform, target not entered), woke by test hold\r\n> ")).toBe(true);
    expect(rig.pm.stats.busyRefusals).toBe(1);
  });

  it("echoes typed characters and erases on backspace when echo is on", () => {
    const rig = new Rig({ echo: true });
    expect(rig.send("stx\batu\x7fus\r")).toBe("stx\b \batu\b \bus\r\n" + [
      "phase idle, 7 devices, last outcome OK",
      "  i2c0    active", "  bme280  active", "  spi2    active", "  flash   active",
      "  button  active", "  led     active", "  console active", "> ",
    ].join("\r\n"));
  });
});

describe("console stats: irq queue line", () => {
  it("prints the overflow count and the deepest the event queue has been, as the last line before the prompt", () => {
    const rig = new Rig();
    const st = rig.pm.stats;
    st.irqQueueOverflows = 3;
    st.irqQueueMaxDepth = 10;
    const lines = rig.send("stats\r").split("\r\n");
    expect(lines.slice(-3)).toEqual(["  console S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0", "irq queue: overflowed 3, max depth 10", "> "]);
    st.irqQueueOverflows = 0;
    st.irqQueueMaxDepth = 12345;
    expect(rig.send("stats\r").split("\r\n").slice(-2)).toEqual(["irq queue: overflowed 0, max depth 12345", "> "]);
  });

  // Allocation: test/console/alloc.test.ts runs `stats` (this line included) 20 times inside XS and counts 0 slots.
});
