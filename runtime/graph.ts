// Device registry: names, hooks, roles, sizes; sealed at boot into fixed dependency tables (CSR) and checked.
import type { DeviceSpec, PmHooks } from "./driver";
import { ROLE_STORAGE, ROLE_WAKE, STAGE_COUNT, S_PREPARE, S_SUSPEND, S_RESUME, S_REPROBE } from "./status";
import { checkDeviceSpec } from "./spec-check";
import { MAX_IRQ_LINES } from "./limits";

/**
 * Edges point from a device to its prerequisites: its parent, what it `needs`, and (implicitly) the
 * storage device for every device that saves state, unless storage itself depends on it (the bus
 * under the flash). Suspend stages run a device after all its dependents; resume after all its
 * prerequisites. Everything is computed once in `seal`; the stage engine only reads typed arrays.
 */
export class DeviceGraph {
  /** The board file, named in every boot-time error. */
  readonly board: string;
  /** Capacity of the registry; every per-device table has this many entries. */
  readonly maxDevices: number;
  /** Devices registered; ids are 0 .. count - 1 in registration order. */
  count = 0;
  /** Device names by id. */
  readonly names: string[] = [];
  /** Name to id: boot resolves every parent and `needs` name, so a scan per lookup would make boot quadratic. */
  private readonly ids = new Map<string, number>();
  /** Device hooks by id (looked up once per hook at seal by the engine's hook table). */
  readonly hooks: PmHooks[] = [];
  /** ROLE_STORAGE | ROLE_WAKE bits by device. */
  readonly roles: Uint8Array;
  /** Wake IRQ line by device, -1 none. */
  readonly wakeLine: Int16Array;
  /** Budget per device per stage: index device * STAGE_COUNT + stage, microseconds. */
  readonly budgetUs: Int32Array;
  /** State-save area size by device, bytes. */
  readonly stateBytes: Int32Array;
  /** Request blocks reserved in S1, by device. */
  readonly requestBlocks: Int16Array;
  /** Parent device id, -1 none (resolved at seal). */
  readonly parent: Int16Array;
  /** Prerequisites of d: pre[preStart[d] .. preStart[d + 1]). */
  preStart: Int32Array = new Int32Array(1);
  /** Prerequisite ids, indexed by `preStart`. */ pre: Int16Array = new Int16Array(0);
  /** Dependents of d: dep[depStart[d] .. depStart[d + 1]). */
  depStart: Int32Array = new Int32Array(1);
  /** Dependent ids, indexed by `depStart`. */ dep: Int16Array = new Int16Array(0);
  /** Per device: how many of its prerequisites (the first ones in `pre`) the board named (parent, needs); the rest are storage ordering. */
  readonly ownPre: Int16Array;
  /** Topological order, prerequisites first. */
  order: Int16Array = new Int16Array(0);
  /** Id of the storage device (ROLE_STORAGE), -1 none. */
  storage = -1;
  /** True once `seal` ran: no more registrations. */
  sealed = false;
  /** Wake lines must be below this (the configuration's irqLines when the owner passes it). */
  readonly irqLines: number;
  private readonly specs: DeviceSpec[] = [];

  constructor(board: string, maxDevices: number, irqLines = MAX_IRQ_LINES) {
    this.board = board;
    this.maxDevices = maxDevices;
    this.irqLines = irqLines;
    this.roles = new Uint8Array(maxDevices);
    this.wakeLine = new Int16Array(maxDevices).fill(-1);
    this.budgetUs = new Int32Array(maxDevices * STAGE_COUNT);
    this.stateBytes = new Int32Array(maxDevices);
    this.requestBlocks = new Int16Array(maxDevices);
    this.parent = new Int16Array(maxDevices).fill(-1);
    this.ownPre = new Int16Array(maxDevices);
  }

