// Names wasm-split's chunks for pkg/ after what needs them and their content:
// `split_history.wasm` becomes `history.<hash>.wasm`, `split_locale_pt_br.wasm`
// `locale-pt-br.<hash>.wasm`, and `chunk_<n>.wasm` (what several split points share) the names of
// those split points joined by `_` (`history_thread.<hash>.wasm`). The hash (the first 8 hex digits
// of the file's SHA-256) keeps a page that runs an earlier build's main module from fetching a
// chunk of a later one; the names tell scripts/check-budgets.sh which locale a chunk serves.
//
//   node scripts/name-chunks.mjs CHUNK_DIR SPLIT.js PKG_DIR
//
// Copies each chunk SPLIT.js (wasm-split's chunk loader, rewritten in place) fetches from
// CHUNK_DIR into PKG_DIR under its new name. Fails when SPLIT.js names a chunk that is not there.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [chunkDir, splitFile, pkgDir] = process.argv.slice(2);
if (!pkgDir) throw new Error('usage: name-chunks.mjs CHUNK_DIR SPLIT.js PKG_DIR');
let split = readFileSync(splitFile, 'utf8');

const dashed = (name) => name.replaceAll('_', '-');
// What each shared chunk serves: wasm-split writes it in a comment above the chunk's loader.
const sharedBy = new Map(
  [...split.matchAll(/\/\* ([\w, ]+) \*\/\s*const __chunk_(\d+) =/g)].map(([, users, n]) => [
    `chunk_${n}`,
    users.split(', ').map(dashed).join('_'),
  ]),
);
let named = 0;
split = split.replace(/"\.\/((split|chunk)_\w+)\.wasm"/g, (_, file, kind) => {
  const role = kind === 'split' ? dashed(file.slice('split_'.length)) : sharedBy.get(file);
  if (!role) throw new Error(`no comment says which split points need ${file}`);
  const wasm = readFileSync(join(chunkDir, `${file}.wasm`));
  const name = `${role}.${createHash('sha256').update(wasm).digest('hex').slice(0, 8)}.wasm`;
  copyFileSync(join(chunkDir, `${file}.wasm`), join(pkgDir, name));
  named++;
  return JSON.stringify(`./${name}`);
});
if (!named) throw new Error(`${splitFile} fetches no chunk`);
writeFileSync(splitFile, split);
