// Bundles an engine-neutral TypeScript entry into one script string that an XS worker can evaluate.
import * as esbuild from "esbuild";
import { builtinModules } from "module";
import * as path from "path";

/** Global the IIFE assigns the entry's exports to; the footer reads `commands` from it. */
export const ENTRY_GLOBAL = "__quiesceEntry";

/** Global table the worker prelude dispatches from: name -> (n: number) => number. */
export const COMMANDS_GLOBAL = "__quiesceCommands";

// Runs after the entry's top level (its "boot"): merges `export const commands` into the table so an
// entry may either export the table or assign globalThis.__quiesceCommands itself. The bundle is strict
// and evaluated by indirect eval, so its `var` stays local to the script: read it by name, not off g.
const REGISTER_FOOTER =
  `(function (g, e) { var t = g.${COMMANDS_GLOBAL} || {};` +
  ` if (e && e.commands) { for (var k in e.commands) t[k] = e.commands[k]; }` +
  ` g.${COMMANDS_GLOBAL} = t; })(globalThis, ${ENTRY_GLOBAL});`;

const NODE_BUILTINS = new Set(builtinModules);

function isNodeBuiltin(spec: string): boolean {
  if (spec.startsWith("node:")) return true;
  const top = spec.split("/")[0];
  return NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(top);
}

// esbuild on platform "neutral" already fails to resolve "fs", but with a message that does not say
// why; this plugin names the importer and the rule, so the author knows to move Node code out.
const rejectNodeImports: esbuild.Plugin = {
  name: "quiesce-reject-node-imports",
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (!isNodeBuiltin(args.path)) return undefined;
      const from = args.importer ? path.relative(process.cwd(), args.importer) : "<entry>";
      return {
        errors: [
          {
            text:
              `Node module "${args.path}" imported from ${from}: code bundled for XS must be ` +
              `engine-neutral (no Node APIs). Move the Node-only code out of the bundled import graph ` +
              `or pass the capability in from the board.`,
          },
        ],
      };
    });
  },
};

export class XsBundleError extends Error {
  constructor(entryFile: string, messages: string[]) {
    super(`esbuild could not bundle ${entryFile} for XS:\n  ${messages.join("\n  ")}`);
    this.name = "XsBundleError";
  }
}

/**
 * Bundles `entryFile` (iife, es2022, platform neutral) and returns the script text.
 * The entry's top level runs when the worker evaluates the script; its exported `commands`
 * table is registered on globalThis.__quiesceCommands.
 */
export async function bundleForXs(entryFile: string): Promise<string> {
  const entry = path.resolve(entryFile);
  let result: esbuild.BuildResult<{ write: false }>;
  try {
    result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: "iife",
      globalName: ENTRY_GLOBAL,
      target: "es2022",
      platform: "neutral",
      // "neutral" resolves no package main fields by default; engine-neutral deps still need them.
      mainFields: ["module", "main"],
      legalComments: "none",
      logLevel: "silent",
      plugins: [rejectNodeImports],
      footer: { js: REGISTER_FOOTER },
    });
  } catch (err) {
    const failure = err as esbuild.BuildFailure;
    if (Array.isArray(failure.errors)) {
      throw new XsBundleError(entryFile, failure.errors.map(formatMessage));
    }
    throw err;
  }
  if (result.errors.length > 0) throw new XsBundleError(entryFile, result.errors.map(formatMessage));
  const out = result.outputFiles[0];
  if (out === undefined) throw new XsBundleError(entryFile, ["esbuild produced no output file"]);
  return out.text;
}

function formatMessage(m: esbuild.Message): string {
  const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : "";
  return where + m.text;
}
