// Host-side writer of the console's `trace dump` text for a ring (same format as the console shell (console/), for saved simulator runs).
import type { TraceRing } from "../../runtime/trace";
import { DUMP_RECORD_BYTES } from "./dump-decode";

const HEADER_TAIL = " written, " + DUMP_RECORD_BYTES + " bytes each, oldest first (f64le time us, i16le device, i8 stage, u8 event, i16le status, i32le duration us)";

/**
 * The record bytes are what console/reports.ts prints (tx-ring hexF64/hexI16: little
 * endian), one "T " line per record, oldest first, CR LF line ends like the UART. Allocates: host only.
 */
export function encodeTraceDump(trace: TraceRing): string {
  const n = trace.length;
  const bytes = new Uint8Array(DUMP_RECORD_BYTES);
  const view = new DataView(bytes.buffer);
  const lines: string[] = ["trace dump begin: " + n + " records of " + trace.total + HEADER_TAIL];
  for (let i = 0; i < n; i++) {
    const s = trace.slot(i);
    view.setFloat64(0, trace.time[s], true);
    view.setInt16(8, trace.deviceAt(s), true);
    view.setInt8(10, trace.stageAt(s));
    view.setUint8(11, trace.eventAt(s));
    view.setInt16(12, trace.statusAt(s), true);
    view.setInt32(14, trace.duration[s], true);
    let hex = "T ";
    for (let k = 0; k < DUMP_RECORD_BYTES; k++) hex += (bytes[k] < 16 ? "0" : "") + bytes[k].toString(16);
    lines.push(hex);
  }
  lines.push("trace dump end: " + n + " records");
  return lines.join("\r\n") + "\r\n";
}
