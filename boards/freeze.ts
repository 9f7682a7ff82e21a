// deepFreeze for board data: a definition and everything it holds, frozen at module top level so xsl keeps it in flash.

/**
 * xsl warns "not frozen" for every preloaded object left writable and would alias it into RAM on the
 * first write; board data is never written after load (boot copies what it adapts). Board data is a
 * tree of plain objects and arrays (no cycles), so plain recursion suffices; functions are left as
 * they are. Returns `value` for use as an initializer.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    const fields = value as { readonly [key: string]: unknown };
    for (const key of Object.keys(fields)) deepFreeze(fields[key]);
    Object.freeze(value);
  }
  return value;
}
