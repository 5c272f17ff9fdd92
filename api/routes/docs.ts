import { Router } from 'express';
import { openApiDocument } from '../openapi';

/** The OpenAPI document, and a small self-contained page to browse it (no CDN, works offline). */
export function docsRouter(): Router {
  const router = Router();
  const document = openApiDocument();
  router.get('/openapi.json', (_req, res) => res.json(document));
  router.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  return router;
}

const DOCS_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>fangpin API</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#222}
h1{font-size:1.4rem}details{border:1px solid #ddd;border-radius:6px;margin:.4rem 0;padding:.4rem .8rem}
summary{cursor:pointer}code.m{display:inline-block;width:3.5rem;font-weight:bold}.get{color:#1769aa}.post{color:#2e7d32}.put{color:#b26a00}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;font-size:12px}.tag{margin-top:1.2rem;font-weight:bold}
</style></head><body>
<h1>fangpin 防贫保理赔 API</h1><p>OpenAPI 3.1: <a href="/openapi.json">/openapi.json</a></p><div id="ops">loading…</div>
<script>
fetch('/openapi.json').then(r=>r.json()).then(doc=>{
  const ops=document.getElementById('ops');ops.textContent='';
  const byTag={};
  for(const [path,methods] of Object.entries(doc.paths))for(const [method,op] of Object.entries(methods))(byTag[op.tags[0]]??=[]).push({path,method,op});
  for(const [tag,list] of Object.entries(byTag)){
    const h=document.createElement('div');h.className='tag';h.textContent=tag;ops.appendChild(h);
    for(const {path,method,op} of list){
      const d=document.createElement('details');const s=document.createElement('summary');
      const m=document.createElement('code');m.className='m '+method;m.textContent=method.toUpperCase();
      s.append(m,' ',path,' — ',op.summary);d.appendChild(s);
      const pre=document.createElement('pre');pre.textContent=JSON.stringify({parameters:op.parameters,requestBody:op.requestBody,responses:op.responses},null,2);
      d.appendChild(pre);ops.appendChild(d);
    }
  }
});
</script></body></html>`;
