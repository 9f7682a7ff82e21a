// Scenario files as YAML (the `yaml` package, host only): bytes checked and bounded, parsed with line:col, errors on one escaped line.
import { Alias, CST, Lexer, LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from "yaml";

/** Limits, documented in host-sim/scenarios/README.md: a scenario needs a few KiB, 4 levels and tens of steps. */
export const MAX_FILE_BYTES = 1 << 20;
/** Nested maps and lists (`steps:` > step > `{ ... }` is 3); checked before parsing, so 5,000 `[` cannot overflow the stack. */
export const MAX_DEPTH = 16;
/** Lexer tokens (words, strings, punctuation, spaces): bounds yaml's parse time (about 10 us a token on error paths). */
export const MAX_TOKENS = 100_000;
/** Values in the file, counting each alias's expansion: bounds the work an anchor/alias bomb can ask for. */
export const MAX_NODES = 100_000;
/** Alias expansions, yaml's own guard (`maxAliasCount`) on top of MAX_NODES. */
export const MAX_ALIASES = 100;
/** Characters of the offending text an error quotes. */
export const QUOTE_CHARS = 60;

/** A parsed value: `line` (1-based) is what steps report; `at` is the source offset errors quote from. */
export type YNode =
  | { kind: "scalar"; value: string; quoted: boolean; line: number; at: number }
  | { kind: "map"; entries: YEntry[]; line: number; at: number }
  | { kind: "seq"; items: YNode[]; line: number; at: number }
  | { kind: "null"; line: number; at: number };

export interface YEntry {
  key: string;
  keyLine: number;
  keyAt: number;
  value: YNode;
}

/** `file:line:col: reason: "quote"` on one line, control bytes escaped; `reason` alone is kept for tests. */
export class ScenarioError extends Error {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly reason: string;
  readonly quote: string;
  constructor(file: string, line: number, col: number, reason: string, quote = "") {
    const where = escapeText(file) + (line > 0 ? ":" + line + ":" + col : "");
    super(where + ": " + escapeText(reason) + (quote === "" ? "" : ": \"" + quote + "\""));
    this.name = "ScenarioError";
    this.file = file;
    this.line = line;
    this.col = col;
    this.reason = reason;
    this.quote = quote;
  }
}

/**
 * Control characters as escapes (`\x1b`, `\t`, `\u0085`, bidi overrides as `\u202e`), so an error
 * printed to a terminal shows the bytes instead of obeying them, and always stays on one line.
 */
export function escapeText(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/g, (c, i: number) => {
    const code = c.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdfff) {
      const pair = code < 0xdc00 ? s.charCodeAt(i + 1) : s.charCodeAt(i - 1);
      if (pair >= (code < 0xdc00 ? 0xdc00 : 0xd800) && pair <= (code < 0xdc00 ? 0xdfff : 0xdbff)) return c;
    }
    if (c === "\t") return "\\t";
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    return code < 0x100 ? "\\x" + code.toString(16).padStart(2, "0") : "\\u" + code.toString(16).padStart(4, "0");
  });
}

/** A value the user wrote, for a reason: escaped and cut, in backquotes. */
export function show(v: string, max = 40): string {
  const e = escapeText(v);
  return "`" + (e.length > max ? e.slice(0, max - 3) + "..." : e) + "`";
}

/** The file's text with its line index: every error quotes the line it points at. */
export class Src {
  readonly lines = new LineCounter();
  constructor(readonly file: string, readonly text: string) {
    this.lines.addNewLine(0);
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lines.addNewLine(i + 1);
  }

  lineOf(at: number): number {
    return this.lines.linePos(at).line;
  }

  /** A ScenarioError at source offset `at`, quoting that line (around the column if it is long). */
  error(at: number, reason: string): ScenarioError {
    at = Math.max(0, Math.min(at, this.text.length));
    // At the end of the file (an unclosed quote or bracket), point at the end of the last line with text.
    if (this.text.slice(at).trim() === "") at = Math.min(at, this.text.trimEnd().length);
    const pos = this.lines.linePos(at);
    const start = this.lines.lineStarts[pos.line - 1] ?? 0;
    let end = this.text.indexOf("\n", start);
    if (end < 0) end = this.text.length;
    const line = this.text.slice(start, end).replace(/\r$/, "");
    let from = 0;
    while (from < line.length && line[from] === " ") from++;
    let body = line.slice(from).trimEnd();
    let cut = escapeText(body);
    if (cut.length > QUOTE_CHARS) {
      const skip = Math.max(0, Math.min(pos.col - 1 - from - 20, body.length - 40));
      body = body.slice(skip);
      cut = (skip > 0 ? "..." : "") + escapeText(body);
      if (cut.length > QUOTE_CHARS) cut = cut.slice(0, QUOTE_CHARS - 3) + "...";
    }
    return new ScenarioError(this.file, pos.line, pos.col, reason, cut);
  }
}

