/**
 * The `/docs` reference page: a small self-contained HTML page whose script fetches
 * `/openapi.json` and lists every operation with its parameters, body and responses.
 *
 * Why not @scalar/fastify-api-reference or @fastify/swagger-ui (both checked): Scalar serves its
 * bundle locally, but that bundle is 4 MB of opaque JS that by default reaches out to
 * fonts.scalar.com and proxies "try it" requests through proxy.scalar.com; swagger-ui-dist is a
 * 30 MB package whose default validator badge calls validator.swagger.io. A page on the same origin
 * as analysts' bearer tokens should run only code we can read, so this one is ours, loads nothing
 * from elsewhere (the CSP below forbids it), and builds the DOM with textContent only.
 */

/** Only same-origin script and fetches; no inline script, no frames. */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cordon API reference</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 1000px; padding: 1.5rem; color: #1b1f24; }
  h1 { margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
  details { border: 1px solid #d0d7de; border-radius: 6px; margin: .5rem 0; }
  summary { cursor: pointer; padding: .5rem .75rem; font-family: ui-monospace, monospace; }
  .body { padding: 0 .75rem .75rem; }
  .m { display: inline-block; min-width: 4.5rem; font-weight: 700; }
  .GET { color: #0969da; } .POST { color: #1a7f37; } .PATCH { color: #9a6700; } .DELETE { color: #cf222e; }
  pre { background: #f6f8fa; padding: .5rem; overflow: auto; font-size: 13px; }
  table { border-collapse: collapse; } td, th { border: 1px solid #d0d7de; padding: .2rem .5rem; text-align: left; }
  .muted { color: #57606a; }
</style>
</head>
<body>
<h1 id="title">Cordon API reference</h1>
<p class="muted">Generated from <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
<div id="intro"></div>
<div id="ops">Loading…</div>
<script src="/docs/app.js"></script>
</body>
</html>
`;

export const DOCS_SCRIPT = `'use strict';
(async function () {
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  const ops = document.getElementById('ops');
  let doc;
  try { doc = await (await fetch('/openapi.json')).json(); } catch (err) { ops.textContent = 'Could not load /openapi.json: ' + err; return; }
  document.getElementById('title').textContent = doc.info.title + ' ' + doc.info.version;
  const intro = document.getElementById('intro');
  intro.append(el('p', doc.info.description || ''));
  const flow = doc.components && doc.components.securitySchemes && doc.components.securitySchemes.oauth2;
  if (flow) intro.append(el('p', 'Token URL: ' + flow.flows.clientCredentials.tokenUrl, 'muted'));
  const schemas = (doc.components && doc.components.schemas) || {};
  const resolve = (s) => (s && s.$ref ? schemas[s.$ref.split('/').pop()] || s : s);
  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method: method.toUpperCase(), op });
    }
  }
  ops.textContent = '';
  for (const [tag, list] of byTag) {
    ops.append(el('h2', tag));
    for (const { path, method, op } of list) {
      const d = el('details'); d.id = op.operationId || (method + path);
      const s = el('summary'); s.append(el('span', method, 'm ' + method), el('span', path + '  '), el('span', op.summary || '', 'muted'));
      const body = el('div', undefined, 'body');
      if (op.description) body.append(el('p', op.description));
      if (op.parameters && op.parameters.length) {
        const t = el('table'); const h = el('tr'); ['in', 'name', 'required', 'type', 'description'].forEach((c) => h.append(el('th', c))); t.append(h);
        for (const p of op.parameters) {
          const r = el('tr'); [p.in, p.name, p.required ? 'yes' : '', (p.schema && (p.schema.type || (p.schema.anyOf ? 'enum' : ''))) || '', p.description || (p.schema && p.schema.description) || ''].forEach((c) => r.append(el('td', String(c)))); t.append(r);
        }
        body.append(el('h4', 'Parameters'), t);
      }
      if (op.requestBody) {
        for (const [type, media] of Object.entries(op.requestBody.content || {})) body.append(el('h4', 'Request body (' + type + ')'), el('pre', JSON.stringify(resolve(media.schema), null, 2)));
      }
      for (const [code, res] of Object.entries(op.responses || {})) {
        body.append(el('h4', code + ' ' + (res.description || '')));
        const media = res.content && Object.values(res.content)[0];
        if (media && media.schema) {
          const ref = media.schema.$ref ? media.schema.$ref.split('/').pop() : null;
          body.append(el('pre', ref ? ref + ' ' + JSON.stringify(resolve(media.schema), null, 2) : JSON.stringify(media.schema, null, 2)));
        }
      }
      d.append(s, body); ops.append(d);
    }
  }
})();
`;
