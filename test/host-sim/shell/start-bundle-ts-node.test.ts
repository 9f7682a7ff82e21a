// `npm start -- --board` with a board whose own files read __dirname: run from its sources through ts-node (about 5 s), so in `npm run test:deep`.
import { spawnSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { ROOT, removeBundleOf } from "./start-cache";

describe("npm start (scripts/start.js), a board that needs its own folder", () => {
  it("a board whose own files read __dirname runs from its sources (in a bundle __dirname would be .cache/)", () => {
    const dir = mkdtempSync(join(tmpdir(), "quiesce-board-"));
    writeFileSync(join(dir, "note.txt"), "read beside the board\n");
    writeFileSync(join(dir, "sim.ts"), "import { readFileSync } from \"fs\";\nimport { join } from \"path\";\n" +
      "export { pirWiring } from " + JSON.stringify(join(ROOT, "examples/custom-driver/sim.ts")) + ";\n" +
      "export const NOTE = readFileSync(join(__dirname, \"note.txt\"), \"utf8\");\n");
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "start.js"), "--board", join(dir, "sim.ts"), "--expect-text", "type help"], {
      cwd: ROOT, encoding: "utf8", timeout: 60_000,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS boot and watch the serial output/m);
    removeBundleOf(join(dir, "sim.ts"));
  });
});
