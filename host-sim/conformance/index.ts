// Public surface of the conformance kit ("quiesce/conformance"): run quiesce's driver checks over your driver on your simulated board.
export { describeDriverConformance } from "./kit";
export { makeCaseBoard } from "./case";
export type { CaseBoard, DriverCase } from "./case";
