// Parse every ```mermaid block of a Markdown file with the real Mermaid parser (npm `mermaid`,
// pinned in package.json). Mermaid's sanitiser (DOMPurify) needs a DOM, which jsdom provides
// under plain Node. Prints {"diagrams":[{"type":...}]} as JSON; exits 1 naming a block that fails.
//   node mermaid_parse.mjs FILE.md
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const { window } = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = window;
globalThis.document = window.document;
const { default: mermaid } = await import('mermaid');

const text = readFileSync(process.argv[2], 'utf8');
const blocks = [...text.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
const diagrams = [];
for (const [i, block] of blocks.entries()) {
  try {
    const parsed = await mermaid.parse(block);
    diagrams.push({ type: parsed.diagramType });
  } catch (e) {
    console.error(`block ${i + 1} does not parse: ${e.message}\n${block}`);
    process.exit(1);
  }
}
console.log(JSON.stringify({ diagrams }));