/** The first offset of `bytes` that is not well-formed UTF-8 (overlongs, surrogates, > U+10FFFF included), or -1. */
export function invalidUtf8At(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) { i++; continue; }
    const n = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (n < 0 || i + n >= bytes.length) return i;
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (bytes[i + 1] < lo || bytes[i + 1] > hi) return i;
    for (let k = 2; k <= n; k++) if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i;
    i += n + 1;
  }
  return -1;
}

/** A file's bytes as text: too big, not UTF-8 or with raw control bytes is a ScenarioError (exit 2). */
export function decodeScenario(file: string, bytes: Uint8Array): string {
  if (bytes.length > MAX_FILE_BYTES) throw tooBig(file, bytes.length);
  const bad = invalidUtf8At(bytes);
  if (bad >= 0) {
    const src = new Src(file, Buffer.from(bytes.subarray(0, bad)).toString("utf8"));
    throw src.error(src.text.length, "not UTF-8: byte 0x" + bytes[bad].toString(16).padStart(2, "0") + " here; save the file as UTF-8 text");
  }
  return Buffer.from(bytes).toString("utf8");
}

export function tooBig(file: string, size: number): ScenarioError {
  return new ScenarioError(file, 0, 0, "the file is " + size + " bytes; a scenario file may have at most " + MAX_FILE_BYTES + " (1 MiB)");
}

/** Parses `text` (one YAML document) within the limits above. Throws ScenarioError; never a stack overflow. */
export function parseYaml(file: string, text: string): { root: YNode; src: Src } {
  if (text.length > MAX_FILE_BYTES) throw tooBig(file, Buffer.byteLength(text));
  const src = new Src(file, text);
  const ctl = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]/.exec(text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, "ok"));
  if (ctl !== null) {
    const code = ctl[0].charCodeAt(0);
    throw src.error(ctl.index, code === 0 ? "a NUL byte: this is not a text file; a scenario is YAML text" :
      "control character " + escapeText(ctl[0]) + " in the file; write it as an escape in double quotes, e.g. \"" + escapeText(ctl[0]) + "\"");
  }
  const firstAlias = checkNesting(src);
  // Duplicate keys are found by convert(), which can say where the first one is.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false, strict: true, keepSourceTokens: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw src.error(e.pos[0], yamlReason(e.code, e.message));
  }
  const top = doc.contents;
  if (top === null || (isScalar(top) && top.value === null && (top.source ?? "") === "")) {
    throw src.error(0, "the file is empty; a scenario needs `name:` and `steps:`");
  }
  if (firstAlias >= 0) {
    try {
      doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      // yaml's guard against alias bombs; an alias without an anchor is left to convert() to name.
      if (/alias count/i.test(String(e))) throw src.error(firstAlias, "aliases expand to too much (yaml's maxAliasCount " + MAX_ALIASES + "); write the steps out");
    }
  }
  const budget = { nodes: 0 };
  return { root: convert(src, doc, top, 1, budget), src };
}

