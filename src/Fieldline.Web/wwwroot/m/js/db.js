// IndexedDB: `kv` keeps the day's orders, policies and price lists for offline use; `outbox` keeps every action the
// technician took, in order, until the server has it.
let dbp;
function open() {
  dbp ??= new Promise((resolve, reject) => {
    const req = indexedDB.open('fieldline-m', 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore('kv');
      db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return dbp;
}

async function run(store, mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const req = fn(tx.objectStore(store));
    tx.oncomplete = () => resolve(req?.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export const kvGet = (key) => run('kv', 'readonly', (s) => s.get(key));
export const kvSet = (key, value) => run('kv', 'readwrite', (s) => s.put(value, key));
export const outboxAll = () => run('outbox', 'readonly', (s) => s.getAll());
export const outboxAdd = (item) => run('outbox', 'readwrite', (s) => s.add(item));
export const outboxPut = (item) => run('outbox', 'readwrite', (s) => s.put(item));
export const outboxDelete = (seq) => run('outbox', 'readwrite', (s) => s.delete(seq));
export async function clearAll() {
  await run('kv', 'readwrite', (s) => s.clear());
  await run('outbox', 'readwrite', (s) => s.clear());
}
