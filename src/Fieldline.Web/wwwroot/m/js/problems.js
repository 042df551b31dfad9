// 技术问题 (RPT-02/09): a technician sends a product problem found on one of their orders to the technical department —
// the order, the product model (the order's by default), what was found and, optionally, a photo (uploaded to the order
// first, as the completion photos are). The list below shows what they sent and the department's answer, recorded by a
// manager on the console. Needs the network: the answers are the office's, never guessed on the phone.
import { h, toast, uuid, when } from './ui.js';
import { t } from './i18n.js';
import { get, request, HttpError } from './api.js';
import { orders } from './outbox.js';
import { resize } from './photo.js';

/** The photo as a multipart body built by hand (the API helper sends Blobs as they are). */
function photoBody(blob) {
  const b = `----fieldline${uuid().replaceAll('-', '')}`;
  return {
    type: `multipart/form-data; boundary=${b}`,
    body: new Blob([
      `--${b}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nphoto\r\n`,
      `--${b}\r\nContent-Disposition: form-data; name="file"; filename="problem-${Date.now()}.jpg"\r\nContent-Type: ${blob.type || 'image/jpeg'}\r\n\r\n`,
      blob, `\r\n--${b}--\r\n`]),
  };
}

function problemItem(p) {
  return h('li', { 'data-problem': p.id, id: `problem-${p.id}` },
    h('div', { class: 'row' }, h('strong', {}, p.productModel), h('span', { class: `badge ${p.open ? 'wait' : 'ok'}` }, t(p.open ? 'problemOpen' : 'problemAnswered'))),
    h('small', { class: 'muted' }, [when(p.raisedAt), p.workOrderCode].filter(Boolean).join(' · ')),
    h('p', {}, p.description),
    p.open ? null : h('p', { class: 'answer', id: `answer-${p.id}` }, h('b', {}, t('problemAnswer'), ':'), p.answer,
      h('br'), h('small', { class: 'muted' }, [when(p.answeredAt), p.answeredBy].filter(Boolean).join(' · '))));
}

export async function renderProblems(root, orderId) {
  const mine = (await orders()).items.filter((o) => !['rejected', 'returned', 'cancelled'].includes(o.status));
  const order = h('select', { id: 'problemOrder' },
    h('option', { value: '' }, t('problemPickOrder')),
    mine.map((o) => h('option', { value: o.id, selected: String(o.id) === String(orderId) }, `${o.code} ${o.product?.model || ''}`)));
  const model = h('input', { id: 'problemModel', maxlength: 100 });
  const text = h('textarea', { id: 'problemDescription', rows: 3, maxlength: 2000, placeholder: t('problemWhat') }); // checked by the server, which names the field
  const photo = h('input', { id: 'problemPhoto', type: 'file', accept: 'image/*', capture: 'environment' });
  const modelOf = () => mine.find((o) => String(o.id) === order.value)?.product?.model || '';
  model.value = modelOf();
  order.addEventListener('change', () => { model.value = modelOf(); });
  const field = (id, label, input) => h('label', {}, label, input, h('span', { class: 'error', id: `err-${id}` }));
  const list = h('ul', { class: 'generic', id: 'problemList' });
  const send = h('button', { type: 'submit', class: 'primary', id: 'problemSend' }, t('problemSend'));

  const load = async () => {
    let items = null;
    try { items = await get('/api/reports/problems?mine=true'); } catch { /* offline: nothing to show */ }
    const shown = root.contains(list) ? list : (root.querySelector('#problemList') || list);
    shown.replaceChildren(...(items?.length ? items.map(problemItem) : [h('li', { class: 'muted' }, t('noData'))]));
  };
  const submit = async (e) => {
    e.preventDefault();
    root.querySelectorAll('.error').forEach((x) => { x.textContent = ''; });
    if (!order.value) { root.querySelector('#err-workOrderId').textContent = t('problemPickOrder'); return; }
    send.disabled = true;
    try {
      let photoAttachmentId = null;
      if (photo.files[0] && text.value.trim()) { // no photo uploaded for a problem the server will refuse
        let shrunk;
        try { shrunk = await resize(photo.files[0]); } catch { toast(t('photoUnreadable'), 'error'); return; } // not the browser's English
        const { type, body } = photoBody(shrunk.blob);
        photoAttachmentId = (await request('POST', `/api/work-orders/${order.value}/attachments`,
          { body, headers: { 'content-type': type, 'Idempotency-Key': uuid() } })).data.id;
      }
      await request('POST', '/api/reports/problems', {
        headers: { 'Idempotency-Key': uuid() },
        body: { workOrderId: Number(order.value), productModel: model.value.trim() || null, description: text.value.trim(), photoAttachmentId },
      });
      toast(t('problemSent'));
      text.value = '';
      photo.value = '';
      await load();
    } catch (x) {
      if (x instanceof HttpError && x.problem?.errors) {
        for (const [k, v] of Object.entries(x.problem.errors)) {
          const el = root.querySelector(`#err-${k}`) || root.querySelector('#err-problemForm');
          if (el) el.textContent = v.join(' ');
        }
      } else toast(x instanceof HttpError ? t('failed', x.problem?.detail || x.status) : t('problemNeedsNetwork'), 'error');
    } finally { send.disabled = false; }
  };
  root.replaceChildren(h('h2', {}, t('problemsTitle')),
    h('p', { class: 'muted' }, t('problemsHint')),
    h('form', { class: 'card', id: 'problemForm', onsubmit: submit },
      field('workOrderId', t('problemOrder'), order), field('productModel', t('product'), model),
      field('description', t('problemDescription'), text), field('photoAttachmentId', t('problemPhoto'), photo),
      h('span', { class: 'error', id: 'err-problemForm' }), send),
    h('section', { class: 'card' }, h('h3', {}, t('problemsMine')), list),
    h('p', {}, h('a', { href: '#/', class: 'button' }, t('back'))));
  await load();
}
