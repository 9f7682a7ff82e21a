// Host-side decoder of the console's `trace dump` text back into trace records (never bundled into firmware: it allocates).

/** One decoded trace record, fields as in runtime/trace.ts. */
export interface DumpRecord {
  time: number;
  device: number;
  stage: number;
  event: number;
  status: number;
}

/** Bytes per record in a dump line after "T ": f64le time, i16le device, i8 stage, u8 event, i16le status. */
export const DUMP_RECORD_BYTES = 14;

/**
 * Decodes every "T <28 hex digits>" line between "trace dump begin" and "trace dump end" in `text`
 * (other lines, prompts and progress output around it are ignored). Throws naming the line when a
 * record line is malformed or the count in the header does not match.
 */
export function decodeTraceDump(text: string): DumpRecord[] {
  const lines = text.split(/\r?\n/);
  const out: DumpRecord[] = [];
  const bytes = new Uint8Array(DUMP_RECORD_BYTES);
  const view = new DataView(bytes.buffer);
  let expected = -1;
  let inside = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^> /, "");
    const begin = /^trace dump begin: (\d+) records of \d+ written/.exec(line);
    if (begin !== null) {
      expected = Number(begin[1]);
      inside = true;
      continue;
    }
    if (!inside) continue;
    if (line.startsWith("trace dump end:")) {
      inside = false;
      break;
    }
    if (!line.startsWith("T ")) continue;
    const hex = line.slice(2);
    if (!/^[0-9a-f]+$/.test(hex) || hex.length !== 2 * DUMP_RECORD_BYTES) {
      throw dumpError("trace dump line " + (i + 1) + " is not a record (" + 2 * DUMP_RECORD_BYTES + " hex digits after 'T '): " + line);
    }
    for (let k = 0; k < DUMP_RECORD_BYTES; k++) bytes[k] = parseInt(hex.slice(2 * k, 2 * k + 2), 16);
    out.push({
      time: view.getFloat64(0, true),
      device: view.getInt16(8, true),
      stage: view.getInt8(10),
      event: view.getUint8(11),
      status: view.getInt16(12, true),
    });
  }
  if (expected < 0) throw dumpError("no 'trace dump begin' line: capture the console output of 'trace dump'");
  if (inside) throw dumpError("trace dump has no 'trace dump end' line: the capture was cut; dump again");
  if (out.length !== expected) throw dumpError("trace dump announced " + expected + " records but holds " + out.length);
  return out;
}

/** The one place decode errors are made; host-only code, so allocating an Error here is fine. */
function dumpError(message: string): Error {
  // alloc-lint-allow new-error: host-side decoder of captured console text; never runs on the device
  return new Error(message);
}
