// IRQ latching and delivery order; boot-time rejection of bad device graphs; pools and the trace ring.
import { describe, expect, test } from "vitest";
import { IrqController, StateArena, BlockPool, TraceRing, OK, INVALID, ROLE_STORAGE, ROLE_WAKE, T_STANDBY, TEST_NONE } from "../../runtime";
import { Env, FakePlatform } from "./fakes";

describe("IRQ controller", () => {
  test("raised while masked: latched, delivered exactly once at the outermost unmask, in line order", () => {
    const irq = new IrqController(8);
    const log: string[] = [];
    const platform = new FakePlatform(log);
    irq.setPlatform(platform);
    for (let l = 0; l < 8; l++) irq.register(l, (line) => log.push("irq" + line), false);
    irq.raise(5);
    irq.mask();
    irq.mask();
    irq.raise(6);
    irq.raise(2);
    irq.raise(6);
    irq.raise(2);
    irq.unmask();
    expect(log).toEqual(["irq5", "irq:mask"]);
    irq.unmask();
    expect(log).toEqual(["irq5", "irq:mask", "irq:unmask", "irq2", "irq6"]);
    irq.unmask();
    expect(log.length).toBe(5);
    expect([irq.raisedCount[6], irq.deliveredCount[6], irq.latchedCount[6]]).toEqual([2, 1, 1]);
  });

  test("a handler that masks again stops delivery; the rest come at its unmask", () => {
    const irq = new IrqController(4);
    const log: number[] = [];
    irq.register(0, () => { log.push(0); irq.mask(); }, false);
    irq.register(3, () => log.push(3), false);
    irq.mask();
    irq.raise(3);
    irq.raise(0);
    irq.unmask();
    expect(log).toEqual([0]);
    irq.unmask();
    expect(log).toEqual([0, 3]);
  });

  test("raise on a line out of range, not an integer, or with neither handler nor wake mark answers INVALID and changes nothing, masked or not", () => {
    const irq = new IrqController(8);
    const log: string[] = [];
    irq.setObserver((line, event) => log.push(event + ":" + line));
    irq.register(2, (line) => log.push("irq" + line), false);
    irq.markWake(5);
    const counts = () => [irq.raisedCount, irq.deliveredCount, irq.latchedCount].map((c) => Array.from(c).join(""));
    const before = counts();
    const bad = [99, 8, -1, NaN, 1.5, Infinity, "2", true, null, undefined, 0, 7] as unknown as number[];
    for (let masked = 0; masked < 2; masked++) {
      if (masked === 1) irq.mask();
      // 99 unmasked threw "handler is not a function"; masked it was latched past the tables and traced.
      for (const line of bad) expect([line, irq.raise(line)]).toEqual([line, INVALID]);
      expect([counts(), log, irq.isLatched(99), irq.maskDepth]).toEqual([before, [], false, masked]);
    }
    irq.unmask();
    expect(log).toEqual([]);
    expect([irq.raise(2), irq.raise(5)]).toEqual([OK, OK]);
    expect(log).toEqual(["1:2", "irq2", "1:5"]);
  });

  test("register and markWake refuse a line that is not an integer in range, and a handler that is not a function, registering nothing", () => {
    const irq = new IrqController(8);
    expect(() => irq.register(NaN, () => undefined, false)).toThrow(
      new Error("irq line NaN out of range 0..7: use an integer line below irqLines, or raise irqLines in the board config"));
    expect(() => irq.register("3" as unknown as number, () => undefined, false)).toThrow(
      new Error("irq line \"3\" out of range 0..7: use an integer line below irqLines, or raise irqLines in the board config"));
    expect(() => irq.register(1.5, () => undefined, true)).toThrow(/^irq line 1.5 out of range 0\.\.7: /);
    expect(() => irq.register(1, 5 as unknown as () => void, false)).toThrow(new Error("irq line 1: the handler is a number, not a function: pass (line) => void"));
    expect(() => irq.register(1, null as unknown as () => void, false)).toThrow(new Error("irq line 1: the handler is null, not a function: pass (line) => void"));
    expect(() => irq.markWake(NaN)).toThrow(new Error("wake line NaN out of range 0..7: use an integer line below irqLines, or raise irqLines in the board config"));
    expect(() => irq.markWake(8)).toThrow(/^wake line 8 out of range 0\.\.7: /);
    expect([irq.raise(1), irq.isWakeCapable(1), irq.isWakeCapable(NaN)]).toEqual([INVALID, false, false]);
    const log: number[] = [];
    irq.register(1, (line) => log.push(line), false);
    expect([irq.raise(1), log]).toEqual([OK, [1]]);
  });

  test("handlers are registered once; out-of-range lines name the setting", () => {
    const irq = new IrqController(2);
    irq.register(1, () => undefined, false);
    expect(() => irq.register(1, () => undefined, false)).toThrow(/already has a handler/);
    expect(() => irq.register(2, () => undefined, false)).toThrow(/raise irqLines/);
  });
});

