// The redesign's two source rules hold on the real tree, and each check catches what it is for.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { driverImports, stageComparisons } from "./protocol-rules";
import { checkProtocol, STAGES } from "../../runtime/protocol";

const ROOT = path.resolve(__dirname, "..", "..");

function fakeTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quiesce-rules-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe("stage ids are compared only in runtime/protocol.ts", () => {
  it("holds for runtime/", () => {
    expect(stageComparisons(ROOT)).toEqual([]);
  });

  it("flags a comparison with a stage constant or a stage value, not an index, an argument or a comment", () => {
    const dir = fakeTree({
      "runtime/protocol.ts": "if (stage === S_PREPARE) x();\n",
      "runtime/pm.ts": [
        "if (stage === S_PREPARE) a();", "if (S_POWER_OFF >= s) b();", "if (this.failedStage < 0) c();",
        "t[S_RESUME] = 1;", "run(S_SUSPEND);", "// stage === S_PREPARE in a comment", "switch (s) { case S_RESUME: }",
      ].join("\n"),
    });
    expect(stageComparisons(dir).map((f) => f.file + ":" + f.line)).toEqual([
      path.join("runtime", "pm.ts") + ":1", path.join("runtime", "pm.ts") + ":2", path.join("runtime", "pm.ts") + ":3",
      path.join("runtime", "pm.ts") + ":7",
    ]);
  });
});

describe("drivers see the port, status codes and the request queue only", () => {
  it("holds for drivers/", () => {
    expect(driverImports(ROOT)).toEqual([]);
  });

  it("flags runtime/pm and any other runtime module", () => {
    const dir = fakeTree({
      "drivers/x/x.ts": [
        'import type { PowerManager } from "../../runtime/pm";', 'import { OK } from "../../runtime/status";',
        'import { StageEngine } from "../../runtime/engine";', 'import type { DevicePort } from "../../runtime/port";',
      ].join("\n"),
    });
    expect(driverImports(dir).map((f) => f.line)).toEqual([1, 3]);
  });
});

describe("the protocol table", () => {
  it("is consistent and frozen", () => {
    expect(checkProtocol()).toBeNull();
    expect(Object.isFrozen(STAGES)).toBe(true);
    for (const row of STAGES) expect(Object.isFrozen(row)).toBe(true);
  });

  it("names the whole cycle in order, with a mirror for every suspend stage", () => {
    const cycle: string[] = [];
    for (let s = 0; s >= 0; s = STAGES[s].next) cycle.push(STAGES[s].short);
    expect(cycle).toEqual(["S1", "S2", "S3", "sleep", "R1", "R2", "release"]);
    expect(STAGES.filter((r) => r.mirror >= 0).map((r) => r.short + "->" + STAGES[r.mirror].short)).toEqual(["S1->release", "S2->R2", "S3->R1"]);
  });
});
