/**
 * `pitstop print KIND REF` (SPEC §11, §16): the booking slip, the estimate (维修委托书), the settlement
 * (结算单) and the release note (出厂通知单). Loads what the document needs, builds it with the pure
 * model (src/domain/documents.ts), writes the HTML (always) and, with --format pdf, prints it through
 * a headless Chromium. Files are written atomically, mode 0600; the default folder is
 * `<data dir>/documents/`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Ctx } from './context.js';
import { showOrder } from './orders.js';
import { showBooking } from './bookings.js';
import { nextServiceDue } from './vehicles.js';
import { assertReplaceable, mapFsError, writeFileAtomic } from '../fsx/atomic.js';
import { invalid } from '../errors.js';
import {
  bookingDocument, documentBaseName, DOCUMENT_KINDS, estimateDocument, releaseDocument, settlementDocument,
  type DocLang, type DocModel, type DocOrderData, type DocSettings, type DocumentKind,
} from '../domain/documents.js';
import { renderDocumentHtml } from '../domain/documents-html.js';
import { localDay } from '../domain/time.js';
import { findingLabel } from '../domain/order.js';
import { vehicleById } from '../db/vehicles.js';

export interface PrintInput {
  out?: string;
  format?: string;
  lang?: string;
}

export interface PrintResult {
  kind: DocumentKind;
  ref: string;
  files: string[];
  warnings: string[];
}

function docSettings(ctx: Ctx): DocSettings {
  return {
    shop: { name: ctx.settings.get('shop.name'), address: ctx.settings.get('shop.address'), phone: ctx.settings.get('shop.phone') },
    tz: ctx.tz,
    warrantyDays: ctx.settings.int('warranty.days'),
    warrantyKm: ctx.settings.int('warranty.km'),
  };
}

/** What an order's documents are made from: `order show`'s picture plus the car's open findings and next service. */
export async function orderDocumentData(ctx: Ctx, number: string): Promise<DocOrderData> {
  const p = await showOrder(ctx, number);
  const o = p.order as typeof p.order & Record<string, unknown>;
  const fixedHere = new Set(p.resolves.filter((f) => f.line_status === 'approved').map((f) => f.id));
  const open = await ctx.db.all<{ id: number; description: string; severity: string | null; created_at: string; order_number: string }>(
    `SELECT f.id, f.description, f.severity, f.created_at, o.number AS order_number FROM findings f JOIN orders o ON o.id = f.order_id
      WHERE f.vehicle_id = ? AND f.status = 'open' ORDER BY CASE f.severity WHEN 'safety' THEN 0 WHEN 'advised' THEN 1 ELSE 2 END, f.created_at, f.id`,
    [o.vehicle_id],
  );
  const vehicle = await vehicleById(ctx.db, o.vehicle_id);
  const day = localDay(o.delivered_at ?? ctx.now, ctx.tz);
  const due = vehicle && vehicle.active ? await nextServiceDue(ctx, vehicle, day) : null;
  const intervalKm = vehicle?.interval_km ?? ctx.settings.int('maintenance.interval_km');
  return {
    order: {
      number: o.number, status: o.status, category: o.category, opened_at: o.opened_at, mileage_in: o.mileage_in, fuel: o.fuel, belongings: o.belongings,
      damage: o.damage, key_tag: o.key_tag, complaint: o.complaint, promised_at: o.promised_at, ready_at: o.ready_at, delivered_at: o.delivered_at,
      road_test: o.road_test, discount_cents: o.discount_cents, plate: String(o.plate), vin: (o.vin as string | null) ?? null, make: (o.make as string | null) ?? null,
      model: (o.model as string | null) ?? null, customer_name: String(o.customer_name), phone: String(o.phone), advisor: (o.advisor as string | null) ?? null,
      technician: (o.technician as string | null) ?? null, inspector: (o.inspector as string | null) ?? null,
    },
    lines: p.lines,
    totals: p.totals,
    settlement: p.settlement,
    payments: p.payments,
    openFindings: open.filter((f) => !fixedHere.has(f.id)).map((f) => ({ label: findingLabel(f.id), description: f.description, severity: f.severity, order_number: f.order_number, created_at: f.created_at })),
    inspection: p.inspection,
    signatures: p.signatures,
    nextService: due ? { due_on: due.dueOn, due_km: due.lastService ? due.lastService.km + intervalKm : null } : null,
  };
}