describe("boot-time checks name the devices and the fix", () => {
  test("a dependency cycle is rejected naming the cycle", () => {
    const env = new Env();
    env.add({ name: "a", parent: "c" });
    env.add({ name: "b", parent: "a" });
    env.add({ name: "c", needs: ["b"] });
    expect(() => env.pm.seal()).toThrow("boards/test-board: dependency cycle a -> c -> b -> a");
  });

  test("an unknown parent is rejected naming both", () => {
    const env = new Env();
    env.add({ name: "bme280", parent: "i2c9" });
    expect(() => env.pm.seal()).toThrow('boards/test-board: device "bme280" names parent "i2c9", which is not registered');
  });

  test("an unknown need is rejected", () => {
    const env = new Env();
    env.add({ name: "telemetry", needs: ["uart7"] });
    expect(() => env.pm.seal()).toThrow(/names needs "uart7"/);
  });

  test("device pool full names maxDevices and the board", () => {
    const env = new Env({ maxDevices: 2 });
    env.add({ name: "a" });
    env.add({ name: "b" });
    expect(() => env.add({ name: "c" })).toThrow('device pool full at "c": raise maxDevices (2) in boards/test-board');
  });

  test("state arena and block pool too small name the setting", () => {
    const env = new Env({ stateArenaBytes: 16 });
    env.add({ name: "display", stateBytes: 12 });
    env.add({ name: "led", stateBytes: 8 });
    expect(() => env.pm.seal()).toThrow("state arena too small: devices declare 20 bytes of state, the arena has 16: raise stateArenaBytes in boards/test-board");
    const env2 = new Env({ blockCount: 2 });
    env2.add({ name: "usb", requestBlocks: 3 });
    expect(() => env2.pm.seal()).toThrow(/raise blockCount in boards\/test-board/);
  });

  test("storage under its own users is not a cycle: the bus under the flash stays up for it", () => {
    const env = new Env();
    env.add({ name: "spi0" });
    env.add({ name: "flash", parent: "spi0", roles: ROLE_STORAGE });
    env.add({ name: "sensor", stateBytes: 4 });
    env.pm.seal();
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(env.calls().filter((c) => c.endsWith(":suspend"))).toEqual(["sensor:suspend", "flash:suspend", "spi0:suspend"]);
  });

  test("a device the storage device depends on that saves state is refused at seal: it suspends after the image is written", () => {
    const env = new Env();
    env.add({ name: "spi0", stateBytes: 4 });
    env.add({ name: "flash", parent: "spi0", roles: ROLE_STORAGE, needs: ["pwr"] });
    env.add({ name: "pwr" });
    env.add({ name: "sensor", stateBytes: 4 });
    expect(() => env.pm.seal()).toThrow("boards/test-board: device \"spi0\" saves state (stateBytes 4) but the storage device \"flash\" depends on it " +
      "(parent or needs), so it suspends after the image is written and a hibernate would lose that state: give it stateBytes 0 and set it up again in R1, " +
      "or take it off the storage device's parent/needs");
    // Through needs, and transitively (a regulator under the flash's bus) too.
    const env2 = new Env();
    env2.add({ name: "ldo", stateBytes: 2 });
    env2.add({ name: "spi0", parent: "ldo" });
    env2.add({ name: "flash", parent: "spi0", roles: ROLE_STORAGE });
    expect(() => env2.pm.seal()).toThrow(/device "ldo" saves state \(stateBytes 2\) but the storage device "flash" depends on it/);
  });

  test("duplicate names, two storage devices and a wake role without a line are rejected", () => {
    const env = new Env();
    env.add({ name: "a" });
    expect(() => env.add({ name: "a" })).toThrow(/used twice/);
    expect(() => env.add({ name: "w", roles: ROLE_WAKE })).toThrow(/no wakeLine/);
    const env2 = new Env();
    env2.add({ name: "f1", roles: ROLE_STORAGE });
    env2.add({ name: "f2", roles: ROLE_STORAGE });
    expect(() => env2.pm.seal()).toThrow(/two storage devices/);
  });
});

