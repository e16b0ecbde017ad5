// Writes `<file>.br` and `<file>.gz` beside every file of pkg/, which the proxy serves by the
// browser's `Accept-Encoding` (crates/helpdock/src/assets/): compressed once at build time, as
// hard as the formats allow, rather than on every request.
// - brotli: quality 11, a 16 MB window (the format's largest; a file smaller than that uses no
//   more) and the text or generic mode by file type, with Node's own brotli, so the build needs
//   no system package;
// - gzip: zopfli (npm `@gfx/zopfli`, passed as ZOPFLI_MODULE; 15 iterations), which writes
//   ordinary gzip some 5 % smaller than `gzip -9`, for the browsers that do not take brotli.
// The output depends only on the input and the pinned tools.
//
//   node scripts/precompress.mjs PKG_DIR ZOPFLI_MODULE
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import zlib from 'node:zlib';

const [pkgDir, zopfliModule] = process.argv.slice(2);
if (!zopfliModule) throw new Error('usage: precompress.mjs PKG_DIR ZOPFLI_MODULE');
// A CommonJS package.
const { gzipAsync } = createRequire(import.meta.url)(resolve(zopfliModule));
const { constants } = zlib;

const files = readdirSync(pkgDir).filter(
  (name) => !/\.(br|gz)$/.test(name) && statSync(join(pkgDir, name)).isFile(),
);
for (const name of files) {
  const bytes = readFileSync(join(pkgDir, name));
  const text = /\.(js|css|html|json|svg)$/.test(name);
  const br = zlib.brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_MODE]: text ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  writeFileSync(join(pkgDir, `${name}.br`), br);
  writeFileSync(join(pkgDir, `${name}.gz`), await gzipAsync(bytes, { numiterations: 15 }));
}
if (!files.length) throw new Error(`${pkgDir} holds no file to compress`);
