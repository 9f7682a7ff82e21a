// The board this folder stands for, under the module name a multi-board main imports ("quiesce-board"): its definition and driver table.
export { MODDABLE_TWO as definition, MODDABLE_TWO_DRIVERS as drivers } from "boards/moddable-two/board";