describe("pools and trace ring", () => {
  test("state arena: fixed layout, reserve zeroes, release frees, bytes tracked", () => {
    const a = new StateArena(32, 4, 0);
    expect([a.layout(0, 8), a.layout(1, 16), a.layout(2, 16)]).toEqual([true, true, false]);
    a.bytes.fill(7);
    a.reserve(1);
    expect(a.bytes[a.offset[1]]).toBe(0);
    expect(a.bytes[0]).toBe(7);
    expect(a.reservedBytes).toBe(16);
    a.release(1);
    a.release(1);
    expect(a.reservedBytes).toBe(0);
  });

  test("block pool: guarantees survive other users; exhaustion is counted, not fatal", () => {
    const p = new BlockPool(3, 8, 3);
    expect(p.reserve(0, 2)).toBe(true);
    expect(p.reserve(1, 2)).toBe(false);
    const x = p.acquire(1);
    expect(x).toBeGreaterThanOrEqual(0);
    expect(p.acquire(1)).toBe(-1);
    const a = p.acquire(0);
    const b = p.acquire(0);
    expect([a >= 0, b >= 0, p.exhausted]).toEqual([true, true, 1]);
    p.release(a);
    expect(p.acquire(1)).toBe(-1); // device 0 still holds its guarantee
    expect(p.acquire(0)).toBe(a);
    p.unreserve(0);
    expect(p.views[a].length).toBe(8);
  });

  test("port.releaseBlock answers INVALID and changes nothing for any block the device does not hold (999 made the pool free 9 of 8)", () => {
    const env = new Env({ blockCount: 4 });
    const a = env.add({ name: "a", requestBlocks: 1 });
    const b = env.add({ name: "b" });
    env.pm.seal();
    const pa = env.pm.port(a.id), pb = env.pm.port(b.id), pool = env.pm.blocks;
    const mine = pa.acquireBlock();
    const theirs = pb.acquireBlock();
    const state = () => [pool.free, pool.inUse, Array.from(pool.owner), pool.unreserved];
    const before = state();
    expect([mine, theirs, before]).toEqual([0, 1, [2, 2, [a.id, b.id, -1, -1], 2]]);
    // Out of range, not an integer, another device's block, a free block.
    for (const block of [999, 4, -1, NaN, 1.5, Infinity, "0", true, null, undefined, theirs, 2] as unknown as number[]) {
      expect([block, pa.releaseBlock(block)]).toEqual([block, INVALID]);
      expect(state()).toEqual(before);
    }
    expect([pa.releaseBlock(mine), pa.releaseBlock(mine), pb.releaseBlock(theirs)]).toEqual([OK, INVALID, OK]);
    expect(state()).toEqual([4, 0, [-1, -1, -1, -1], 4]);
    // The pool is whole: every block can be taken once, then none.
    const got = [pb.acquireBlock(), pb.acquireBlock(), pb.acquireBlock(), pb.acquireBlock(), pb.acquireBlock()];
    expect([got.slice(0, 4).sort(), got[4], pool.free]).toEqual([[0, 1, 2, 3], -1, 0]);
  });

  test("trace ring keeps the last N records in order", () => {
    const t = new TraceRing(4);
    for (let i = 0; i < 6; i++) t.record(i * 10, i, 1, 2, 0);
    expect(t.length).toBe(4);
    const devs: number[] = [];
    for (let i = 0; i < t.length; i++) devs.push(t.deviceAt(t.slot(i)));
    expect(devs).toEqual([2, 3, 4, 5]);
  });
});
