// The docs' TypeScript blocks are regions of real files (which npm test typechecks and runs): each block must equal its region.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
/** Pages whose ```ts blocks must each come from a `<!-- snippet: file#region -->` marker. */
const PAGES = ["docs/writing-a-driver.md", "docs/adding-a-board.md"];
const MARKER = /<!-- snippet: ([^#\s]+)#(\w+) -->\n```ts\n([\s\S]*?)```/g;

/** The lines between `// #region name` and `// #endregion name`, common indentation removed. */
export function region(file: string, name: string): string {
  const lines = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n");
  const a = lines.findIndex((l) => l.trim() === "// #region " + name);
  const z = lines.findIndex((l, i) => i > a && l.trim() === "// #endregion " + name);
  if (a < 0 || z < 0) throw new Error(file + ": no region \"" + name + "\" (// #region " + name + " ... // #endregion " + name + ")");
  const body = lines.slice(a + 1, z);
  const indent = Math.min(...body.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length));
  return body.map((l) => l.slice(indent)).join("\n") + "\n";
}

describe("docs snippets", () => {
  for (const page of PAGES) {
    it(page + ": every ```ts block is its marked region, word for word (QUIESCE_UPDATE_DOCS=1 rewrites them)", () => {
      const file = path.join(ROOT, page);
      const text = fs.readFileSync(file, "utf8");
      const blocks = (text.match(/```ts\n/g) ?? []).length;
      const marked = [...text.matchAll(MARKER)];
      expect(marked.length, page + ": a ```ts block without a <!-- snippet: file#region --> marker").toBe(blocks);
      expect(blocks).toBeGreaterThanOrEqual(3);
      const want = text.replace(MARKER, (_all, f: string, r: string) => "<!-- snippet: " + f + "#" + r + " -->\n```ts\n" + region(f, r) + "```");
      if (process.env.QUIESCE_UPDATE_DOCS === "1") {
        fs.writeFileSync(file, want);
        return;
      }
      expect(text, page + ": a snippet differs from its region: QUIESCE_UPDATE_DOCS=1 npx vitest run test/docs").toBe(want);
    });
  }
});
