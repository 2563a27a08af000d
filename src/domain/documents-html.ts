/**
 * A document (src/domain/documents.ts) as one self-contained HTML file: inline CSS, no scripts, no
 * network, fonts named by family (a CJK font the machine has), A4 print layout. The page header (shop
 * and document) sits in the <thead> of an outer table, which browsers repeat on every printed page, as
 * they repeat each table's own header row when a long order flows onto a second page.
 * Every text is escaped: what an advisor typed can never become markup.
 */
import type { DocModel, DocSection } from './documents.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

const e = escapeHtml;

const CSS = `
@page { size: A4; margin: 12mm 12mm 14mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #111; font: 9pt/1.3 "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif; }
table { border-collapse: collapse; width: 100%; }
.page > thead td { padding: 0 0 6pt 0; }
.head { display: flex; justify-content: space-between; align-items: flex-end; border-bottom: 1.5pt solid #111; padding-bottom: 4pt; }
.shop { font-size: 13pt; font-weight: 700; }
.shopline { font-size: 8.5pt; color: #333; }
.doc { text-align: right; }
.title { font-size: 14pt; font-weight: 700; }
.subtitle { font-size: 8pt; color: #555; }
.ref { font-size: 10pt; font-weight: 700; font-family: "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace; }
.facts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 2pt 10pt; margin: 6pt 0 4pt; }
.facts div { display: flex; gap: 4pt; min-width: 0; }
.facts .wide { grid-column: 1 / -1; }
.facts b { flex: none; color: #444; font-weight: 400; }
.facts span { overflow-wrap: anywhere; }
h2 { font-size: 9.5pt; margin: 6pt 0 2pt; padding-bottom: 1pt; border-bottom: 0.5pt solid #999; break-after: avoid; }
.grid th, .grid td { border: 0.5pt solid #888; padding: 1.5pt 4pt; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
.grid th { background: #eee; font-weight: 700; }
.grid tr { break-inside: avoid; }
.grid .r { text-align: right; white-space: nowrap; }
.grid .empty { color: #777; text-align: center; }
.totals { width: auto; min-width: 45%; margin-left: auto; }
.row { display: flex; gap: 14pt; align-items: flex-start; break-inside: avoid; }
.row > section { flex: 1; min-width: 0; }
.row .totals { width: 100%; min-width: 0; }
.totals td { padding: 1pt 4pt; }
.totals td:last-child { text-align: right; white-space: nowrap; padding-left: 16pt; }
.totals td.long { white-space: normal; text-align: left; }
.totals .strong td { font-weight: 700; border-top: 0.5pt solid #111; }
.text p { margin: 1pt 0; }
.warning { border: 0.5pt solid #999; padding: 3pt 5pt; background: #f6f6f6; }
.signs { display: flex; gap: 16pt; margin-top: 16pt; break-inside: avoid; }
.signs div { flex: 1; border-top: 0.75pt solid #111; padding-top: 2pt; font-size: 8.5pt; }
.signs span { float: right; color: #444; }
@media screen { body { max-width: 210mm; margin: 10mm auto; padding: 0 8mm; } }
`;

function section(s: DocSection): string {
  const title = s.title ? `<h2>${e(s.title)}</h2>` : '';
  if (s.kind === 'text') {
    return `<section class="text${s.tone === 'warning' ? ' warning' : ''}">${title}${s.paragraphs.map((p) => `<p>${e(p)}</p>`).join('')}</section>`;
  }
  if (s.kind === 'totals') {
    const rows = s.rows.map((r) => `<tr${r.strong ? ' class="strong"' : ''}><td>${e(r.label)}</td><td${r.value.length > 24 ? ' class="long"' : ''}>${e(r.value)}</td></tr>`).join('');
    return `<section class="sum">${title}<table class="totals"><tbody>${rows}</tbody></table></section>`;
  }
  const cls = (i: number) => (s.columns[i]?.align === 'right' ? ' class="r"' : '');
  const head = `<thead><tr>${s.columns.map((c, i) => `<th${cls(i)}>${e(c.label)}</th>`).join('')}</tr></thead>`;
  const body = s.rows.length
    ? s.rows.map((r) => `<tr>${r.map((v, i) => `<td${cls(i)}>${e(v)}</td>`).join('')}</tr>`).join('')
    : `<tr><td class="empty" colspan="${s.columns.length}">${e(s.empty ?? '')}</td></tr>`;
  return `<section>${title}<table class="grid">${head}<tbody>${body}</tbody></table></section>`;
}

/** Sections in order; neighbouring summaries (totals, estimate vs final, next service) share a row. */
function sections(list: readonly DocSection[]): string {
  const out: string[] = [];
  for (let i = 0; i < list.length; ) {
    if (list[i]!.kind === 'totals' && list[i + 1]?.kind === 'totals') {
      const group: DocSection[] = [];
      while (list[i]?.kind === 'totals' && group.length < 3) group.push(list[i++]!);
      out.push(`<div class="row">${group.map(section).join('')}</div>`);
    } else out.push(section(list[i++]!));
  }
  return out.join('\n');
}

/** Long fact values (complaint, belongings) take a whole row of the fact grid. */
const isWide = (label: string, value: string) => value.length > 24 || label.length > 12;

export function renderDocumentHtml(doc: DocModel): string {
  const shopLine = [doc.shop.address, doc.shop.phone].filter(Boolean).map(e).join(' · ');
  const header = `<div class="head"><div><div class="shop">${e(doc.shop.name)}</div>${shopLine ? `<div class="shopline">${shopLine}</div>` : ''}</div>` +
    `<div class="doc"><div class="title">${e(doc.title)}</div><div class="subtitle">${e(doc.subtitle)}</div><div class="ref">${e(doc.ref)}</div></div></div>`;
  const facts = doc.facts
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `<div${isWide(k, v) ? ' class="wide"' : ''}><b>${e(k)}</b><span>${e(v)}</span></div>`)
    .join('');
  const signs = `<div class="signs">${doc.signLines.map((l) => `<div>${e(l)}<span>${e(doc.lang === 'en' ? 'Date' : '日期')}</span></div>`).join('')}</div>`;
  return `<!DOCTYPE html>
<html lang="${doc.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(`${doc.title} ${doc.ref}`)}</title>
<style>${CSS}</style>
</head>
<body>
<table class="page"><thead><tr><td>${header}</td></tr></thead><tbody><tr><td>
<div class="facts">${facts}</div>
${sections(doc.sections)}
${signs}
</td></tr></tbody></table>
</body>
</html>
`;
}
