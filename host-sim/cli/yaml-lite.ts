// The YAML subset scenario files use (block maps and lists, one-line flow maps, quoted strings), with line numbers.

/** A parsed value and the 1-based line it starts on (every error and failing step names it). */
export type YNode =
  | { kind: "scalar"; value: string; quoted: boolean; line: number }
  | { kind: "map"; entries: YEntry[]; line: number }
  | { kind: "seq"; items: YNode[]; line: number }
  | { kind: "null"; line: number };

export interface YEntry {
  key: string;
  keyLine: number;
  value: YNode;
}

/** A file:line: reason error; `reason` alone is kept for tests and for callers that add context. */
export class ScenarioError extends Error {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  constructor(file: string, line: number, reason: string) {
    super(file + (line > 0 ? ":" + line : "") + ": " + reason);
    this.name = "ScenarioError";
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}

interface Line {
  no: number;
  indent: number;
  text: string;
}

/**
 * Why a subset and not a YAML library: no new dependency, and the scenario format (Wokwi's automation
 * scenarios) only needs block maps, block lists, `- key: value` items and single-line `{ a: b }`. Anything
 * else (anchors, multi-line strings, tabs) is refused with the line and what to write instead.
 */
export function parseYaml(file: string, source: string): YNode {
  const lines = splitLines(file, source);
  if (lines.length === 0) throw new ScenarioError(file, 1, "the file is empty; a scenario needs `name:` and `steps:`");
  const p = new BlockParser(file, lines);
  const root = p.block(lines[0].indent);
  if (p.pos < lines.length) {
    const l = lines[p.pos];
    throw new ScenarioError(file, l.no, "unexpected indentation (" + l.indent + " spaces); align it with the key it belongs to");
  }
  return root;
}

function splitLines(file: string, source: string): Line[] {
  const out: Line[] = [];
  const raw = source.split(/\r?\n/);
  for (let i = 0; i < raw.length; i++) {
    const text = raw[i];
    let indent = 0;
    while (indent < text.length && text[indent] === " ") indent++;
    if (text[indent] === "\t") throw new ScenarioError(file, i + 1, "tab in indentation; indent with spaces");
    const body = text.slice(indent).trimEnd();
    if (body === "" || body[0] === "#") continue;
    if (body === "---" && out.length === 0) continue;
    out.push({ no: i + 1, indent, text: body });
  }
  return out;
}

function isSeqItem(text: string): boolean {
  return text === "-" || text.startsWith("- ");
}

class BlockParser {
  pos = 0;
  constructor(private readonly file: string, private readonly lines: Line[]) {}

  block(indent: number): YNode {
    return isSeqItem(this.lines[this.pos].text) ? this.seq(indent) : this.map(indent);
  }

  private map(indent: number): YNode {
    const first = this.lines[this.pos];
    const entries: YEntry[] = [];
    while (this.pos < this.lines.length) {
      const l = this.lines[this.pos];
      if (l.indent < indent) break;
      if (l.indent > indent) throw this.err(l.no, "unexpected indentation (" + l.indent + " spaces, expected " + indent + "); align it with the key above");
      if (isSeqItem(l.text)) throw this.err(l.no, "a list item where a `key: value` was expected; put the list under a key such as `steps:`");
      const colon = findKeyColon(l.text);
      if (colon < 0) throw this.err(l.no, "expected `key: value`, found \"" + l.text + "\"");
      const key = unquoteKey(this.file, l.no, l.text.slice(0, colon).trim());
      for (let i = 0; i < entries.length; i++) {
        if (entries[i].key === key) throw this.err(l.no, "duplicate key `" + key + "` (first on line " + entries[i].keyLine + ")");
      }
      const rest = l.text.slice(colon + 1).trim();
      this.pos++;
      let value: YNode;
      if (rest !== "" && rest[0] !== "#") {
        value = parseInline(this.file, l.no, rest, colon + 1 + l.indent);
      } else if (this.pos < this.lines.length && this.lines[this.pos].indent > indent) {
        value = this.block(this.lines[this.pos].indent);
      } else if (this.pos < this.lines.length && this.lines[this.pos].indent === indent && isSeqItem(this.lines[this.pos].text)) {
        value = this.seq(indent);
      } else {
        value = { kind: "null", line: l.no };
      }
      entries.push({ key, keyLine: l.no, value });
    }
    return { kind: "map", entries, line: first.no };
  }

