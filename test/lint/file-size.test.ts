// Every runtime file stays readable: at most 300 lines, opening with one line that says what it is for.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { tsFiles } from "./protocol-rules";

const ROOT = path.join(__dirname, "..", "..");

describe("runtime file shape", () => {
  it("each runtime/*.ts is at most 300 lines and starts with a one-line // comment", () => {
    const bad: string[] = [];
    for (const file of tsFiles(ROOT, "runtime")) {
      const lines = fs.readFileSync(path.join(ROOT, file), "utf8").replace(/\n$/, "").split("\n");
      if (lines.length > 300) bad.push(file + ": " + lines.length + " lines (split it: at most 300)");
      if (!/^\/\/ \S/.test(lines[0])) bad.push(file + ": first line is not a // comment saying what the file is for");
    }
    expect(bad).toEqual([]);
  });
});
