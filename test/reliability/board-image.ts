// Watches the W25Q model's hibernate image header: which hibernate attempt wrote what is on flash, and what each reboot restored.
import type { W25q as W25qModel } from "../../host-sim/models/w25q";
import { IMAGE_HEADER_BYTES, IMAGE_MAGIC, get32 } from "../../drivers/w25q/image";

/** One hibernate attempt begun (on any boot): its global index and the attempt its image header must carry. */
export interface HibernateBegin { index: number; boot: number; seq: number; at: number }
/** One boot after a deep sleep: what was on flash, and whether the runtime resumed from it. */
export interface Restore { boot: number; resumed: boolean; headerValid: boolean; headerSeq: number; writer: number; lastHibernate: number; lastSeq: number }

/**
 * The header is read on every /CS rise of the flash (instructions take effect then), so every change is
 * seen with the hibernate attempt in progress at that moment: `writer` is the index of the attempt that
 * last changed the header into a valid one (-1: no valid image, or one written outside any hibernate).
 */
export class ImageWatch {
  readonly hibernates: HibernateBegin[] = [];
  readonly restores: Restore[] = [];
  /** The hibernate attempt whose stages are running now (-1: none). */
  current = -1;
  writer = -1;
  private readonly last = new Uint8Array(IMAGE_HEADER_BYTES);
  private readonly model: W25qModel;
  private readonly address: number;

  constructor(model: W25qModel, address: number) {
    this.model = model;
    this.address = address;
    this.last.set(model.memory.subarray(address, address + IMAGE_HEADER_BYTES));
    const deselect = model.spiDeselect.bind(model);
    model.spiDeselect = () => {
      deselect();
      this.look();
    };
  }

  /** A hibernate attempt began (pm.flight.total + 1 is the attempt its header will carry). */
  begin(boot: number, seq: number, at: number): void {
    this.current = this.hibernates.length;
    this.hibernates.push({ index: this.current, boot, seq, at });
  }

  /** The attempt ended (or the firmware rebooted): later header changes belong to no hibernate. */
  end(): void {
    this.current = -1;
  }

  get valid(): boolean {
    return get32(this.model.memory, this.address) === IMAGE_MAGIC;
  }

  get headerSeq(): number {
    return get32(this.model.memory, this.address + 12);
  }

  /** A boot after a deep sleep is about to read the image: note what it will find. */
  beforeBoot(boot: number): Restore {
    this.look();
    const last = this.hibernates.length - 1;
    const r: Restore = {
      boot, resumed: false, headerValid: this.valid, headerSeq: this.headerSeq, writer: this.writer,
      lastHibernate: last, lastSeq: last >= 0 ? this.hibernates[last].seq : -1,
    };
    this.restores.push(r);
    this.current = -1;
    return r;
  }

  private look(): void {
    const mem = this.model.memory;
    const a = this.address;
    let changed = false;
    for (let i = 0; i < IMAGE_HEADER_BYTES; i++) {
      if (mem[a + i] !== this.last[i]) { changed = true; this.last[i] = mem[a + i]; }
    }
    if (!changed) return;
    this.writer = this.valid ? this.current : -1;
  }
}

/** Why a restore broke "no image older than the last hibernate", or null. */
export function staleRestore(r: Restore): string | null {
  if (!r.resumed) return null;
  if (!r.headerValid) return "boot " + r.boot + " resumed although no valid image header was on flash";
  if (r.writer !== r.lastHibernate) {
    return "boot " + r.boot + " restored the image written by hibernate #" + r.writer + ", but the last hibernate was #" + r.lastHibernate;
  }
  if (r.headerSeq !== r.lastSeq) return "boot " + r.boot + " restored an image of attempt " + r.headerSeq + ", the last hibernate was attempt " + r.lastSeq;
  return null;
}
