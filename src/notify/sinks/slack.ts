import type { z } from 'zod';
import type { slackSinkSchema } from '../config.js';
import { SEVERITY_COLOUR, buildDigest, problemLine, reasonLabel, type Digest, type DigestItem, type RenderContext } from '../digest.js';
import { postToSink } from '../http.js';
import type { Sink } from '../sink.js';
import { slackTriageButtons } from './slack-triage.js';

/** Slack caps a section's text at 3000 characters and a message at 50 blocks. */
const SECTION_LIMIT = 3000;

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function clip(text: string): string {
  return text.length <= SECTION_LIMIT ? text : `${text.slice(0, SECTION_LIMIT - 1)}…`;
}

function itemText(item: DigestItem): string {
  const links = [item.runbook ? `<${item.runbook}|Runbook>` : null, item.link ? `<${item.link}|Finding>` : null].filter(Boolean).join(' · ');
  return clip(
    [
      `*[${item.severity}] ${slackEscape(item.title)}* (${reasonLabel(item.reason)})`,
      `\`${slackEscape(item.checkId)}\` · ${slackEscape(item.resourceId)}${item.location ? ` · ${slackEscape(item.location)}` : ''}`,
      `*First step:* ${slackEscape(item.remediation)}`,
      links,
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

/** Block Kit inside a legacy attachment: the only way an incoming webhook shows a severity colour bar. */
export function slackMessage(digest: Digest, options: { readonly triageButtons?: boolean } = {}): unknown {
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: digest.title.slice(0, 150) } }];
  for (const problem of digest.runProblems) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`:warning: ${slackEscape(problemLine(problem))}`) } });
  for (const item of digest.items) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: itemText(item) } });
    // A resolved finding needs no triage; buttons under it would only invite a stale decision.
    if (options.triageButtons && item.reason !== 'resolved') blocks.push(slackTriageButtons(item.fingerprint));
  }
  if (digest.more > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${digest.more} more` }] });
  const colour = digest.maxSeverity ? SEVERITY_COLOUR[digest.maxSeverity] : '#D93F0B';
  return { text: digest.title, attachments: [{ color: colour, blocks: blocks.slice(0, 50) }] };
}

export function createSlackSink(name: string, config: z.output<typeof slackSinkSchema>, context: RenderContext): Sink {
  const post = (payload: unknown, signal: AbortSignal) =>
    postToSink(config.url, JSON.stringify(payload), {}, { timeoutMs: config.timeout, signal, what: `slack sink ${name}` }).then(() => undefined);
  return {
    name,
    type: 'slack',
    digest: config.digest ?? true,
    concurrency: config.concurrency,
    deliver: (batch, signal) => post(slackMessage(buildDigest(batch.events, { ...context, top: config.digestTop }), { triageButtons: config.triageButtons }), signal),
    sendTest: (signal) => post({ text: 'Vigil test message: this Slack sink is configured correctly.' }, signal),
  };
}
