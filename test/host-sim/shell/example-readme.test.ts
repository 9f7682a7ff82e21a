// examples/custom-driver/README.md quotes the simulator's progress lines: each quoted line is one the simulated board prints, so it works as wait-serial text.
import { readFileSync } from "fs";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { Session } from "../../../host-sim/cli/session";
import { APP_WIRING } from "../../../examples/custom-driver/sim";

const README = readFileSync(join(__dirname, "../../../examples/custom-driver/README.md"), "utf8");

describe("examples/custom-driver/README.md, Run it in the simulator", () => {
  it("quotes progress lines the board prints, exactly (a copied figure or single-spaced columns fail a wait-serial)", () => {
    const section = README.slice(README.indexOf("## Run it in the simulator"));
    const quoted = [...section.matchAll(/`((?:S[123]|R[12]) [^`]+|suspend begins: [a-z]+)`/g)].map((m) => m[1]);
    // Before: `S1 prepare pir ok 19999898 us`; the board prints `S1 prepare       pir     ok 19999901 us`.
    expect(quoted).toEqual(["suspend begins: standby", "S1 prepare       pir     pending", "S1 prepare       pir     ok 19999901 us"]);
    const s = new Session(bootShellBoard({ seed: 1, wiring: APP_WIRING }), 2000);
    s.advance(31_000_000);
    for (const line of quoted) expect(s.serialLog).toContain(line);
  });
});