  private seq(indent: number): YNode {
    const first = this.lines[this.pos];
    const items: YNode[] = [];
    while (this.pos < this.lines.length) {
      const l = this.lines[this.pos];
      if (l.indent < indent) break;
      if (l.indent > indent) throw this.err(l.no, "unexpected indentation (" + l.indent + " spaces, expected " + indent + "); list items line up under each other");
      if (!isSeqItem(l.text)) break;
      const rest = l.text.slice(1).trimStart();
      if (rest === "" || rest[0] === "#") {
        this.pos++;
        if (this.pos < this.lines.length && this.lines[this.pos].indent > indent) items.push(this.block(this.lines[this.pos].indent));
        else items.push({ kind: "null", line: l.no });
        continue;
      }
      const offset = l.text.length - rest.length;
      if (rest[0] !== "{" && rest[0] !== "[" && findKeyColon(rest) > 0) {
        // `- key: value`: the item is a map whose further keys line up under `key`.
        l.indent += offset;
        l.text = rest;
        items.push(this.map(l.indent));
        continue;
      }
      this.pos++;
      items.push(parseInline(this.file, l.no, rest, l.indent + offset));
    }
    return { kind: "seq", items, line: first.no };
  }

  private err(line: number, reason: string): ScenarioError {
    return new ScenarioError(this.file, line, reason);
  }
}

/** Index of the `:` ending a plain or quoted key (followed by a space or the end), or -1. */
function findKeyColon(text: string): number {
  let i = 0;
  if (text[0] === '"' || text[0] === "'") {
    const q = text[0];
    i = 1;
    while (i < text.length && text[i] !== q) i += text[i] === "\\" && q === '"' ? 2 : 1;
    i++;
  }
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === "#" && i > 0 && text[i - 1] === " ") return -1;
    if (c === ":" && (i + 1 === text.length || text[i + 1] === " ")) return i;
    if (c === "{" || c === "[" || c === '"') return -1;
  }
  return -1;
}

function unquoteKey(file: string, line: number, key: string): string {
  if (key === "") throw new ScenarioError(file, line, "empty key before `:`");
  if (key[0] === '"' || key[0] === "'") {
    const s = new FlowScanner(file, line, key, 0);
    const v = s.quoted();
    return v;
  }
  return key;
}

/** A value written on the same line: scalar, quoted string, `{ k: v, ... }` or `[a, b]`. */
function parseInline(file: string, line: number, text: string, column: number): YNode {
  const s = new FlowScanner(file, line, text, column);
  const node = s.value(false);
  s.end();
  return node;
}

class FlowScanner {
  i = 0;
  constructor(private readonly file: string, private readonly line: number, private readonly text: string, private readonly column: number) {}

  value(inFlow: boolean): YNode {
    this.space();
    const c = this.text[this.i];
    if (c === "{") return this.flowMap();
    if (c === "[") return this.flowSeq();
    if (c === '"' || c === "'") return { kind: "scalar", value: this.quoted(), quoted: true, line: this.line };
    if (c === "&" || c === "*" || c === "|" || c === ">" || c === "!") {
      throw this.err("`" + c + "` (anchors, aliases, tags, block strings) is not supported; write the value out in quotes");
    }
    const start = this.i;
    while (this.i < this.text.length) {
      const ch = this.text[this.i];
      if (inFlow && (ch === "," || ch === "}" || ch === "]")) break;
      if (inFlow && ch === ":" && (this.text[this.i + 1] === " " || this.text[this.i + 1] === undefined)) break;
      if (ch === "#" && this.i > start && this.text[this.i - 1] === " ") break;
      this.i++;
    }
    const v = this.text.slice(start, this.i).trim();
    if (v === "" || v === "~" || v === "null") return { kind: "null", line: this.line };
    return { kind: "scalar", value: v, quoted: false, line: this.line };
  }

