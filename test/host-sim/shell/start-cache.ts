// What scripts/start.js keeps in .cache/ for a board module, so a test's temporary board leaves nothing behind.
import { createHash } from "crypto";
import { rmSync } from "fs";
import { join, resolve } from "path";

/** The checkout the tests run start.js from. */
export const ROOT = resolve(__dirname, "..", "..", "..");

/** Removes the bundle start.js made for the board module at `file` (named by its path's SHA-1), its inputs and code cache. */
export function removeBundleOf(file: string): void {
  const out = join(ROOT, ".cache", "board-" + createHash("sha1").update(file).digest("hex").slice(0, 16) + ".js");
  for (const f of [out, out + ".inputs.json", out + ".v8cache"]) rmSync(f, { force: true });
}
