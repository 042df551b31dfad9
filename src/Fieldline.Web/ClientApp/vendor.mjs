// Copies the browser builds of the vendored libraries into wwwroot/m/vendor/ (the technician app) and wwwroot/lib/
// (the back-office console: htmx, Leaflet), run by test.sh after `npm ci`.
// The files are committed too, so `dotnet run` works without npm; this step keeps them equal to package-lock.json.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const www = join(here, '..', 'wwwroot');
const files = [
  // ESM build, imported by the signature step (16 KB).
  ['node_modules/signature_pad/dist/signature_pad.min.js', 'm/vendor/signature_pad.min.js'],
  // UMD build (window.ZXing), loaded only when the technician opens the camera scanner, never on first load.
  ['node_modules/@zxing/library/umd/index.min.js', 'm/vendor/zxing.min.js'],
  ['node_modules/signature_pad/LICENSE', 'm/vendor/signature_pad.LICENSE'],
  ['node_modules/@zxing/library/LICENSE', 'm/vendor/zxing.LICENSE'],
  // The console's partial page updates (52 KB), loaded on every back-office page.
  ['node_modules/htmx.org/dist/htmx.min.js', 'lib/htmx/htmx.min.js'],
  ['node_modules/htmx.org/LICENSE', 'lib/htmx/LICENSE'],
  // The board's, the plan's and the intake's map (BSD-2-Clause, 147 KB), loaded only on those pages. Only the script and
  // its stylesheet: the map draws its own markers (no default marker images) and uses no layer control.
  ['node_modules/leaflet/dist/leaflet.js', 'lib/leaflet/leaflet.js'],
  ['node_modules/leaflet/dist/leaflet.css', 'lib/leaflet/leaflet.css'],
  ['node_modules/leaflet/LICENSE', 'lib/leaflet/LICENSE'],
];
for (const [from, to] of files) {
  mkdirSync(dirname(join(www, to)), { recursive: true });
  copyFileSync(join(here, from), join(www, to));
}
console.log(`vendored ${files.length} files into ${www}`);
