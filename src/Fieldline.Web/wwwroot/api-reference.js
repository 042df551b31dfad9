// Renders the OpenAPI document as a list of operations grouped by tag. Text is inserted with textContent only.
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; };

function schemaName(ref) { return ref ? ref.split('/').pop() : ''; }

function describeSchema(doc, schema, depth = 0) {
  if (!schema || depth > 2) return '';
  if (schema.$ref) {
    const target = doc.components?.schemas?.[schemaName(schema.$ref)];
    const props = target?.properties ? Object.keys(target.properties).join(', ') : '';
    return `${schemaName(schema.$ref)}${props ? ` { ${props} }` : ''}`;
  }
  if (schema.type === 'array') return `[${describeSchema(doc, schema.items, depth + 1)}]`;
  return schema.type || '';
}

async function main() {
  const doc = await (await fetch('/openapi/v1.json')).json();
  const groups = new Map();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags?.[0] || 'Other';
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag).push({ path, method: method.toUpperCase(), op });
    }
  }
  const root = document.getElementById('operations');
  root.textContent = '';
  for (const [tag, ops] of groups) {
    root.append(el('h2', tag));
    const table = el('table');
    for (const { path, method, op } of ops) {
      const tr = el('tr');
      tr.append(el('td', method, `method ${method.toLowerCase()}`), el('td', path, 'path'));
      const params = (op.parameters || []).map(p => `${p.name}${p.in === 'query' ? '?' : ''}`).join(', ');
      const body = op.requestBody?.content?.['application/json']?.schema;
      const detail = [params && `params: ${params}`, body && `body: ${describeSchema(doc, body)}`,
        `responses: ${Object.keys(op.responses || {}).join(', ')}`].filter(Boolean).join(' · ');
      tr.append(el('td', detail, 'detail'));
      table.append(tr);
    }
    root.append(table);
  }
}

main().catch(e => { document.getElementById('operations').textContent = `Could not load the OpenAPI document: ${e}`; });