  /** Boot: checks `spec` (runtime/spec-check.ts: name, keys, hooks, numbers against runtime/limits.ts) before anything of it is kept, then adds it. */
  register(spec: DeviceSpec, defaultBudgetUs: number): number {
    checkDeviceSpec(this.board, spec, defaultBudgetUs, this.irqLines);
    if (this.sealed) throw new Error(this.board + ": device \"" + spec.name + "\" registered after seal: register every device before boot ends");
    if (this.count === this.maxDevices) {
      throw new Error("device pool full at \"" + spec.name + "\": raise maxDevices (" + this.maxDevices + ") in " + this.board);
    }
    if (this.indexOf(spec.name) >= 0) throw new Error(this.board + ": device name \"" + spec.name + "\" used twice: names must be unique");
    if (spec.roles !== undefined && (spec.roles & ROLE_WAKE) !== 0 && spec.wakeLine === undefined) {
      throw new Error(this.board + ": device \"" + spec.name + "\" is wake-capable but has no wakeLine: set wakeLine in its board entry");
    }
    const id = this.count++;
    this.specs.push(spec);
    this.names.push(spec.name);
    this.ids.set(spec.name, id);
    this.hooks.push(spec.hooks);
    this.roles[id] = spec.roles ?? 0;
    this.wakeLine[id] = spec.wakeLine ?? -1;
    // One native fill, then the overrides a spec names (most name none): a loop of eight stores and an empty {} cost 220 XS instructions a device.
    const at = id * STAGE_COUNT;
    const budget = this.budgetUs;
    budget.fill(spec.budgetUs ?? defaultBudgetUs, at, at + STAGE_COUNT);
    const per = spec.stageBudgetUs;
    if (per !== undefined) {
      if (per.prepare !== undefined) budget[at + S_PREPARE] = per.prepare;
      if (per.suspend !== undefined) budget[at + S_SUSPEND] = per.suspend;
      if (per.resume !== undefined) budget[at + S_RESUME] = per.resume;
      if (per.reprobe !== undefined) budget[at + S_REPROBE] = per.reprobe;
    }
    this.stateBytes[id] = spec.stateBytes ?? 0;
    this.requestBlocks[id] = spec.requestBlocks ?? 0;
    return id;
  }

  /** The device whose wake line is `line`, or -1. */
  deviceOnLine(line: number): number {
    for (let d = 0; d < this.count; d++) if (this.wakeLine[d] === line) return d;
    return -1;
  }

  /** Id of the device named `name`, or -1. */
  indexOf(name: string): number {
    const id = this.ids.get(name);
    if (id !== undefined) return id;
    return -1;
  }

  /** Resolves names, adds storage edges, builds CSR tables, rejects cycles. Throws naming the fix. */
  seal(): void {
    const n = this.count;
    const edges: number[][] = [];
    for (let d = 0; d < n; d++) edges.push([]);
    for (let d = 0; d < n; d++) {
      const spec = this.specs[d];
      if (spec.parent !== undefined) {
        const p = this.resolve(spec.parent, d, "parent");
        this.parent[d] = p;
        edges[d].push(p);
      }
      const needs = spec.needs ?? [];
      for (let i = 0; i < needs.length; i++) {
        const p = this.resolve(needs[i], d, "needs");
        if (edges[d].indexOf(p) < 0) edges[d].push(p);
      }
      if ((this.roles[d] & ROLE_STORAGE) !== 0) {
        if (this.storage >= 0) {
          throw new Error(this.board + ": two storage devices (\"" + this.names[this.storage] + "\", \"" + spec.name + "\"): one device holds the state image");
        }
        this.storage = d;
      }
    }
    const own = this.ownPre;
    for (let d = 0; d < n; d++) own[d] = edges[d].length;
    if (this.storage >= 0) {
      // One sort at boot's cost: only when the storage edges close a cycle is the board's own graph
      // checked first (its edges are each list's prefix), so the error names the cycle the board wrote.
      this.addStorageEdges(edges);
      if (this.sortOrThrow(edges, false)) {
        this.buildTables(edges);
        this.sealed = true;
        return;
      }
      const all = edges.map((e) => e.slice());
      for (let d = 0; d < n; d++) edges[d].length = own[d];
      this.sortOrThrow(edges, true);
      this.sortOrThrow(all, true);
    }
    this.sortOrThrow(edges, true);
    this.buildTables(edges);
    this.sealed = true;
  }

  /** The id of `name`, which device `user` names as its `setting`; throws for an unknown name or the device itself. @boot */
  private resolve(name: string, user: number, setting: string): number {
    const p = this.indexOf(name);
    if (p < 0) {
      throw new Error(this.board + ": device \"" + this.names[user] + "\" names " + setting + " \"" + name +
        "\", which is not registered: add \"" + name + "\" to the board's devices or fix the name");
    }
    if (p === user) throw new Error(this.board + ": device \"" + this.names[user] + "\" names itself as " + setting);
    return p;
  }

