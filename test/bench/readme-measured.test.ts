// The README's "Measured" block quotes bench/results.json exactly: a re-baselined bench that did not rewrite it fails here.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { measuredBlock, withBlock, BEGIN, END } from "../../bench/readme-block";
import type { BenchResults } from "../../bench/run";

const root = path.join(__dirname, "..", "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
const results = JSON.parse(fs.readFileSync(path.join(root, "bench", "results.json"), "utf8")) as BenchResults;

describe("README.md, ## Measured", () => {
  it("holds the block generated from the committed bench/results.json (`npm run bench -- --update` rewrites both)", () => {
    expect(readme).toBe(withBlock(readme, measuredBlock(results)));
  });

  it("the block sits under ## Measured and names every baseline and the N the bench ran", () => {
    const measured = readme.indexOf("## Measured");
    const block = readme.slice(readme.indexOf(BEGIN), readme.indexOf(END));
    expect([measured >= 0, readme.indexOf(BEGIN) > measured]).toEqual([true, true]);
    for (const name of ["sync-or-Promise", "+ records", "tuned async", "naive async"]) expect(block).toContain(name);
    for (const s of results.xs.sizes) expect(block).toContain(`| ${s.n.toLocaleString("en-US")} | **${Math.round(s.runtime.computePerDevice).toLocaleString("en-US")}** |`);
  });

  it("a README without the markers gets an error naming them", () => {
    expect(() => withBlock("# x\n", "y")).toThrow(/measured block markers are missing: put <!-- measured:begin/);
  });
});
