/**
 * The triage buttons on Slack alerts and the decisions they stand for. The Slack sink draws them; the API's
 * `/v1/slack/actions` endpoint records the press. They live with the sink so the notifier does not depend on the API.
 */
/** The action ids of the triage buttons on Slack alerts; the alert builder puts the finding's fingerprint in `value`. */
export const SLACK_ACTIONS = {
  'vigil.mute': 'muted',
  'vigil.accept-risk': 'accepted',
  'vigil.false-positive': 'false_positive',
} as const;
export type SlackActionId = keyof typeof SLACK_ACTIONS;

/** How long "accept risk" from Slack lasts; after that the finding alerts again (decided in the TUI/CLI for longer). */
export const SLACK_ACCEPT_DAYS = 90;

/** Block Kit buttons for an alert about one finding, appended under it when the sink has `triageButtons: true`. */
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

