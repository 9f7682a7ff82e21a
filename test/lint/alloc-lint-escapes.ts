// Escape comments for the allocation lint: finds `// alloc-lint-allow <rule>: <reason>` and applies them.
import ts from "typescript";

/** One accepted escape: it silences `rule` on its own line and on the line below. */
export interface Escape {
  file: string;
  line: number;
  col: number;
  rule: string;
  reason: string;
  /** Set once the escape has silenced at least one violation; unused escapes are reported. */
  used: boolean;
}

/** A finding of the lint (or of the escape parser itself), 1-based line and column. */
export interface Violation {
  file: string;
  line: number;
  col: number;
  rule: string;
  message: string;
}

export const ESCAPE_MARK = "alloc-lint-allow";
const MARK_RE = /^\/\/\s*alloc-lint-allow\b(.*)$/;
const BODY_RE = /^\s*([A-Za-z][\w-]*(?:\s*,\s*[A-Za-z][\w-]*)*)?\s*(?::(.*))?$/;

interface CommentAt {
  pos: number;
  text: string;
}

/**
 * Collects `//` comments by walking the parsed tokens, so text that merely looks like a comment inside a
 * string, template or regular expression is never taken for an escape. JSDoc subtrees are skipped: their
 * positions lie inside block comments.
 */
function lineComments(sf: ts.SourceFile): CommentAt[] {
  const text = sf.text;
  const seen = new Set<number>();
  const out: CommentAt[] = [];
  const take = (ranges: ts.CommentRange[] | undefined): void => {
    if (ranges === undefined) return;
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i];
      if (r.kind !== ts.SyntaxKind.SingleLineCommentTrivia || seen.has(r.pos)) continue;
      seen.add(r.pos);
      out.push({ pos: r.pos, text: text.slice(r.pos, r.end) });
    }
  };
  const after = (pos: number): void => {
    take(ts.getTrailingCommentRanges(text, pos));
    take(ts.getLeadingCommentRanges(text, pos));
  };
  after(0);
  const walk = (node: ts.Node): void => {
    const kids = node.getChildren(sf);
    if (kids.length === 0) {
      after(node.end);
      return;
    }
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i];
      if (k.kind >= ts.SyntaxKind.FirstJSDocNode && k.kind <= ts.SyntaxKind.LastJSDocNode) continue;
      walk(k);
    }
  };
  walk(sf);
  return out;
}

/**
 * Parses every escape comment of a file. Valid ones are returned as escapes; a malformed one (no rule, an
 * unknown rule, no reason) becomes a `bad-escape` violation and silences nothing.
 */
export function parseEscapes(
  sf: ts.SourceFile,
  file: string,
  rules: readonly string[],
  problems: Violation[],
): Escape[] {
  const escapes: Escape[] = [];
  if (sf.text.indexOf(ESCAPE_MARK) < 0) return escapes;
  const comments = lineComments(sf);
  for (let i = 0; i < comments.length; i++) {
    const c = comments[i];
    const m = MARK_RE.exec(c.text);
    if (m === null) continue;
    const lc = sf.getLineAndCharacterOfPosition(c.pos);
    const line = lc.line + 1;
    const col = lc.character + 1;
    const bad = (message: string): void => {
      problems.push({ file, line, col, rule: "bad-escape", message });
    };
    const body = BODY_RE.exec(m[1]);
    const names = body === null || body[1] === undefined ? [] : body[1].split(",").map((s) => s.trim());
    if (names.length === 0) {
      bad(`${ESCAPE_MARK} names no rule; write \`// ${ESCAPE_MARK} <rule>: <reason>\` with a rule from: ${rules.join(", ")}`);
      continue;
    }
    const unknown = names.filter((n) => rules.indexOf(n) < 0);
    if (unknown.length > 0) {
      bad(`${ESCAPE_MARK} names unknown rule '${unknown.join("', '")}'; use one of: ${rules.join(", ")}`);
      continue;
    }
    const reason = body === null || body[2] === undefined ? "" : body[2].trim();
    if (reason.length === 0) {
      bad(
        `${ESCAPE_MARK} ${names.join(", ")} has no reason; write \`// ${ESCAPE_MARK} ${names.join(", ")}: ` +
          "<why this allocation is safe here>`",
      );
      continue;
    }
    for (let j = 0; j < names.length; j++) {
      escapes.push({ file, line, col, rule: names[j], reason, used: false });
    }
  }
  return escapes;
}

/**
 * Drops each violation that an escape for its rule covers (same line or the line above) and marks that
 * escape used. Returns the remaining violations plus one `unused-escape` per escape that silenced nothing,
 * so stale escapes cannot hide a future regression.
 */
export function applyEscapes(violations: readonly Violation[], escapes: Escape[]): Violation[] {
  const kept: Violation[] = [];
  for (let i = 0; i < violations.length; i++) {
    const v = violations[i];
    let silenced = false;
    for (let j = 0; j < escapes.length; j++) {
      const e = escapes[j];
      if (e.rule === v.rule && (e.line === v.line || e.line === v.line - 1)) {
        e.used = true;
        silenced = true;
      }
    }
    if (!silenced) kept.push(v);
  }
  for (let j = 0; j < escapes.length; j++) {
    const e = escapes[j];
    if (e.used) continue;
    kept.push({
      file: e.file,
      line: e.line,
      col: e.col,
      rule: "unused-escape",
      message: `${ESCAPE_MARK} ${e.rule} silences nothing on this line or the next; remove it`,
    });
  }
  return kept;
}
