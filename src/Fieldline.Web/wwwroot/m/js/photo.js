// Photos are shrunk on the phone before they are queued: a 12-megapixel shot becomes a ~200 KB JPEG that uploads from a
// basement and fits many times over in IndexedDB.
const MAX_SIDE = 1600;

export async function resize(file, maxSide = MAX_SIDE, quality = 0.8) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close?.();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
  // A small preview for the screen, kept with the order after the upload.
  const t = document.createElement('canvas');
  const ts = Math.min(1, 160 / Math.max(canvas.width, canvas.height));
  t.width = Math.round(canvas.width * ts);
  t.height = Math.round(canvas.height * ts);
  t.getContext('2d').drawImage(canvas, 0, 0, t.width, t.height);
  return { blob, preview: t.toDataURL('image/jpeg', 0.6), width: canvas.width, height: canvas.height };
}
