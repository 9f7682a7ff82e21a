// Console `stats` ends with the board's IRQ event queue health (pm.stats.irqQueueOverflows / irqQueueMaxDepth).
import { describe, expect, it } from "vitest";
import { Rig } from "../console/sim";

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
