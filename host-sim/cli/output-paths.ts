// Output files (--serial-log, --html, --perfetto; viz:convert's too), checked before anything is opened: never an input or another output, always in a folder that exists.
import { accessSync, constants, existsSync, realpathSync, statSync } from "fs";
import { basename, dirname, join, resolve } from "path";

/** A path as the user gave it, with the flag that named it. */
export interface FlagPath {
  flag: string;
  path: string;
}

/** An example file name for each output flag, for the fix in a message. */
const EXAMPLE: Record<string, string> = { "--serial-log": "uart0.log", "--html": "timeline.html", "--perfetto": "trace.json" };

/**
 * What makes two names one file: its inode when it exists (a link or `./x` is the same file), else
 * the absolute path with its folder's links followed.
 */
/** Devices named so far: each is its own identity (never one file with another). */
let devicesSeen = 0;

function identity(p: string): string {
  try {
    const st = statSync(p);
    // Only a regular file can be overwritten: /dev/null twice, or a terminal as /dev/stdout and /dev/stdin, are no clash.
    if (!st.isFile()) return "device " + devicesSeen++;
    return "inode " + st.dev + ":" + st.ino;
  } catch {
    const abs = resolve(p);
    try {
      return "path " + join(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return "path " + abs;
    }
  }
}

/**
 * An output that is also an input (the scenario, the board module, the capture) or another output:
 * opening it for writing would destroy the input, or one output would silently replace the other.
 * The message names both flags and the fix; null when every output is its own file.
 */
export function sameFileError(inputs: readonly FlagPath[], outputs: readonly FlagPath[]): string | null {
  const taken = inputs.map((f) => ({ ...f, id: identity(f.path), input: true }));
  for (const o of outputs) {
    const id = identity(o.path);
    const other = taken.find((t) => t.id === id);
    if (other !== undefined) {
      const example = EXAMPLE[o.flag] ?? "out.file";
      return other.input
        ? o.flag + " " + o.path + " is the " + other.flag + " file: writing it would destroy that input; give " + o.flag + " another file, e.g. " + o.flag + " " + example
        : o.flag + " " + o.path + " is also the " + other.flag + " file: one would overwrite the other; give each its own file, e.g. " +
          other.flag + " " + (EXAMPLE[other.flag] ?? "out.file") + " " + o.flag + " " + example;
    }
    taken.push({ ...o, id, input: false });
  }
  return null;
}

/** A file to be written needs a name, no folder in its place, and a folder that exists and can be written (else the run would end without it). */
export function outputPathError(outputs: readonly FlagPath[]): string | null {
  for (const { flag, path: file } of outputs) {
    const example = EXAMPLE[flag] ?? "out.file";
    if (file.trim() === "") return flag + " needs a file name, e.g. " + flag + " " + example;
    if (existsSync(file) && statSync(file).isDirectory()) return flag + " " + file + " is a folder; give a file name in it, e.g. " + join(file, example);
    const dir = dirname(resolve(file));
    try {
      if (!statSync(dir).isDirectory()) return flag + " " + file + ": " + dir + " is no folder; give a path in an existing folder";
      // A file that exists is written in place (/dev/stdout, /dev/null for a user who cannot write in /dev); else it is made in its folder.
      if (existsSync(file)) accessSync(file, constants.W_OK);
      else accessSync(dir, constants.W_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return flag + " " + file + ": " + (code === "ENOENT" ? "no folder " + dir + "; create it first (mkdir -p " + dir + ") or give a path in an existing folder" :
        "cannot write " + (existsSync(file) ? file : "in " + dir) + " (" + (code ?? String(e)) + "); give a writable path");
    }
  }
  return null;
}
