// Steady-state allocation of the simulated IO under V8 --jitless (run in a child: the runner has no --expose-gc).
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

describe("simulated IO allocates nothing in steady state", () => {
  it("20000 cycles of GPIO edges, SMBus, SPI, UART TX/RX and clock advance: heap flat", () => {
    const script = path.join(__dirname, "alloc-soak.ts");
    const out = execFileSync(process.execPath, ["--expose-gc", "--jitless", "--max-semi-space-size=64", "-r", "ts-node/register/transpile-only", script], {
      cwd: path.join(__dirname, "../../.."),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const r = JSON.parse(out.trim().split("\n").pop() as string);
    expect({ cycles: r.cycles, presses: r.presses, got: r.got, posted: r.posted, overflows: r.overflows }).toEqual({ cycles: 20000, presses: 40000, got: 80000, posted: 120000, overflows: 0 });
    // One HeapNumber per cycle would be 12+ bytes x 20000 = 240 KB; measured ~2 KB (GC bookkeeping).
    expect(r.heapDeltaBytes).toBeLessThan(32 * 1024);
  });
});
