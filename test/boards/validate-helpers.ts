// Board validation tests: a mutable copy of a board definition and the message validateBoard refuses it with.
import { expect } from "vitest";
import type { BoardDefinition, DriverTable } from "../../boards/types";
import { validateBoard } from "../../boards/validate";
import { DRIVERS } from "../../boards/drivers";

export type Mutable = { [key: string]: unknown };

/** A deep copy of `def`, free to edit. */
export const clone = (def: BoardDefinition): BoardDefinition => JSON.parse(JSON.stringify(def)) as BoardDefinition;

/** validateBoard's error message for `def` with `table` (an Error, checked), or "" when it validates. */
export function refusal(def: BoardDefinition, table: DriverTable = DRIVERS): string {
  try {
    validateBoard(def, table);
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return (e as Error).message;
  }
  return "";
}
