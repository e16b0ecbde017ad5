// Renames the glue's side of the wasm's imports and exports after `wasm-opt
// --minify-imports-and-exports-and-modules` renamed the wasm's side: wasm-bindgen names them after
// Rust paths with hashes (some over 300 bytes), which no compressor can shrink.
//
//   node scripts/minify-wasm-names.mjs WASM MAP.json GLUE_IN.js GLUE_OUT.js
//
// WASM is the renamed module, MAP.json what wasm-opt printed.
//
// Fails when a name of the map is not in the glue exactly as expected: a glue that no longer
// matches its wasm must not ship.
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmFile, mapFile, glueIn, glueOut] = process.argv.slice(2);
if (!glueOut) throw new Error('usage: minify-wasm-names.mjs WASM MAP.json GLUE_IN.js GLUE_OUT.js');
const map = JSON.parse(readFileSync(mapFile, 'utf8'));
const wasm = new WebAssembly.Module(readFileSync(wasmFile));
let glue = readFileSync(glueIn, 'utf8');

const escape = (name) => name.replace(/[$.*+?^(){}|[\]\\]/g, '\\$&');
function rename(pattern, replacement, what) {
  const before = glue;
  glue = glue.replace(pattern, replacement);
  if (glue === before) throw new Error(`the glue has no ${what}`);
}

for (const [, name, short] of map.imports) {
  // An import is a property of its module's object: `name: function(…)` or `name: value`.
  rename(new RegExp(`(?<![\\w$])${escape(name)}(?=:)`, 'g'), short, `import ${name}`);
}
// The one module the imports come from (wasm-bindgen's glue) is renamed too; the map omits it.
const [from, ...others] = new Set(map.imports.map(([module]) => module));
const [to, ...more] = new Set(WebAssembly.Module.imports(wasm).map(({ module }) => module));
if (others.length || more.length) throw new Error('the imports come from more than one module');
rename(`${JSON.stringify(from)}:`, `${JSON.stringify(to)}:`, `module ${from}`);
for (const [name, short] of map.exports) {
  // An export is read as `wasm.name`. Some the glue never reads (binaryen's own marker).
  glue = glue.replace(new RegExp(`(?<=\\bwasm\\.)${escape(name)}(?![\\w$])`, 'g'), short);
}
// Every name the wasm imports is one the glue provides, and every export the glue reads exists.
const provided = new Set(map.imports.map(([, , short]) => short));
for (const { name } of WebAssembly.Module.imports(wasm)) {
  if (!provided.has(name)) throw new Error(`the wasm imports ${name}, which the map does not name`);
}
const exported = new Set(WebAssembly.Module.exports(wasm).map(({ name }) => name));
for (const [, name] of glue.matchAll(/\bwasm\.([\w$]+)/g)) {
  if (!exported.has(name)) throw new Error(`the glue reads wasm.${name}, which the wasm does not export`);
}
writeFileSync(glueOut, glue);
