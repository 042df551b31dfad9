// The app's texts come from the server's one message catalogue (src/Fieldline.Web/Resources/Messages*.resx), served
// as /m/i18n/<lang>.json and kept by the service worker for offline use: `m.*` are the app's own texts, the rest the
// names of codes shared with the console (status.*, type.*, line.*, clock.*, clockState.* …). zh-CN by default;
// English for those who choose it. The choice is kept on the phone and saved to the user (notifications follow it).
let lang = localStorage.getItem('fl.lang') === 'en' ? 'en' : 'zh';
let messages = {};

export const getLang = () => lang;
/** The request header value the API answers in. */
export const acceptLanguage = () => (lang === 'en' ? 'en' : 'zh-CN');

async function load() {
  const tag = acceptLanguage();
  try {
    const r = await fetch(`/m/i18n/${tag}.json`);
    if (r.ok) { messages = await r.json(); localStorage.setItem(`fl.messages.${tag}`, JSON.stringify(messages)); return; }
  } catch { /* offline and not cached yet by the service worker: the copy kept below */ }
  messages = JSON.parse(localStorage.getItem(`fl.messages.${tag}`) || '{}');
}

/** Loads the catalogue of the chosen language; call before the first render. */
export const ready = load();

export async function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  localStorage.setItem('fl.lang', lang);
  document.documentElement.lang = acceptLanguage();
  await load();
}
document.documentElement.lang = acceptLanguage();

/** t('due', '1h') — the app's text `m.due` (or a code's name, `status.inProgress`) with {0}, {1} filled in. */
export function t(key, ...args) {
  let v = messages[`m.${key}`] ?? messages[key];
  if (typeof v !== 'string') v = key.includes('.') ? key.slice(key.lastIndexOf('.') + 1) : key; // an unknown code shows as sent
  return v.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}

/** A duration in minutes as "2 小时 5 分钟". */
export function duration(minutes) {
  const m = Math.abs(Math.round(minutes));
  if (m < 60) return t('minutes', m);
  if (m < 24 * 60) return t('hours', Math.floor(m / 60), m % 60);
  return t('days', Math.floor(m / 1440), Math.floor((m % 1440) / 60));
}
