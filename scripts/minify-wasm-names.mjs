// Renames the glue's side of the wasm's imports and exports after `wasm-opt
// --minify-imports-and-exports-and-modules` renamed the wasm's side: wasm-bindgen names them after
// Rust paths with hashes (some over 300 bytes), which no compressor can shrink.
//
//   node scripts/minify-wasm-names.mjs WASM MAP.json GLUE_IN.js GLUE_OUT.js [SPLIT_IN.js SPLIT_OUT.js]
//
// WASM is the renamed module, MAP.json what wasm-opt printed. SPLIT is wasm-split's chunk loader
// (__wasm_split.js): the main module imports its loading functions, and it hands the main module's
// table, memory and stack pointer to the chunks.
//
// Fails when a name of the map is not in the glue exactly as expected: a glue that no longer
// matches its wasm must not ship.
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmFile, mapFile, glueIn, glueOut, splitIn, splitOut] = process.argv.slice(2);
if (!glueOut || (splitIn && !splitOut)) {
  throw new Error('usage: minify-wasm-names.mjs WASM MAP.json GLUE_IN.js GLUE_OUT.js [SPLIT_IN.js SPLIT_OUT.js]');
}
const SPLIT_MODULE = './__wasm_split.js';
const map = JSON.parse(readFileSync(mapFile, 'utf8'));
const wasm = new WebAssembly.Module(readFileSync(wasmFile));
let glue = readFileSync(glueIn, 'utf8');
let split = splitIn ? readFileSync(splitIn, 'utf8') : '';

const escape = (name) => name.replace(/[$.*+?^(){}|[\]\\]/g, '\\$&');
function rename(text, pattern, replacement, what) {
  const after = text.replace(pattern, replacement);
  if (after === text) throw new Error(`no ${what}`);
  return after;
}

for (const [module, name, short] of map.imports) {
  if (module === SPLIT_MODULE) {
    // A chunk's loading function is an export of the chunk loader.
    split = rename(split, new RegExp(`(?<=export const )${escape(name)}(?= =)`), short, `chunk loader ${name}`);
  } else {
    // An import is a property of its module's object: `name: function(…)` or `name: value`.
    glue = rename(glue, new RegExp(`(?<![\\w$])${escape(name)}(?=:)`, 'g'), short, `import ${name} in the glue`);
  }
}
// wasm-opt gave all imports one module; the glue's import object names each module it had, the
// chunk loader's once per loading function (`"./__wasm_split.js": importN,`): one entry instead.
const [to, ...more] = new Set(WebAssembly.Module.imports(wasm).map(({ module }) => module));
if (more.length) throw new Error('the wasm imports from more than one module');
const entries = [...glue.matchAll(/^\s*("[^"]+"): (import\d+),\n/gm)];
const modules = new Set(map.imports.map(([module]) => JSON.stringify(module)));
if (!entries.length || entries.some(([, module]) => !modules.delete(module) && module !== JSON.stringify(SPLIT_MODULE)) || modules.size) {
  throw new Error(`the glue's import object does not name the modules ${[...modules]} as expected`);
}
const objects = [...new Set(entries.map(([, , object]) => object))];
const merged = objects.length === 1 ? objects[0] : `Object.assign({}, ${objects.join(', ')})`;
glue = glue.replace(entries[0][0], `${JSON.stringify(to)}: ${merged},\n`);
for (const [entry] of entries.slice(1)) glue = glue.replace(entry, '');

for (const [name, short] of map.exports) {
  // An export is read as `wasm.name`. Some the glue never reads (binaryen's own marker).
  glue = glue.replace(new RegExp(`(?<=\\bwasm\\.)${escape(name)}(?![\\w$])`, 'g'), short);
}
// The chunk loader takes what the chunks share from the main module's exports by name:
// `const { table, memory, … } = initSync(…)`, now `{ short: table, … }`.
if (split) {
  const exports = new Map(map.exports);
  split = rename(split, /(?<=const \{)([^}]*)(?=\} = initSync\()/, (names) => names.split(',')
    .map((name) => name.trim()).filter(Boolean)
    .map((name) => {
      if (!exports.has(name)) throw new Error(`the chunk loader takes ${name}, which wasm-opt did not name`);
      return `${exports.get(name)}: ${name}`;
    }).join(', '), 'exports the chunks share');
}

// Every name the wasm imports is one the glue or the chunk loader provides, and every export the
// glue reads exists.
const provided = new Set(map.imports.map(([, , short]) => short));
for (const { name } of WebAssembly.Module.imports(wasm)) {
  if (!provided.has(name)) throw new Error(`the wasm imports ${name}, which the map does not name`);
}
const exported = new Set(WebAssembly.Module.exports(wasm).map(({ name }) => name));
for (const [, name] of glue.matchAll(/\bwasm\.([\w$]+)/g)) {
  if (!exported.has(name)) throw new Error(`the glue reads wasm.${name}, which the wasm does not export`);
}
writeFileSync(glueOut, glue);
if (split) writeFileSync(splitOut, split);
