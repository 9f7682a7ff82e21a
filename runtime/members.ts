// Device states and the member set of a stage run: who takes part, and who advanced (what rollback undoes).
import type { HibernateImage } from "./image";
import type { StateArena, BlockPool } from "./pools";
import type { Recorder } from "./recorder";
import { D_ACTIVE, D_FAILED } from "./status";

/**
 * Owned by the engine, which alone changes a device's state (`reach`, `fail`) and only after the
 * device's hook answered; the sequencer only chooses members (`selectAll`, `selectAdvanced`,
 * `selectFailed`, `forgetAdvanced`). Rollback of a partly done stage undoes exactly the members that
 * advanced in it: those whose state is the stage's (set only after an OK answer), and those listed in
 * `anyway` (a timed-out S2: state unchanged, mirror still owed). So the walk keeps no list, only
 * `advancedCount`: a member's state is the record (1 typed-array write less per device per stage).
 * Invariant after a run: advancedCount === members at the run's state + anywayCount.
 */
export class Members {
  private readonly count: () => number;
  /** Read by everyone through `state(d)`; written by the engine only (its hot path writes the arrays directly). */
  readonly stateOf: Uint8Array;
  readonly member: Uint8Array;
  /** 1 - member: the stage walk copies it into its blocked counts in one `set` (ready.ts). */
  readonly out: Uint8Array;
  /** Changes whenever `member` and `out` may have: ready.ts copies `out` again only then (or after an unfinished run). */
  selection = 0;
  /** 1 where a device sits out every run while it is runtime-suspended, and how many do (runtime-pm.ts owns both). */
  private skipped: Uint8Array;
  private skipCount: Int32Array = new Int32Array(1);
  /** Members of the next (or current) run. */
  size = 0;
  /**
   * Failed devices, counted by `fail` and recounted by `selectAll`: never below the true count, so 0
   * lets the end of an attempt skip looking for failed devices (a re-probe may leave it high until then).
   */
  failedCount = 0;
  /** The device count when `selectAll` last selected every device, -1 once anything changed the selection. */
  private allIn = -1;
  /** Members that advanced in the last run (reached its state, or `advancedAnyway`). */
  advancedCount = 0;
  /** Members that advanced in the last run without reaching its state (`advancedAnyway`), and how many. */
  private readonly anyway: Int16Array;
  anywayCount = 0;
  /** The devices S1 reserves for (`setPooled`): a normal cycle's release walks only these. */
  private pooled: Int16Array = new Int16Array(0);
  private pooledCount = 0;
  /** Set by `adoptImage`: every area was adopted, pooled or not, so the next release looks at every device. */
  private fromImage = false;

  constructor(maxDevices: number, count: () => number) {
    this.count = count;
    this.stateOf = new Uint8Array(maxDevices);
    this.member = new Uint8Array(maxDevices);
    this.out = new Uint8Array(maxDevices).fill(1);
    this.anyway = new Int16Array(maxDevices);
    this.skipped = new Uint8Array(maxDevices);
  }

  /** Boot (seal): devices marked 1 in `mask` are no members of a run (runtime-suspended: Linux direct_complete). */
  exclude(mask: Uint8Array, count: Int32Array): void {
    this.skipped = mask;
    this.skipCount = count;
  }

  state(d: number): number {
    return this.stateOf[d];
  }

  isMember(d: number): boolean {
    return this.member[d] === 1;
  }

  /** Every device but the failed and the runtime-suspended ones. */
  selectAll(): void {
    const count = this.count();
    // Every device was selected last time and no selection, failure or runtime suspend happened since:
    // the tables already say so (the usual next attempt), so no pass over the devices.
    if (this.allIn === count && this.skipCount[0] === 0) {
      this.size = count;
      return;
    }
    const states = this.stateOf, member = this.member, out = this.out;
    let n = 0;
    this.selection++;
    for (let d = 0; d < count; d++) {
      const m = states[d] === D_FAILED ? 0 : 1;
      member[d] = m;
      out[d] = 1 - m;
      n += m;
    }
    this.failedCount = count - n;
    // Runtime-suspended devices leave in a second pass, so a board without any costs nothing per device.
    if (this.skipCount[0] > 0) {
      for (let d = 0; d < count; d++) {
        if (this.skipped[d] === 0 || member[d] === 0) continue;
        member[d] = 0;
        out[d] = 1;
        n--;
      }
    }
    this.size = n;
    this.allIn = n === count ? count : -1;
  }

