// Drops wasm-streams' three classes from the wasm-bindgen glue. Leptos always links server_fn,
// which links wasm-streams, whose `#[wasm_bindgen]` classes (IntoUnderlyingSource, …Sink,
// …ByteSource) are wasm exports that no linker may drop; the widget never streams a body. The
// build removes their exports from the wasm (wasm-opt --remove-exports, so their code goes too)
// and this removes their glue: each class, its `Symbol.dispose` line and its FinalizationRegistry.
//
//   node scripts/drop-stream-classes.mjs GLUE_IN.js GLUE_OUT.js
//
// Fails when a piece is not where the pinned wasm-bindgen puts it, or a trace is left.
import { readFileSync, writeFileSync } from 'node:fs';

const [glueIn, glueOut] = process.argv.slice(2);
if (!glueOut) throw new Error('usage: drop-stream-classes.mjs GLUE_IN.js GLUE_OUT.js');
const CLASSES = ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource'];
let glue = readFileSync(glueIn, 'utf8');

function drop(pattern, what) {
  const after = glue.replace(pattern, '');
  if (after === glue) throw new Error(`drop-stream-classes: no ${what} in ${glueIn}`);
  glue = after;
}
for (const name of CLASSES) {
  drop(new RegExp(`^export class ${name} \\{\\n[\\s\\S]*?^\\}\\n`, 'm'), `class ${name}`);
  drop(new RegExp(`^if \\(Symbol\\.dispose\\) ${name}\\.prototype.*\\n`, 'm'), `${name}'s dispose line`);
  drop(new RegExp(`^const ${name}Finalization = [^\\n]*\\n[^\\n]*\\n[^\\n]*\\n`, 'm'), `${name}Finalization`);
}
if (/IntoUnderlying|intounderlying/.test(glue)) {
  throw new Error(`drop-stream-classes: a trace of wasm-streams' classes is left in ${glueIn}`);
}
writeFileSync(glueOut, glue);