  /** @boot */
  private addStorageEdges(edges: number[][]): void {
    const s = this.storage;
    // The storage's own prerequisites (its bus, what it needs) must stay up until it is done.
    const under = new Uint8Array(this.count);
    const stack = [s];
    while (stack.length > 0) {
      const d = stack.pop() as number;
      for (let i = 0; i < edges[d].length; i++) {
        const p = edges[d][i];
        if (under[p] === 0) { under[p] = 1; stack.push(p); }
      }
    }
    for (let d = 0; d < this.count; d++) {
      // Under the storage device it suspends after the image is written: what its S2 saved would not be in it.
      if (under[d] === 1 && this.stateBytes[d] > 0) {
        throw new Error(this.board + ": device \"" + this.names[d] + "\" saves state (stateBytes " + this.stateBytes[d] + ") but the storage device \"" +
          this.names[s] + "\" depends on it (parent or needs), so it suspends after the image is written and a hibernate would lose that state: " +
          "give it stateBytes 0 and set it up again in R1, or take it off the storage device's parent/needs");
      }
      if (d === s || under[d] === 1 || this.stateBytes[d] === 0) continue;
      if (edges[d].indexOf(s) < 0) edges[d].push(s);
    }
  }

  /** @boot */
  /** Sets `order` (prerequisites first) and answers true; on a cycle, throws naming it, or answers false when `raise` is false. @boot */
  private sortOrThrow(edges: number[][], raise: boolean): boolean {
    const n = this.count;
    const remaining = new Int32Array(n);
    const users: number[][] = [];
    for (let d = 0; d < n; d++) users.push([]);
    for (let d = 0; d < n; d++) {
      remaining[d] = edges[d].length;
      for (let i = 0; i < edges[d].length; i++) users[edges[d][i]].push(d);
    }
    const order: number[] = [];
    for (let d = 0; d < n; d++) if (remaining[d] === 0) order.push(d);
    for (let k = 0; k < order.length; k++) {
      const p = order[k];
      for (let i = 0; i < users[p].length; i++) if (--remaining[users[p][i]] === 0) order.push(users[p][i]);
    }
    if (order.length === n) {
      this.order = Int16Array.from(order);
      return true;
    }
    if (!raise) return false;
    // Walk prerequisites among the leftovers until a device repeats: that loop is the cycle.
    let d = 0;
    while (remaining[d] === 0) d++;
    const path: number[] = [];
    const seen = new Int32Array(n).fill(-1);
    while (seen[d] < 0) {
      seen[d] = path.length;
      path.push(d);
      let next = -1;
      for (let i = 0; i < edges[d].length; i++) if (remaining[edges[d][i]] > 0) { next = edges[d][i]; break; }
      d = next;
    }
    const cycle: string[] = [];
    for (let i = seen[d]; i < path.length; i++) cycle.push(this.names[path[i]]);
    cycle.push(this.names[d]);
    throw new Error(this.board + ": dependency cycle " + cycle.join(" -> ") +
      " (parent/needs, plus storage ordering): remove one of these edges from the board definition");
  }

  /** @boot */
  private buildTables(edges: number[][]): void {
    const n = this.count;
    let total = 0;
    for (let d = 0; d < n; d++) total += edges[d].length;
    this.preStart = new Int32Array(n + 1);
    this.pre = new Int16Array(total);
    this.depStart = new Int32Array(n + 1);
    this.dep = new Int16Array(total);
    const depCount = new Int32Array(n);
    let k = 0;
    for (let d = 0; d < n; d++) {
      this.preStart[d] = k;
      for (let i = 0; i < edges[d].length; i++) {
        this.pre[k++] = edges[d][i];
        depCount[edges[d][i]]++;
      }
    }
    this.preStart[n] = k;
    let acc = 0;
    for (let d = 0; d < n; d++) { this.depStart[d] = acc; acc += depCount[d]; }
    this.depStart[n] = acc;
    const fill = new Int32Array(n);
    for (let d = 0; d < n; d++) {
      for (let i = 0; i < edges[d].length; i++) {
        const p = edges[d][i];
        this.dep[this.depStart[p] + fill[p]++] = d;
      }
    }
  }
}
