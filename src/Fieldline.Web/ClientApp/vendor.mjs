// Copies the browser builds of the vendored libraries into wwwroot/m/vendor/ (run by test.sh after `npm ci`).
// The files are committed too, so `dotnet run` works without npm; this step keeps them equal to package-lock.json.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'wwwroot', 'm', 'vendor');
mkdirSync(out, { recursive: true });
const files = [
  // ESM build, imported by the signature step (16 KB).
  ['node_modules/signature_pad/dist/signature_pad.min.js', 'signature_pad.min.js'],
  // UMD build (window.ZXing), loaded only when the technician opens the camera scanner, never on first load.
  ['node_modules/@zxing/library/umd/index.min.js', 'zxing.min.js'],
  ['node_modules/signature_pad/LICENSE', 'signature_pad.LICENSE'],
  ['node_modules/@zxing/library/LICENSE', 'zxing.LICENSE'],
];
for (const [from, to] of files) copyFileSync(join(here, from), join(out, to));
console.log(`vendored ${files.length} files into ${out}`);
