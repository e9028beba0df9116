import { z } from 'zod';
import { StoreError } from '../../check-api/errors.js';
import type { Db } from '../../store/db.js';
import { setDecision } from '../../store/decisions.js';
import { ApiError } from '../http-util.js';
import { SLACK_ACCEPT_DAYS, SLACK_ACTIONS, type SlackActionId } from '../../notify/sinks/slack-triage.js';

export { SLACK_ACCEPT_DAYS, SLACK_ACTIONS, slackTriageButtons, type SlackActionId } from '../../notify/sinks/slack-triage.js';

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
