// What a conformance check failed with: the tests of the kit's own messages read it.

/** The assertion message `check` failed with ("" if it passed). */
export function failure(check: () => void): string {
  try {
    check();
  } catch (e) {
    return (e as Error).message;
  }
  return "";
}
