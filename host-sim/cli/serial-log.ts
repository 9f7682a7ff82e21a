// --serial-log FILE: everything the board sends on UART0, as a serial monitor would save it, ready for `npm run viz:convert`.
import { closeSync, openSync, writeSync } from "fs";
import type { Subscription } from "rxjs";
import type { Session } from "./session";
import { P_IDLE } from "../../runtime/phase";

/** Virtual time allowed for the closing `status`, `devices` and `trace dump` (a 512-record dump takes ~2 s at 115200 baud). */
const CAPTURE_US = 30_000_000;

export class SerialLog {
  private readonly fd: number;
  private sub: Subscription | null = null;
  bytes = 0;

  /** Opens (truncates) `path`; throws an Error naming the file when it cannot be written. */
  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, "w");
    } catch (e) {
      throw new Error("--serial-log " + path + ": cannot open it for writing (" + ((e as NodeJS.ErrnoException).code ?? String(e)) + "); give a writable path in an existing folder");
    }
  }

  /** The first write error (EIO, ENOSPC on a full disk): the log stops there and the run ends with exit 3, not a stack trace. */
  error: string | null = null;

  attach(session: Session): void {
    this.sub = session.serial$.subscribe((text) => this.write(text));
  }

  private write(text: string): void {
    if (this.error !== null) return;
    const b = Buffer.from(text, "utf8");
    try {
      writeSync(this.fd, b);
      this.bytes += b.length;
    } catch (e) {
      this.error = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    }
  }

  /**
   * Ends the log with what viz:convert needs to draw the session: the device names (`status`), the
   * tree (`devices`) and the trace ring (`trace dump`), typed as a user would. Skipped while the board
   * sleeps (a typed byte would wake it) or is mid-suspend; answers what was done, for a notice.
   */
  closeWithCapture(session: Session): string {
    const phase = session.board.pm.phase;
    let note: string;
    if (phase !== P_IDLE) {
      note = "the board is not idle (" + (session.board.asleep() ?? "mid-suspend") + "), so no trace dump was appended; type `trace dump` before quitting to make it convertible";
    } else {
      let ok = true;
      for (const [command, last] of [["status", "last outcome"], ["devices", "> "], ["trace dump", "trace dump end"]]) {
        const from = session.serialLog.length;
        session.sendLine(command);
        ok = session.advance(CAPTURE_US, () => {
          const at = session.serialLog.indexOf(last, from + command.length);
          return at >= 0 && session.serialLog.endsWith("> ");
        }) && ok;
      }
      note = ok ? "status, devices and trace dump appended: npm run viz:convert -- --dump " + this.path + " --html timeline.html"
        : "the closing trace dump did not finish; the log may not convert";
    }
    this.sub?.unsubscribe();
    try {
      closeSync(this.fd);
    } catch (e) {
      this.error ??= (e as NodeJS.ErrnoException).code ?? String(e);
    }
    return "serial log " + this.path + " (" + this.bytes + " bytes): " + note;
  }
}
