// Camera barcode scanning with the vendored ZXing reader. The 360 KB library is loaded only when the technician taps
// "scan", so it never counts against the first load; typing the code always works too.
let loading;
function loadZxing() {
  loading ??= new Promise((resolve, reject) => {
    if (window.ZXing) { resolve(window.ZXing); return; }
    const s = document.createElement('script');
    s.src = '/m/vendor/zxing.min.js';
    s.onload = () => resolve(window.ZXing);
    s.onerror = () => { loading = null; reject(new Error('zxing failed to load')); };
    document.head.append(s);
  });
  return loading;
}

/** Starts the camera in `video` and calls onCode(text) once a barcode is read; returns a stop function. */
export async function startScan(video, onCode) {
  const ZXing = await loadZxing();
  const reader = new ZXing.BrowserMultiFormatReader();
  let done = false;
  await reader.decodeFromVideoDevice(undefined, video, (result) => {
    if (result && !done) {
      done = true;
      reader.reset();
      onCode(result.getText());
    }
  });
  return () => { done = true; reader.reset(); };
}
