// 我的工具 (TLS-04, TLS-07): what the technician's last kit spot check found — a red "工具不全" while items are missing, for
// dispatch is blocked until a re-check finds the kit complete — and the company tools issued to them. A tool lost or
// damaged is reported here at once, with what happened ("promptly, so the company can replace it"); the policy's share of
// its value is then charged on the pay ledger (POST /api/company-tools/{id}/report-loss, the same rule as the desk's).
// Needs the network: the answers are the office's.
import { h, toast, uuid } from './ui.js';
import { t } from './i18n.js';
import { get, request, HttpError } from './api.js';

const money = (n) => `¥${Number(n || 0).toFixed(2)}`;

/** The badge of a person's last kit check: red when items were missing, green when complete, amber when never checked. */
export function kitBadge(check) {
  if (!check) return h('span', { class: 'badge wait', id: 'kitState' }, t('kitNeverChecked'));
  return h('span', { class: `badge ${check.complete ? 'ok' : 'bad'}`, id: 'kitState' }, check.complete ? t('kitComplete') : t('kitIncomplete'));
}

function kitCard(check) {
  return h('section', { class: 'card', id: 'myKit' },
    h('div', { class: 'row' }, h('h3', {}, t('toolsKit')), kitBadge(check)),
    check ? h('p', { class: 'muted' }, t('kitLastChecked', check.checkedOn)) : null,
    check && !check.complete ? h('p', { class: 'error', id: 'kitMissing' },
      t('toolsMissing', check.items.filter((i) => !i.present).map((i) => i.name).join('、')),
      check.blocksDispatch ? ` ${t('toolsBlocked')}` : '') : null);
}

function lossForm(tool, onDone) {
  const kind = h('select', { id: `lossKind-${tool.id}` },
    h('option', { value: 'lost' }, t('toolsLost')), h('option', { value: 'damaged' }, t('toolsDamaged')));
  const note = h('textarea', { id: `lossNote-${tool.id}`, rows: 2, maxlength: 500, placeholder: t('toolsWhatHappened') });
  const err = h('p', { class: 'error', role: 'alert', id: `lossError-${tool.id}` });
  const form = h('form', { class: 'loss', id: `loss-${tool.id}`, hidden: true },
    h('label', {}, t('toolsKind'), kind), h('label', {}, t('toolsWhatHappened'), note), err,
    h('button', { type: 'submit', class: 'danger', id: `lossSend-${tool.id}` }, t('toolsReport')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      const { data } = await request('POST', `/api/company-tools/${tool.id}/report-loss`, {
        headers: { 'Idempotency-Key': uuid() }, body: { kind: kind.value, note: note.value.trim() || null } });
      toast(Number(data.charged) > 0 ? t('toolsReportedCharged', data.item, money(data.charged)) : t('toolsReported', data.item));
      onDone();
    } catch (x) {
      if (x instanceof HttpError && x.problem?.errors) err.textContent = Object.values(x.problem.errors).flat().join(' ');
      else err.textContent = x instanceof HttpError ? t('failed', x.problem?.detail || x.status) : t('toolsNeedsNetwork');
    }
  });
  const open = h('button', { type: 'button', class: 'link', id: `lossOpen-${tool.id}`, onclick: () => { form.hidden = false; open.hidden = true; note.focus(); } },
    t('toolsReportOpen'));
  return [open, form];
}

function toolItem(tool, onDone) {
  return h('li', { 'data-tool': tool.id, id: `tool-${tool.id}` },
    h('div', { class: 'row' }, h('strong', {}, tool.item), h('span', { class: `badge tool-${tool.status}` }, tool.statusName)),
    h('small', { class: 'muted' }, t('toolsIssued', tool.issuedOn, money(tool.value)),
      tool.closedOn ? ` · ${tool.closedOn}` : '', tool.note ? ` · ${tool.note}` : ''),
    tool.charged != null && Number(tool.charged) > 0 ? h('p', { class: 'charge', id: `charged-${tool.id}` }, t('toolsCharged', money(tool.charged))) : null,
    tool.status === 'issued' ? lossForm(tool, onDone) : null);
}

export async function renderTools(root) {
  root.replaceChildren(h('p', { class: 'muted' }, t('loading')));
  let checks, tools;
  try {
    [checks, tools] = await Promise.all([get('/api/tool-checks?mine=true&pageSize=1'), get('/api/company-tools?mine=true&pageSize=100')]);
  } catch (x) {
    root.replaceChildren(h('h2', {}, t('toolsTitle')),
      h('p', { class: 'muted', id: 'toolsError' }, x instanceof HttpError ? t('failed', x.problem?.detail || x.status) : t('toolsNeedsNetwork')));
    return;
  }
  const again = () => renderTools(root);
  root.replaceChildren(h('h2', {}, t('toolsTitle')),
    kitCard(checks.items[0] ?? null),
    h('section', { class: 'card', id: 'companyTools' }, h('h3', {}, t('toolsCompany')),
      tools.items.length ? h('ul', { class: 'generic', id: 'toolList' }, tools.items.map((x) => toolItem(x, again)))
        : h('p', { class: 'muted' }, t('toolsNone'))),
    h('p', {}, h('a', { href: '#/', class: 'button' }, t('back'))));
}
