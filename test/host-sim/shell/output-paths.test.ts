// Output paths that are devices, not files: /dev/null twice or a terminal is no clash, and a file that exists is checked itself, not its folder.
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { outputPathError, sameFileError } from "../../../host-sim/cli/output-paths";

describe("output paths", () => {
  it("two outputs to /dev/null, or a device as input and output, are no clash (only a regular file can be overwritten)", () => {
    expect(sameFileError([], [{ flag: "--serial-log", path: "/dev/null" }, { flag: "--perfetto", path: "/dev/null" }])).toBeNull();
    expect(sameFileError([{ flag: "--scenario", path: "/dev/null" }], [{ flag: "--serial-log", path: "/dev/null" }])).toBeNull();
    // A regular file still is.
    const dir = mkdtempSync(join(tmpdir(), "quiesce-out-"));
    const f = join(dir, "x.json");
    writeFileSync(f, "{}");
    expect(sameFileError([], [{ flag: "--html", path: f }, { flag: "--perfetto", path: f }])).toMatch(/^--perfetto \S+ is also the --html file/);
  });

  it("a device that exists is written in place: /dev/null and /dev/stdout pass whatever the folder's permissions", () => {
    expect(outputPathError([{ flag: "--serial-log", path: "/dev/null" }, { flag: "--html", path: "/dev/stdout" }])).toBeNull();
  });
});
