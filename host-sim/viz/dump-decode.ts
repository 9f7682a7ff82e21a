// Host-side decoder of the console's `trace dump` text back into trace records (never bundled into firmware: it allocates).

/** One decoded trace record, fields as in runtime/trace.ts. */
export interface DumpRecord {
  time: number;
  device: number;
  stage: number;
  event: number;
  status: number;
  /** A hook's duration on its end record (0 in dumps from firmware before the duration column). */
  duration: number;
}

/** Bytes per record in a dump line after "T ": f64le time, i16le device, i8 stage, u8 event, i16le status, i32le duration. */
export const DUMP_RECORD_BYTES = 18;
/** The format before a hook's end record carried its duration (a call record marked its start). */
export const DUMP_RECORD_BYTES_V1 = 14;

/**
 * Decodes the "T <36 hex digits>" lines (or 28, the format without durations) between "trace dump begin" and its end in `text`. Other
 * lines, prompts and progress output around it are ignored, and so is whatever a terminal program
 * adds: CR-only or CR CR LF line ends, trailing spaces, several prompts in front of a line. The
 * console ends a dump with "trace dump end: N records", or with "trace dump cut: K of N records"
 * when a suspend began part way (the K records written are valid); a record overwritten while the
 * dump waited for TX room is a "(record overwritten ...)" line, counted and skipped. Throws naming
 * the line when a record line is malformed or the count does not match.
 */
export function decodeTraceDump(text: string): DumpRecord[] {
  // CR CR LF (a capture converted twice) is one line end, as in decode-dump.ts.
  const lines = text.split(/\r*\n|\r/);
  const out: DumpRecord[] = [];
  const bytes = new Uint8Array(DUMP_RECORD_BYTES);
  const view = new DataView(bytes.buffer);
  let expected = -1;
  let inside = false;
  let skipped = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^(> )+/, "").replace(/\s+$/, "");
    const begin = /^trace dump begin: (\d+) records of \d+ written/.exec(line);
    if (begin !== null) {
      expected = Number(begin[1]);
      inside = true;
      out.length = 0;
      skipped = 0;
      continue;
    }
    if (!inside) continue;
    if (line.startsWith("trace dump end:")) {
      inside = false;
      break;
    }
    const cut = /^trace dump cut: (\d+) of \d+ records/.exec(line);
    if (cut !== null) {
      expected = Number(cut[1]);
      inside = false;
      break;
    }
    if (line.startsWith("(record overwritten")) {
      skipped++;
      continue;
    }
    if (!line.startsWith("T ")) continue;
    const hex = line.slice(2);
    if (!/^[0-9a-fA-F]+$/.test(hex) || (hex.length !== 2 * DUMP_RECORD_BYTES && hex.length !== 2 * DUMP_RECORD_BYTES_V1)) {
      throw dumpError("trace dump line " + (i + 1) + " is not a record (" + 2 * DUMP_RECORD_BYTES + " hex digits after 'T '): " + line);
    }
    const size = hex.length / 2;
    for (let k = 0; k < size; k++) bytes[k] = parseInt(hex.slice(2 * k, 2 * k + 2), 16);
    out.push({
      time: view.getFloat64(0, true),
      device: view.getInt16(8, true),
      stage: view.getInt8(10),
      event: view.getUint8(11),
      status: view.getInt16(12, true),
      duration: size === DUMP_RECORD_BYTES ? view.getInt32(14, true) : 0,
    });
  }
  if (expected < 0) throw dumpError("no 'trace dump begin' line: capture the console output of 'trace dump'");
  if (inside) throw dumpError("trace dump has no 'trace dump end' line: the capture was cut; dump again");
  if (out.length + skipped !== expected) throw dumpError("trace dump announced " + expected + " records but holds " + (out.length + skipped));
  return out;
}

/** The one place decode errors are made; host-only code, so allocating an Error here is fine. */
function dumpError(message: string): Error {
  // alloc-lint-allow new-error: host-side decoder of captured console text; never runs on the device
  return new Error(message);
}