  quoted(): string {
    const q = this.text[this.i++];
    let out = "";
    while (this.i < this.text.length) {
      const c = this.text[this.i++];
      if (c === q) {
        if (q === "'" && this.text[this.i] === "'") {
          out += "'";
          this.i++;
          continue;
        }
        return out;
      }
      if (c === "\\" && q === '"') out += this.escape();
      else out += c;
    }
    throw this.err("unterminated string: " + q + " opened at column " + (this.column + 1) + " is never closed on this line");
  }

  private escape(): string {
    const c = this.text[this.i++];
    switch (c) {
      case "n": return "\n";
      case "r": return "\r";
      case "t": return "\t";
      case "0": return "\0";
      case "e": return "\x1b";
      case "\\": return "\\";
      case '"': return '"';
      case "/": return "/";
      case " ": return " ";
      case "x": return this.hex(2);
      case "u": return this.hex(4);
      default:
        throw this.err("unknown escape `\\" + (c ?? "") + "` in a double-quoted string; use \\n \\r \\t \\0 \\\\ \\\" \\xHH or \\uHHHH");
    }
  }

  private hex(n: number): string {
    const h = this.text.slice(this.i, this.i + n);
    if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) throw this.err("escape needs " + n + " hex digits, found \"" + h + "\"");
    this.i += n;
    return String.fromCharCode(parseInt(h, 16));
  }

  private flowMap(): YNode {
    this.i++;
    const entries: YEntry[] = [];
    for (;;) {
      this.space();
      if (this.text[this.i] === "}") {
        this.i++;
        return { kind: "map", entries, line: this.line };
      }
      if (this.i >= this.text.length) throw this.err("`{` is not closed on this line; flow maps must fit on one line");
      const keyNode = this.value(true);
      if (keyNode.kind !== "scalar") throw this.err("a flow-map key must be a plain word, e.g. `{ device: bme280 }`");
      this.space();
      if (this.text[this.i] !== ":") throw this.err("expected `:` after key `" + keyNode.value + "` in `{ ... }`");
      this.i++;
      const value = this.value(true);
      for (let k = 0; k < entries.length; k++) {
        if (entries[k].key === keyNode.value) throw this.err("duplicate key `" + keyNode.value + "` in `{ ... }`");
      }
      entries.push({ key: keyNode.value, keyLine: this.line, value });
      this.space();
      const c = this.text[this.i];
      if (c === ",") this.i++;
      else if (c !== "}") throw this.err(c === undefined ? "`{` is not closed on this line; flow maps must fit on one line" : "expected `,` or `}` in `{ ... }`, found `" + c + "`");
    }
  }

  private flowSeq(): YNode {
    this.i++;
    const items: YNode[] = [];
    for (;;) {
      this.space();
      if (this.text[this.i] === "]") {
        this.i++;
        return { kind: "seq", items, line: this.line };
      }
      if (this.i >= this.text.length) throw this.err("`[` is not closed on this line; flow lists must fit on one line");
      items.push(this.value(true));
      this.space();
      const c = this.text[this.i];
      if (c === ",") this.i++;
      else if (c !== "]") throw this.err(c === undefined ? "`[` is not closed on this line" : "expected `,` or `]` in `[ ... ]`, found `" + c + "`");
    }
  }

  /** After the value only spaces and a `# comment` may follow. */
  end(): void {
    this.space();
    if (this.i < this.text.length && this.text[this.i] !== "#") {
      throw this.err("unexpected `" + this.text.slice(this.i) + "` after the value; quote the whole value if it contains `:` or `#`");
    }
  }

  private space(): void {
    while (this.text[this.i] === " ") this.i++;
  }

  private err(reason: string): ScenarioError {
    return new ScenarioError(this.file, this.line, reason);
  }
}
