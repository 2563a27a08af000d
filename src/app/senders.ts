/**
 * The two senders of the outbox (SPEC §13): a webhook (an HTTP(S) JSON POST through Node's fetch, with
 * an Idempotency-Key header and, with `outbox.secret`, an HMAC-SHA256 signature of the exact body in
 * X-Pitstop-Signature: `sha256=<hex>`) and a command (run through /bin/sh with the message as JSON on
 * stdin, in its own process group, killed with it after the timeout). The secret never leaves here.
 */
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';

export interface Delivery {
  ok: boolean;
  /** what happened, short, without secrets */
  detail: string;
  /** seconds a 429/503 asked to wait */
  retryAfter: string | null;
}

export type Sender = (body: string, key: string) => Promise<Delivery>;

export function signature(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function webhookSender(url: string, secret: string, timeoutMs: number): Sender {
  const shown = (() => {
    try {
      const u = new URL(url);
      return `${u.protocol}//${u.host}${u.pathname}`; // never the user:password or the query
    } catch {
      return 'the webhook';
    }
  })();
  return async (body, key) => {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'idempotency-key': key, 'user-agent': 'pitstop' };
    if (secret) headers['x-pitstop-signature'] = signature(secret, body);
    try {
      const r = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
      await r.arrayBuffer().catch(() => undefined);
      return { ok: r.status >= 200 && r.status < 300, detail: `HTTP ${r.status} from ${shown}`, retryAfter: r.headers.get('retry-after') };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const why = e.name === 'TimeoutError' || e.name === 'AbortError' ? `no answer within ${timeoutMs / 1000} s` : (e.cause?.code ?? e.message);
      return { ok: false, detail: `${shown}: ${why}`, retryAfter: null };
    }
  };
}

export function commandSender(command: string, timeoutMs: number): Sender {
  return (body) =>
    new Promise((resolve) => {
      const child = spawn('/bin/sh', ['-c', command], { detached: true, stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      let timedOut = false;
      child.stderr!.on('data', (d: Buffer) => {
        if (stderr.length < 2000) stderr += d.toString('utf8');
      });
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        resolve({ ok: false, detail: `outbox.command could not start: ${err.message}`, retryAfter: null });
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        const last = stderr.trim().split('\n').pop()?.slice(0, 200) ?? '';
        if (timedOut) resolve({ ok: false, detail: `outbox.command did not finish within ${timeoutMs / 1000} s; it was stopped`, retryAfter: null });
        else resolve({ ok: code === 0, detail: `outbox.command exit ${code}${last ? `: ${last}` : ''}`, retryAfter: null });
      });
      child.stdin!.on('error', () => {});
      child.stdin!.end(body);
    });
}
