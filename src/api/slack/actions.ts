import { z } from 'zod';
import { StoreError } from '../../check-api/errors.js';
import type { Db } from '../../store/db.js';
import { setDecision } from '../../store/decisions.js';
import { ApiError } from '../http-util.js';

/** The action ids of the triage buttons on Slack alerts; the alert builder puts the finding's fingerprint in `value`. */
export const SLACK_ACTIONS = {
  'vigil.mute': 'muted',
  'vigil.accept-risk': 'accepted',
  'vigil.false-positive': 'false_positive',
} as const;
export type SlackActionId = keyof typeof SLACK_ACTIONS;

/** How long "accept risk" from Slack lasts; after that the finding alerts again (decided in the TUI/CLI for longer). */
export const SLACK_ACCEPT_DAYS = 90;

/** Block Kit buttons for an alert about one finding, for the Slack sink to append to its message. */
export function slackTriageButtons(fingerprint: string): unknown {
  const button = (action_id: SlackActionId, text: string, style?: 'danger' | 'primary') => ({
    type: 'button',
    action_id,
    value: fingerprint,
    text: { type: 'plain_text', text },
    ...(style ? { style } : {}),
  });
  return {
    type: 'actions',
    elements: [button('vigil.mute', 'Mute'), button('vigil.accept-risk', `Accept risk (${SLACK_ACCEPT_DAYS}d)`), button('vigil.false-positive', 'False positive', 'danger')],
  };
}

const payloadSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().min(1), username: z.string().optional(), name: z.string().optional() }),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});

/** Records each button press as a decision carrying the Slack user; answers with an ephemeral confirmation. */
export function handleSlackAction(form: URLSearchParams, db: Db, now: number): { response_type: 'ephemeral'; replace_original: false; text: string } {
  let payload: z.infer<typeof payloadSchema>;
  try {
    payload = payloadSchema.parse(JSON.parse(form.get('payload') ?? ''));
  } catch {
    throw new ApiError(400, 'payload: not a Slack block_actions payload');
  }
  const who = payload.user.username ?? payload.user.name ?? payload.user.id;
  const lines: string[] = [];
  for (const action of payload.actions) {
    if (!(action.action_id in SLACK_ACTIONS)) throw new ApiError(400, `unknown action '${action.action_id}'`);
    if (!action.value) throw new ApiError(400, `action '${action.action_id}' carries no finding fingerprint`);
    const decision = SLACK_ACTIONS[action.action_id as SlackActionId];
    try {
      setDecision(
        db,
        {
          fingerprint: action.value,
          decision,
          reason: `${action.action_id.slice('vigil.'.length)} from Slack by @${who}`,
          actor: `slack:${who} (${payload.user.id})`,
          ...(decision === 'accepted' ? { until: now + SLACK_ACCEPT_DAYS * 86_400_000 } : {}),
        },
        now,
      );
    } catch (error) {
      if (error instanceof StoreError) throw new ApiError(400, error.message);
      throw error;
    }
    lines.push(`Recorded *${decision}* on \`${action.value.slice(0, 12)}\` for @${who}.`);
  }
  return { response_type: 'ephemeral', replace_original: false, text: lines.join('\n') };
}
