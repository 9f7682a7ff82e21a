// Faults and power cycles reach a board's chip models by device name; a custom model without them is named with the fix.
import { expect, test } from "vitest";
import { SimBoard, type SimModelContext } from "../../../host-sim";
import { pirWiring } from "../../../examples/custom-driver/sim";

function boardWithPir(model: (ctx: SimModelContext) => unknown): SimBoard {
  const w = pirWiring();
  return new SimBoard({ ...w, models: w.models.map((m) => (m.device === "pir" ? { kind: "custom" as const, device: "pir", attach: model } : m)) }, { seed: 1 });
}

test("a custom model without setFault or reset: chipFault and chipReset say which method is missing and what it is for", () => {
  const noFault = boardWithPir(() => ({ reset(): void {} }));
  expect(() => noFault.chipFault("pir", "nak")).toThrow("SimBoard: the model behind \"pir\" has no setFault(kind): give it setFault(kind) and reset() " +
    "so faults and power cycles (the conformance kit's brokenChip and chipReset cases) reach it");
  const noReset = boardWithPir(() => ({ setFault(): void {} }));
  expect(() => noReset.chipReset("pir")).toThrow("SimBoard: the model behind \"pir\" has no reset(): give it");
});

test("a device with no model at all is named with the models there are", () => {
  const sim = boardWithPir(() => ({ setFault(): void {}, reset(): void {} }));
  expect(() => sim.chipReset("nobody")).toThrow("SimBoard: no chip model behind \"nobody\"; models: pir, led, flash, console");
});