  /** The members of the last run, a partly done stage reaching `reaches`, that advanced in it (its rollback); returns how many. */
  selectAdvanced(reaches: number): number {
    const member = this.member, out = this.out, states = this.stateOf, count = this.count();
    let n = 0, d = 0, i = 0;
    this.allIn = -1;
    this.selection++;
    for (; d < count; d++) {
      const m = member[d] === 1 && states[d] === reaches ? 1 : 0;
      member[d] = m;
      out[d] = 1 - m;
      n += m;
    }
    for (; i < this.anywayCount; i++) {
      d = this.anyway[i];
      if (member[d] === 1) continue;
      member[d] = 1;
      out[d] = 0;
      n++;
    }
    this.size = n;
    return n;
  }

  /** The failed devices marked in `candidates` (a re-probe). */
  selectFailed(candidates: Uint8Array): void {
    this.allIn = -1;
    this.selection++;
    let n = 0;
    for (let d = 0; d < this.count(); d++) {
      const m = candidates[d] === 1 && this.stateOf[d] === D_FAILED ? 1 : 0;
      this.member[d] = m;
      this.out[d] = 1 - m;
      n += m;
    }
    this.size = n;
  }

  /** A wake interrupted between stages: nothing of the next stage advanced. */
  forgetAdvanced(): void {
    this.allIn = -1;
    this.selection++;
    this.member.fill(0);
    this.out.fill(1);
    this.size = 0;
    this.advancedCount = this.anywayCount = 0;
  }

  /** Engine only: d's hook answered OK and it reached `state`; it counts as advanced. */
  reach(d: number, state: number): void {
    this.stateOf[d] = state;
    this.advancedCount++;
  }

  /** Engine only: d advanced without reaching the stage's state (its S2 timed out: it gets its mirror). */
  advancedAnyway(d: number): void {
    this.anyway[this.anywayCount++] = d;
    this.advancedCount++;
  }

  /** Engine only: a release sets the state without counting an advance. */
  set(d: number, state: number): void {
    this.stateOf[d] = state;
  }

  /** Engine only: a resume-direction stage failed for d; it is no member of the later runs (the run in progress has passed it). */
  fail(d: number): void {
    if (this.stateOf[d] !== D_FAILED) this.failedCount++;
    this.stateOf[d] = D_FAILED;
    this.allIn = -1;
    if (this.member[d] === 0) return;
    this.member[d] = 0;
    this.out[d] = 1;
    this.selection++;
    this.size--;
  }

  /**
   * Engine only, the release stage: frees the reservations of the members and of every failed device
   * (a failed device keeps nothing reserved, member or not), and sets the others' state.
   */
  release(arena: StateArena, blocks: BlockPool, quota: Int16Array, rec: Recorder, now: number, stage: number, reaches: number, allActive: boolean): void {
    const member = this.member, states = this.stateOf, reserved = arena.reserved, count = this.count();
    // Hoisted: XS pays for a block-scoped declaration on every pass through the loop body.
    let st = 0, d = 0, freed = 0;
    if (allActive && !this.fromImage) {
      // Every device is active (the run before reached every one): only the devices S1 reserved
      // something for have anything to give back; the others are not looked at.
      const pooled = this.pooled, size = arena.size, pooledN = this.pooledCount;
      let bytes = 0, i = 0;
      for (; i < pooledN; i++) {
        d = pooled[i];
        if (reserved[d] === 0) continue;
        // arena.release, inline (once per reserving device per cycle).
        reserved[d] = 0;
        bytes += size[d];
        if (quota[d] !== 0) blocks.unreserve(d);
        freed++;
      }
      arena.reservedBytes -= bytes;
      // One record for the step, not one per device: it runs no hook, so there is no device's time to show.
      if (freed !== 0) rec.release(now, stage);
      return;
    }
    this.fromImage = false;
    for (d = 0; d < count; d++) {
      st = states[d];
      // A device S1 reserved nothing for, resumed, has nothing to give back (the common case: one test).
      if (reserved[d] === 0 && st === D_ACTIVE) continue;
      if (member[d] === 0 && st !== D_FAILED) continue;
      arena.release(d);
      // Only a device with request blocks can hold a guarantee (BlockPool.reserve).
      if (quota[d] !== 0) blocks.unreserve(d);
      if (st !== D_FAILED) states[d] = reaches;
      freed++;
    }
    if (freed !== 0) rec.release(now, stage);
  }

  /** Boot (seal): the devices S1 reserves something for (a state area or request blocks), in id order. */
  setPooled(list: Int16Array, count: number): void {
    this.pooled = list;
    this.pooledCount = count;
  }

  /** After a reboot from a hibernate image every device it holds is off, its area already filled; the others are failed (image.ts). */
  adoptImage(arena: StateArena, image: HibernateImage): void {
    this.fromImage = true;
    this.allIn = -1;
    this.failedCount = image.adopt(this.stateOf, this.count(), arena);
  }
}
