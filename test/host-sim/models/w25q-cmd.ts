// One SPI /CS cycle on the W25Q model, for the flash model's suites.
import type { W25q } from "../../../host-sim/models/w25q";

/** Sends `bytes`, then clocks `readLen` more, and returns what came back during those. */
export function cmd(f: W25q, bytes: number[], readLen = 0): number[] {
  const tx = new Uint8Array(bytes.length + readLen);
  tx.set(bytes);
  const rx = new Uint8Array(tx.length);
  f.spiSelect();
  f.spiTransfer(tx, rx, tx.length);
  f.spiDeselect();
  return Array.from(rx.subarray(bytes.length));
}