/** yaml's error code and message, with what to write instead for the ones people hit. */
function yamlReason(code: string, message: string): string {
  // yaml's own text, without the token it quotes (the error quotes the line) and cut: one short line.
  const what = message.replace(/\s+/g, " ").replace(/:? ?".*$/, "").slice(0, 100).replace(/^./, (c) => c.toLowerCase()).replace(/\.$/, "");
  if (/closing "?quote/i.test(message)) return "a string's closing quote is missing; close it (a `\"` inside is written `\\\"`)";
  if (/implicit map keys need to be followed/i.test(message)) return "expected `key: value`; add the `:` after the key, or quote the text";
  if (/^flow (map|sequence)/i.test(message)) return "a `" + (/map/.test(message) ? "{" : "[") + "` is not closed; close it with `" + (/map/.test(message) ? "}" : "]") + "` (it may span lines if indented)";
  const fix: Record<string, string> = {
    TAB_AS_INDENT: "tab in indentation; indent with spaces",
    BAD_INDENT: what + "; align it with the key it belongs to",
    BAD_DQ_ESCAPE: "unknown escape " + show(/\\\S*/.exec(message)?.[0] ?? "") + " in a double-quoted string; use \\n \\r \\t \\0 \\e \\\\ \\\" \\xHH or \\uHHHH",
    MISSING_CHAR: what + "; add it",
    MULTIPLE_DOCS: "more than one document; a scenario is one, remove the `---` or `...`",
    UNEXPECTED_TOKEN: what + "; quote the whole value if it contains `: `, `#` or brackets",
    BLOCK_AS_IMPLICIT_KEY: what + "; check the indentation, or quote the value",
    MULTILINE_IMPLICIT_KEY: what + "; a key and its `:` go on one line",
    RESOURCE_EXHAUSTION: "nested too deeply or too large; a scenario nests at most " + MAX_DEPTH + " levels",
  };
  return fix[code] ?? what + " (YAML " + code + "); see host-sim/scenarios/README.md";
}

/**
 * Nesting depth from yaml's Lexer (a generator, iterative) before the recursive composer sees it: flow
 * brackets exactly, block levels by indentation and the `-`/`?`/`:` indicators on each line. Returns
 * the offset of the first alias, or -1.
 */
function checkNesting(src: Src): number {
  let at = 0;
  let flow = 0;
  let lineStart = true;
  let firstAlias = -1;
  let tokens = 0;
  const stack: { indent: number; depth: number }[] = [];
  let depth = 0;
  for (const tok of new Lexer().lex(src.text)) {
    if (tok === "\x02" || tok === "\x18" || tok === "\x1f") continue;
    const type = CST.tokenType(tok);
    const start = at;
    at += tok.length;
    if (++tokens > MAX_TOKENS) throw src.error(start, "more than " + MAX_TOKENS + " YAML tokens (words, strings, punctuation); a scenario needs far fewer, split it into files");
    const first = lineStart;
    if (type !== "space") lineStart = type === "newline" || tok.endsWith("\n");
    if (type === "alias" && firstAlias < 0) firstAlias = start;
    if (type === "space" || type === "newline" || type === "comment") continue;
    if (type === "doc-start" || type === "doc-end" || type === "directive-line") {
      stack.length = 0;
      depth = 0;
      continue;
    }
    if (first && flow === 0) {
      // A line in block context: its level is the last less-indented line's, plus its own indicators.
      const indent = start - src.lines.lineStarts[src.lineOf(start) - 1];
      while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
      depth = stack.length > 0 ? stack[stack.length - 1].depth : 0;
      stack.push({ indent, depth });
    }
    if (type === "flow-map-start" || type === "flow-seq-start") flow++;
    else if ((type === "flow-map-end" || type === "flow-seq-end") && flow > 0) flow--;
    else if (flow === 0 && (type === "seq-item-ind" || type === "explicit-key-ind" || type === "map-value-ind")) {
      depth++;
      if (stack.length > 0) stack[stack.length - 1].depth = depth;
    }
    if (depth + flow > MAX_DEPTH) throw src.error(start, nestedTooDeep());
  }
  return firstAlias;
}

function nestedTooDeep(): string {
  return "nested deeper than " + MAX_DEPTH + " levels; a scenario needs 4 (steps, a step, its `{ ... }`)";
}

/** yaml's nodes as YNodes, depth-checked (aliases can nest), every value counted against MAX_NODES. */
function convert(src: Src, doc: Document.Parsed, node: YamlNode | null, depth: number, budget: { nodes: number }): YNode {
  if (++budget.nodes > MAX_NODES) throw src.error(node?.range?.[0] ?? 0, "more than " + MAX_NODES + " values (aliases expanded); a scenario needs far fewer");
  if (node instanceof Alias) {
    const target = node.resolve(doc);
    if (target === undefined) throw src.error(node.range?.[0] ?? 0, "alias " + show("*" + node.source) + " has no anchor before it; define `&" + node.source + "` first");
    return convert(src, doc, target, depth, budget);
  }
  const at = node?.range?.[0] ?? 0;
  const line = src.lineOf(at);
  if (depth > MAX_DEPTH) throw src.error(at, nestedTooDeep());
  if (node === null) return { kind: "null", line, at };
  if (isScalar(node)) {
    const raw = node.source ?? (node.value === null ? "" : String(node.value));
    const quoted = node.type !== "PLAIN";
    if (!quoted && (node.value === null || raw === "")) return { kind: "null", line, at };
    return { kind: "scalar", value: typeof raw === "string" ? raw : String(raw), quoted, line, at };
  }
  if (isSeq(node)) return { kind: "seq", items: node.items.map((n) => convert(src, doc, n as YamlNode, depth + 1, budget)), line, at };
  if (isMap(node)) {
    const entries: YEntry[] = [];
    for (const pair of node.items) {
      const k = pair.key as YamlNode | null;
      const keyAt = k?.range?.[0] ?? at;
      const key = k === null ? null : convert(src, doc, k, depth + 1, budget);
      if (key === null || key.kind !== "scalar") throw src.error(keyAt, "a key must be a plain word such as `name` or `steps`, not a " + (key === null ? "missing key" : key.kind === "seq" ? "list" : key.kind));
      const dup = entries.find((e) => e.key === key.value);
      if (dup !== undefined) throw src.error(keyAt, "duplicate key " + show(key.value) + " (first on line " + dup.keyLine + "); give each key once");
      entries.push({ key: key.value, keyLine: key.line, keyAt, value: convert(src, doc, pair.value as YamlNode | null, depth + 1, budget) });
    }
    return { kind: "map", entries, line, at };
  }
  throw src.error(at, "a value yaml could not give (" + show(String(node)) + "); write a plain value, list or map");
}
