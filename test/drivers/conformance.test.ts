// Driver conformance: every shipped driver of both boards through the kit (host-sim/conformance): full cycles, injected failures, chip resets, no timing violation.
import { describeDriverConformance, type DriverCase } from "../../host-sim/conformance";
import { DEVKITC_CASES, MODDABLE_TWO_CASES } from "./cases";

/** Every driver of every board, through the same checks. */
export const CASES: DriverCase[] = [...DEVKITC_CASES, ...MODDABLE_TWO_CASES];

describeDriverConformance(CASES);
