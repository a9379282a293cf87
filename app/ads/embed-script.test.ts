import { readFile } from "node:fs/promises";
import { parse } from "acorn";

// The script partners include: checked here as text, and in a browser by tests/e2e/partner-ads.spec.ts.
const source = await readFile(new URL("../../public/ads/embed.js", import.meta.url), "utf8");

/** The code without its comments (which may name what the code avoids). */
function codeOnly(text: string): string {
  const comments: Array<[number, number]> = [];
  parse(text, { ecmaVersion: 2017, onComment: (_block, _text, start, end) => comments.push([start, end]) });
  return comments.reduceRight((code, [start, end]) => code.slice(0, start) + code.slice(end), text);
}

describe("public/ads/embed.js", () => {
  it("is plain ES2017 as a classic script (no build step, no modules)", () => {
    expect(() => parse(source, { ecmaVersion: 2017, sourceType: "script" })).not.toThrow();
  });

  it("builds ads with DOM APIs only", () => {
    for (const risky of ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setAttribute(\"style\""]) {
      expect(codeOnly(source)).not.toContain(risky);
    }
  });

  it("keeps to itself: one IIFE, no globals, no cookies sent", () => {
    expect(source.trimEnd()).toMatch(/^\/\*[\s\S]*?\*\/\s*\(function \(\) \{[\s\S]*\}\)\(\);$/);
    expect(source).not.toMatch(/\bwindow\.[A-Za-z_$]+\s*=/);
    expect(source).toContain('credentials: "omit"');
  });

  it("stays small", () => {
    expect(Buffer.byteLength(source)).toBeLessThan(8 * 1024);
  });
});
