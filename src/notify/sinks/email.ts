import nodemailer from 'nodemailer';
import type { z } from 'zod';
import { SinkUnavailableError, describeError } from '../../check-api/errors.js';
import type { emailSinkSchema } from '../config.js';
import { SEVERITY_COLOUR, buildDigest, problemLine, reasonLabel, type Digest, type RenderContext } from '../digest.js';
import { SinkRejectedError, type Sink } from '../sink.js';

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

export function emailText(digest: Digest): string {
  const lines = [digest.title, ''];
  for (const problem of digest.runProblems) lines.push(`! ${problemLine(problem)}`, '');
  for (const item of digest.items) {
    lines.push(`[${item.severity}] ${item.title} (${reasonLabel(item.reason)})`);
    lines.push(`  check: ${item.checkId}`, `  resource: ${item.resourceId}`);
    if (item.location) lines.push(`  location: ${item.location}`);
    lines.push(`  first step: ${item.remediation}`);
    if (item.runbook) lines.push(`  runbook: ${item.runbook}`);
    if (item.link) lines.push(`  finding: ${item.link}`);
    lines.push('');
  }
  if (digest.more > 0) lines.push(`…and ${digest.more} more`);
  return lines.join('\n');
}

export function emailHtml(digest: Digest): string {
  const parts = [`<h2>${escapeHtml(digest.title)}</h2>`];
  for (const problem of digest.runProblems) parts.push(`<p style="color:#B08800"><b>Run problem:</b> ${escapeHtml(problemLine(problem))}</p>`);
  for (const item of digest.items) {
    const links = [item.runbook ? `<a href="${escapeHtml(item.runbook)}">Runbook</a>` : '', item.link ? `<a href="${escapeHtml(item.link)}">Finding</a>` : ''].filter(Boolean).join(' · ');
    parts.push(
      `<div style="border-left:4px solid ${SEVERITY_COLOUR[item.severity]};padding-left:8px;margin:8px 0">` +
        `<b>[${item.severity}] ${escapeHtml(item.title)}</b> (${reasonLabel(item.reason)})<br>` +
        `<code>${escapeHtml(item.checkId)}</code> · ${escapeHtml(item.resourceId)}${item.location ? ` · ${escapeHtml(item.location)}` : ''}<br>` +
        `<b>First step:</b> ${escapeHtml(item.remediation)}${links ? `<br>${links}` : ''}</div>`,
    );
  }
  if (digest.more > 0) parts.push(`<p>…and ${digest.more} more</p>`);
  return parts.join('\n');
}

/** SMTP 4xx and connection problems are temporary; 5xx (bad recipient, refused message) will not improve by retrying. */
function translateSmtpError(name: string, error: unknown): Error {
  const responseCode = (error as { responseCode?: number }).responseCode;
  const message = `email sink ${name}: ${describeError(error)}`;
  if (typeof responseCode === 'number' && responseCode >= 500) return new SinkRejectedError(message, { cause: error });
  return new SinkUnavailableError(message, { cause: error });
}

export function createEmailSink(name: string, config: z.output<typeof emailSinkSchema>, context: RenderContext): Sink {
  const transport = nodemailer.createTransport({
    host: config.smtp.host,
    port: config.smtp.port,
    secure: config.smtp.secure,
    requireTLS: config.smtp.requireTls,
    ignoreTLS: !config.smtp.requireTls && !config.smtp.secure,
    connectionTimeout: config.timeout,
    greetingTimeout: config.timeout,
    socketTimeout: config.timeout,
    ...(config.smtp.user ? { auth: { user: config.smtp.user, pass: config.smtp.pass ?? '' } } : {}),
  });
  const send = async (subject: string, text: string, html: string, messageId: string) => {
    try {
      await transport.sendMail({ from: config.from, to: config.to, subject, text, html, messageId });
    } catch (error) {
      throw translateSmtpError(name, error);
    }
  };
  return {
    name,
    type: 'email',
    digest: config.digest ?? true,
    concurrency: config.concurrency,
    deliver: async (batch) => {
      const digest = buildDigest(batch.events, { ...context, top: config.digestTop });
      // A stable Message-ID lets mail clients and archives fold a redelivered digest into the original.
      await send(digest.title, emailText(digest), emailHtml(digest), `<${batch.key.replace(/[^A-Za-z0-9.-]/g, '-')}@vigil>`);
    },
    sendTest: () => send('Vigil test message', 'This email sink is configured correctly.', '<p>This email sink is configured correctly.</p>', `<test-${Date.now()}@vigil>`),
    close: async () => transport.close(),
  };
}
