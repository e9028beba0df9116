import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { registry } from '../../checks/registry.js';

const parse = (text: string, env: NodeJS.ProcessEnv = {}) => parseConfig(text, 'vigil.yaml', registry, env);

describe('alert and ticket config', () => {
  it('accepts sinks, routes, runbooks and jira with secrets from the environment', () => {
    const loaded = parse(
      [
        'sinks:',
        '  chat: { type: slack, url: "${SLACK_URL}" }',
        '  pager: { type: pagerduty, routingKey: "${PD_KEY}" }',
        'routes:',
        '  - { name: crit, match: { severity: critical }, sinks: [pager], continue: true, sendRunProblems: false }',
        '  - { match: { check: ["ports.*"] }, sinks: [chat], repeatInterval: 4h }',
        'runbooks: { "ports.*": "https://wiki.example.test/ports" }',
        'jira: { flavor: server, url: "https://jira.example.test", token: "${JIRA_PAT}", project: SEC }',
      ].join('\n'),
      { SLACK_URL: 'https://hooks.slack.example.test/T/B/x', PD_KEY: 'routing-key', JIRA_PAT: 'pat-value' },
    );
    expect(loaded.config.sinks['chat']).toMatchObject({ type: 'slack', url: 'https://hooks.slack.example.test/T/B/x', digestTop: 10, concurrency: 1 });
    expect(loaded.config.sinks['pager']).toMatchObject({ url: 'https://events.pagerduty.com/v2/enqueue' });
    expect(loaded.config.routes[1]).toMatchObject({ repeatInterval: 14_400_000, repeatSeverities: ['critical'], continue: false });
    expect(loaded.config.jira).toMatchObject({ flavor: 'server', token: 'pat-value', grouping: 'finding', searchLag: 30_000 });
  });

  it('names the key and line of every mistake', () => {
    expect(() => parse('sinks:\n  chat: { type: slack, url: "${SLACK_URL}" }\n')).toThrow('vigil.yaml:2: sinks.chat.url: environment variable SLACK_URL is not set');
    expect(() => parse('sinks:\n  chat: { type: slak, url: "https://x.example.test" }\n')).toThrow(/vigil\.yaml:2: sinks\.chat\.type: /);
    expect(() => parse('sinks:\n  hook: { type: webhook, url: "https://x.example.test", secret: short }\n')).toThrow('sinks.hook.secret: a webhook secret needs at least 16 characters');
    expect(() => parse('routes:\n  - sinks: [chat]\n    matches: {}\n')).toThrow(/vigil\.yaml:3: routes\[0\]\.matches: unknown key 'matches'/);
    expect(() => parse('jira: { flavor: cloud, url: "https://x.atlassian.net", email: bot@example.test, project: SEC }\n')).toThrow(
      'jira.apiToken: Jira Cloud needs email and apiToken',
    );
    expect(() => parse('jira: { flavor: cloud, url: "https://x.atlassian.net", email: a@b.test, apiToken: t, project: SEC, labels: ["two words"] }\n')).toThrow(
      'Jira labels cannot contain spaces',
    );
  });
});