function parseKind(text: string): DocumentKind {
  if (!(DOCUMENT_KINDS as readonly string[]).includes(text)) throw invalid('KIND', text, `one of ${DOCUMENT_KINDS.join(', ')}`);
  return text as DocumentKind;
}

export async function buildDocument(ctx: Ctx, kindText: string, ref: string, langText?: string): Promise<DocModel> {
  const kind = parseKind(kindText);
  const lang = (langText ?? ctx.settings.locale) as DocLang;
  if (lang !== 'zh-CN' && lang !== 'en') throw invalid('--lang', langText, 'zh-CN or en');
  const s = docSettings(ctx);
  if (kind === 'booking') {
    const b = await showBooking(ctx, ref);
    return bookingDocument(b as Parameters<typeof bookingDocument>[0], s, lang);
  }
  const d = await orderDocumentData(ctx, ref);
  return kind === 'estimate' ? estimateDocument(d, s, lang) : kind === 'settlement' ? settlementDocument(d, s, lang) : releaseDocument(d, s, lang);
}

/** Where a document goes: --out, else `<data dir>/documents/<KIND>-<REF>.<ext>`. */
function targetOf(ctx: Ctx, doc: DocModel, format: 'html' | 'pdf', out?: string): { html: string; pdf: string | null } {
  const ext = (f: string, e: string) => (f.toLowerCase().endsWith(`.${e}`) ? f : `${f.replace(/\.(html?|pdf)$/i, '')}.${e}`);
  let base: string;
  if (out && fs.existsSync(out) && fs.statSync(out).isDirectory()) {
    // a folder: the document goes into it under its default name
    base = path.join(path.resolve(out), documentBaseName(doc.kind, doc.ref));
  } else if (out) {
    base = path.resolve(out);
    if (!fs.existsSync(path.dirname(base))) throw invalid('--out', out, `folder ${JSON.stringify(path.dirname(base))} does not exist`);
  } else {
    const dir = path.join(ctx.dataDir, 'documents');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    base = path.join(dir, documentBaseName(doc.kind, doc.ref));
  }
  const html = format === 'html' ? ext(base, 'html') : ext(base.replace(/\.pdf$/i, ''), 'html');
  const pdf = format === 'pdf' ? ext(base, 'pdf') : null;
  assertReplaceable(html, '--out', out ?? html);
  if (pdf) assertReplaceable(pdf, '--out', out ?? pdf);
  return { html, pdf };
}

export async function printDocument(ctx: Ctx, kindText: string, ref: string, input: PrintInput): Promise<PrintResult> {
  const format = input.format ?? 'html';
  if (format !== 'html' && format !== 'pdf') throw invalid('--format', format, 'html or pdf');
  const kind = parseKind(kindText);
  // a PDF needs a browser: say so before anything is read or written
  const browser = format === 'pdf' ? (await import('./browser.js')).findBrowser(ctx.settings.get('print.browser')) : null;
  const doc = await buildDocument(ctx, kind, ref, input.lang);
  const html = renderDocumentHtml(doc);
  const target = targetOf(ctx, doc, format, input.out);
  const warnings: string[] = [];
  const files: string[] = [];
  try {
    if (browser && target.pdf) {
      const { hasChineseFont, printPdf, printTimeoutMs } = await import('./browser.js');
      if (hasChineseFont() === false) warnings.push('no Chinese font is installed: Chinese text in the PDF will show as boxes (Debian: apt-get install fonts-noto-cjk)');
      const timeout = printTimeoutMs();
      await printPdf(browser, html, target.pdf, timeout);
    }
    await writeFileAtomic(target.html, async (sink) => sink.write(html));
  } catch (err) {
    throw mapFsError(err, target.html);
  }
  files.push(target.html);
  if (target.pdf) files.push(target.pdf);
  return { kind, ref: doc.ref, files, warnings };
}
