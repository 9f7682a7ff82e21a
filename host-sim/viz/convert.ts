// CLI: a saved console capture (`status`, `devices`, `trace dump`) to an HTML timeline and/or Perfetto JSON.
import { readFileSync, statSync } from "fs";
import { join } from "path";
import { modelFromDump } from "./decode-dump";
import { writeHtml } from "./html";
import { writePerfetto } from "./perfetto";
import { type FlagPath, outputPathError, sameFileError } from "../cli/output-paths";

const USAGE = [
  "usage: npm run viz:convert -- --dump FILE [--names a,b,c] [--title TEXT] [--board NAME]",
  "                                [--html OUT.html] [--perfetto OUT.json]",
  "  --dump FILE      console output saved from the board: `trace dump` (plus `status` and `devices` for names and tree)",
  "  --names a,b,c    device names in board definition order (id order), if the capture has no `status` reply",
  "  --html FILE      self-contained timeline page;  --perfetto FILE  JSON for ui.perfetto.dev",
].join("\n");

export interface ConvertArgs {
  dump: string;
  names: string[] | null;
  html: string | null;
  perfetto: string | null;
  title: string | null;
  board: string | null;
}

/** Parses argv (without node and the script). Throws naming the bad flag and the fix. */
export function parseConvertArgs(argv: readonly string[]): ConvertArgs {
  const out: ConvertArgs = { dump: "", names: null, html: null, perfetto: null, title: null, board: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = (): string => {
      if (value === undefined || value.startsWith("--")) throw new Error(flag + " needs a value\n" + USAGE);
      i++;
      return value;
    };
    if (flag === "--dump") out.dump = need();
    else if (flag === "--names") out.names = need().split(",").map((s) => s.trim()).filter((s) => s !== "");
    else if (flag === "--html") out.html = need();
    else if (flag === "--perfetto") out.perfetto = need();
    else if (flag === "--title") out.title = need();
    else if (flag === "--board") out.board = need();
    else if (flag === "--help" || flag === "-h") throw new Error(USAGE);
    else throw new Error("unknown argument " + JSON.stringify(flag) + "\n" + USAGE);
  }
  if (out.dump === "") throw new Error("--dump FILE is required (the saved console output of `trace dump`)\n" + USAGE);
  if (out.html === null && out.perfetto === null) throw new Error("nothing to write: give --html FILE and/or --perfetto FILE\n" + USAGE);
  return out;
}

/** Runs the conversion; returns the lines it would print. */
export function convert(args: ConvertArgs): string[] {
  // Before the capture is read or an output opened: --html on the capture would replace a board's only copy of its trace.
  const outputs: FlagPath[] = [];
  if (args.html !== null) outputs.push({ flag: "--html", path: args.html });
  if (args.perfetto !== null) outputs.push({ flag: "--perfetto", path: args.perfetto });
  const bad = sameFileError([{ flag: "--dump", path: args.dump }], outputs) ?? outputPathError(outputs);
  if (bad !== null) throw new Error(bad);
  let text: string;
  try {
    if (statSync(args.dump).isDirectory()) throw new Error("--dump " + args.dump + " is a folder; give the capture file in it, e.g. " + join(args.dump, "uart0.log"));
    text = readFileSync(args.dump, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    throw new Error("cannot read --dump " + args.dump + " (" + code + "): " + (code === "ENOENT" ? "no such file; give the path of the saved console output" : "check the path and its permissions"));
  }
  const model = modelFromDump(text, {
    names: args.names, title: args.title ?? "quiesce timeline: " + args.dump, board: args.board ?? "",
  });
  const lines = [model.records + " records, " + model.devices.length + " devices, " + model.attempts.length + " attempts" +
    (model.unmatched > 0 ? ", " + model.unmatched + " unmatched (ring overwrote their begin)" : "")];
  for (const [flag, file, put, hint] of [["--html", args.html, writeHtml, ""], ["--perfetto", args.perfetto, writePerfetto, " (open it in https://ui.perfetto.dev)"]] as const) {
    if (file === null) continue;
    try {
      put(model, file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error("could not write " + flag + " " + file + " (" + (code ?? (e instanceof Error ? e.message : String(e))) + "): give a writable path in an existing folder");
    }
    lines.push("wrote " + file + hint);
  }
  return lines;
}

if (require.main === module) {
  try {
    for (const line of convert(parseConvertArgs(process.argv.slice(2)))) console.log(line);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
}
