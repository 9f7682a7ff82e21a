// Command line for the allocation lint: `ts-node --transpile-only test/lint/alloc-lint-cli.ts runtime drivers`.
import { runCli } from "./alloc-lint-run";

process.exitCode = runCli(
  process.argv.slice(2),
  (line) => process.stdout.write(line + "\n"),
  (line) => process.stderr.write(line + "\n"),
);
