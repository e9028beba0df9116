import type { z } from 'zod';
import type { teamsSinkSchema } from '../config.js';
import { buildDigest, problemLine, reasonLabel, type Digest, type RenderContext } from '../digest.js';
import { postToSink } from '../http.js';
import type { Sink } from '../sink.js';

const TEAMS_COLOUR = { critical: 'attention', high: 'attention', medium: 'warning', low: 'good', info: 'default' } as const;

/**
 * A Workflows (Power Automate) webhook message carrying an Adaptive Card. The Office 365 connector MessageCard is
 * retired, so that shape is never sent.
 */
export function teamsMessage(digest: Digest): unknown {
  const body: unknown[] = [{ type: 'TextBlock', size: 'Large', weight: 'Bolder', wrap: true, text: digest.title }];
  for (const problem of digest.runProblems) body.push({ type: 'TextBlock', wrap: true, color: 'warning', text: problemLine(problem) });
  for (const item of digest.items) {
    body.push({
      type: 'Container',
      separator: true,
      items: [
        { type: 'TextBlock', wrap: true, weight: 'Bolder', color: TEAMS_COLOUR[item.severity], text: `[${item.severity}] ${item.title} (${reasonLabel(item.reason)})` },
        {
          type: 'FactSet',
          facts: [
            { title: 'Check', value: item.checkId },
            { title: 'Resource', value: item.resourceId },
            ...(item.location ? [{ title: 'Location', value: item.location }] : []),
            { title: 'First step', value: item.remediation },
            ...(item.runbook ? [{ title: 'Runbook', value: `[${item.runbook}](${item.runbook})` }] : []),
          ],
        },
      ],
      ...(item.link ? { selectAction: { type: 'Action.OpenUrl', url: item.link } } : {}),
    });
  }
  if (digest.more > 0) body.push({ type: 'TextBlock', isSubtle: true, text: `…and ${digest.more} more` });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body },
      },
    ],
  };
}

export function createTeamsSink(name: string, config: z.output<typeof teamsSinkSchema>, context: RenderContext): Sink {
  const post = (payload: unknown, signal: AbortSignal) =>
    postToSink(config.url, JSON.stringify(payload), {}, { timeoutMs: config.timeout, signal, what: `teams sink ${name}` }).then(() => undefined);
  return {
    name,
    type: 'teams',
    digest: config.digest ?? true,
    concurrency: config.concurrency,
    deliver: (batch, signal) => post(teamsMessage(buildDigest(batch.events, { ...context, top: config.digestTop })), signal),
    sendTest: (signal) =>
      post(
        teamsMessage({ title: 'Vigil test message: this Teams sink is configured correctly.', counts: {}, items: [], more: 0, runProblems: [], maxSeverity: null }),
        signal,
      ),
  };
}
