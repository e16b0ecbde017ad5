// Names the first screen's files in pkg/ after their content, as scripts/name-chunks.mjs names the
// chunks: `helpdock_widget_bg.wasm` becomes `helpdock_widget_bg.<hash>.wasm`, `helpdock.css`
// `helpdock.<hash>.css` and `helpdock_widget.js` `helpdock_widget.<hash>.js` (the hash: the first
// 8 hex digits of the file's SHA-256). A name is then one content for ever, so the proxy lets
// browsers keep these files a year; only the loader, `widget.js`, keeps its name (shop pages name
// it in their script tag) and is told the new names here: its string literals naming the three
// files are rewritten. The glue is named last, after its own mention of the wasm is rewritten.
//
//   node scripts/name-first-screen.mjs PKG_DIR
//
// Fails when the loader does not name each file exactly once (a renamed file would otherwise be
// fetched under its old name and miss).
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [pkgDir] = process.argv.slice(2);
if (!pkgDir) throw new Error('usage: name-first-screen.mjs PKG_DIR');
const loaderFile = join(pkgDir, 'widget.js');
const glueFile = join(pkgDir, 'helpdock_widget.js');
let loader = readFileSync(loaderFile, 'utf8');

// `"name"` or `'name'` in minified JavaScript, replaced by `"renamed"`; returns the new text and
// how many it replaced.
function rename(text, name, renamed) {
  let count = 0;
  const quoted = new RegExp(`(["'])${name.replaceAll('.', '\\.')}\\1`, 'g');
  const out = text.replace(quoted, () => {
    count++;
    return JSON.stringify(renamed);
  });
  return [out, count];
}

function hashed(name) {
  const bytes = readFileSync(join(pkgDir, name));
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 8);
  const dot = name.indexOf('.');
  const renamed = `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
  renameSync(join(pkgDir, name), join(pkgDir, renamed));
  let count;
  [loader, count] = rename(loader, name, renamed);
  if (count !== 1) throw new Error(`the loader names ${name} ${count} times, not once`);
  return renamed;
}

const wasm = hashed('helpdock_widget_bg.wasm');
// wasm-bindgen's default URL for the main module, used only when the loader passes none.
const [glue] = rename(readFileSync(glueFile, 'utf8'), 'helpdock_widget_bg.wasm', wasm);
writeFileSync(glueFile, glue);
hashed('helpdock.css');
hashed('helpdock_widget.js');
writeFileSync(loaderFile, loader);
