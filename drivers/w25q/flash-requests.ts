// The W25Q's user requests: read, page program and sector erase through one RequestQueue, program/erase finished by BUSY polling.
import { RequestQueue } from "../../runtime/queue";
import type { DevicePort } from "../../runtime/port";
import { OK, PENDING, BUSY, IO, INVALID } from "../../runtime/status";
import { RequestTable } from "../common/request-table";
import { type FlashPort, PAGE_BYTES, SECTOR_BYTES, PP_TYP_US, PP_MAX_US, SE_TYP_US, SE_MAX_US } from "./flash";
import { type BusyPoll, BY_QUEUE } from "./busy-poll";

// Request kinds.
const R_READ = 1;
const R_PROGRAM = 2;
const R_ERASE = 3;

/**
 * One request in flight at a time (the chip serialises anyway). Program and erase answer PENDING and
 * end when the poller sees BUSY clear (section 7.1.1), or fail at the datasheet maximum. While a PM
 * job holds the chip (`held`), `serve` answers BUSY and the head waits for the job's `retry`. The
 * image sectors are the storage role's: user programs and erases there are refused at submit.
 */
export class FlashRequests {
  readonly queue: RequestQueue;
  /** True while a PM job holds the chip (set by the driver, read on every serve). */
  held: () => boolean = never;
  private readonly flash: FlashPort;
  private readonly poller: BusyPoll;
  private readonly req: RequestTable;
  private readonly sizeBytes: number;
  private readonly imageAddress: number;
  private readonly imageEnd: number;
  private onDone: ((token: number, status: number) => void) | null = null;
  /** Set at attach: each accepted request holds a runtime-PM get until it completes; a program/erase in flight holds the device's PM lock. */
  private port: DevicePort | null = null;
  private locked = false;

  constructor(capacity: number, flash: FlashPort, poller: BusyPoll, sizeBytes: number, imageAddress: number, imageEnd: number) {
    this.flash = flash;
    this.poller = poller;
    this.sizeBytes = sizeBytes;
    this.imageAddress = imageAddress;
    this.imageEnd = imageEnd;
    this.req = new RequestTable(capacity);
    const self = this;
    this.queue = new RequestQueue(capacity,
      function w25qServe(slot: number): number {
        return self.serve(slot);
      },
      function w25qDone(slot: number, status: number): void {
        const token = self.req.put(slot);
        const port = self.port;
        if (port !== null && self.locked && self.queue.idle) {
          self.locked = false;
          port.unlock();
        }
        if (self.onDone !== null) self.onDone(token, status);
        // After the client's callback: a request it submits there keeps the chip up without a power cycle.
        if (port !== null) port.putAutosuspend();
      });
  }

  /** Attach: the port whose get/put and lock the requests hold. @boot */
  bind(port: DevicePort): void {
    this.port = port;
  }

  /** Boot: who hears each request's completion (token, status). */
  setClient(onDone: (token: number, status: number) => void): void {
    this.onDone = onDone;
  }

  read(token: number, address: number, into: Uint8Array): number {
    return this.submit(R_READ, token, address, into, into.length);
  }

  /** Programs `data` (1..256 bytes, not crossing a page) at `address`; bits only go 1 -> 0. */
  program(token: number, address: number, data: Uint8Array): number {
    if (data.length === 0 || (address & 0xff) + data.length > PAGE_BYTES) return INVALID;
    return this.submit(R_PROGRAM, token, address, data, data.length);
  }

  eraseSector(token: number, address: number): number {
    return this.submit(R_ERASE, token, address - (address % SECTOR_BYTES), null, SECTOR_BYTES);
  }

  private submit(kind: number, token: number, address: number, buf: Uint8Array | null, length: number): number {
    if (address < 0 || address + length > this.sizeBytes) return INVALID;
    if (kind !== R_READ && address < this.imageEnd && address + length > this.imageAddress) return INVALID;
    const slot = this.req.take(kind, token, address, buf, length);
    // No slot means the queue is full too: let it refuse (and count) the request.
    if (slot < 0) return this.queue.submit(-1);
    // A runtime-suspended flash wakes first: while its resume runs the request waits in the gated queue.
    if (this.port !== null) this.port.get();
    const status = this.queue.submit(slot);
    if (status !== OK) {
      this.req.put(slot);
      if (this.port !== null) this.port.putAutosuspend();
    }
    return status;
  }

  private serve(slot: number): number {
    if (this.held()) return BUSY;
    const kind = this.req.kind[slot];
    const buf = this.req.buffer[slot];
    const address = this.req.address[slot];
    if (kind === R_READ) return this.flash.read(address, buf as Uint8Array) ? OK : IO;
    const started = kind === R_PROGRAM ? this.flash.program(address, buf as Uint8Array) : this.flash.eraseSector(address);
    if (!started) return IO;
    if (kind === R_PROGRAM) this.poller.start(BY_QUEUE, PP_TYP_US, PP_MAX_US);
    else this.poller.start(BY_QUEUE, SE_TYP_US, SE_MAX_US);
    // The idle governor does not sleep while the chip programs or erases for us.
    if (this.port !== null && !this.locked) {
      this.locked = true;
      this.port.lock();
    }
    return PENDING;
  }
}

function never(): boolean {
  return false;
}
