import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import { describeError } from '../check-api/errors.js';
import { effectiveDecision } from '../findings/lifecycle.js';
import type { Logger } from '../log.js';
import type { JiraConfig } from '../notify/config.js';
import { itemFor, type RenderContext } from '../notify/digest.js';
import { areaOf, type AlertEvent, type AlertFinding, type FindingEventPayload } from '../notify/events.js';
import { SinkDeferredError, type DeliveryBatch, type Sink } from '../notify/sink.js';
import type { Db } from '../store/db.js';
import { adfDocument, commentBody, ticketText, wikiMarkup } from './description.js';
import { JiraClient, JiraCreateUncertainError, type StatusCategory } from './jira-client.js';
import { ticketLinks, type TicketLink, type TicketState } from './ticket-links.js';

export function ticketGroupKey(grouping: JiraConfig['grouping'], finding: Pick<AlertFinding, 'fingerprint' | 'checkId' | 'resourceId'>): string {
  if (grouping === 'finding') return finding.fingerprint;
  return `cr-${createHash('sha256').update(`${finding.checkId}\0${finding.resourceId}`).digest('hex').slice(0, 32)}`;
}

/** The label that finds our issue again when a create's answer was lost; Jira labels allow no spaces. */
export function ticketLabel(groupKey: string): string {
  return `vigil-fp-${createHash('sha256').update(groupKey).digest('hex').slice(0, 20)}`;
}

type Desired = 'open' | 'done' | 'wont_do';

/**
 * Ticket sync, one lifecycle event at a time, in order per ticket (the dispatcher guarantees the order). Every step is
 * level-triggered and idempotent so replays, lost responses and restarts converge on one ticket per finding:
 * - the SQLite link (group key → issue key) is the authority; a create is recorded as started *before* the POST, and
 *   a create whose answer was lost is looked up by label only after Jira's search lag has passed, never re-posted blind;
 * - a comment carries a marker `[vigil:<event>]`; a marker recorded as posted is never posted again, and one whose
 *   answer was lost is looked for among the issue's comments (which, unlike search, are consistent) first;
 * - a transition happens only when the issue's status category differs from the one the finding calls for.
 */
export class JiraSync {
  private readonly links;
  /**
   * When this process first saw each unfinished create. A create POSTed by a process that then died may still be in
   * flight inside Jira, so the search-lag wait runs from what we observed, not only from when the POST started.
   */
  private readonly uncertainSince = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly client: JiraClient,
    private readonly config: JiraConfig,
    private readonly context: RenderContext,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.links = ticketLinks(db);
  }

  async handle(event: AlertEvent, signal: AbortSignal): Promise<void> {
    if (event.kind !== 'finding') return;
    const payload = event.payload;
    const finding = payload.finding;
    const groupKey = ticketGroupKey(this.config.grouping, finding);
    const marker = `vigil:${event.eventId ?? `o${event.outboxId}`}`;
    const link = this.links.get(groupKey);
    switch (payload.event) {
      case 'new':
      case 'open':
      case 'reopened':
      case 'accepted_expired':
      case 'decision_cleared': {
        if (this.silenced(finding) || !this.stillActive(finding)) return;
        const created = !link?.issueKey;
        const key = await this.ensureTicket(groupKey, finding, signal);
        if (created && payload.event === 'new') return;
        await this.ensureStatus(key, groupKey, 'open', marker, this.reopenReason(payload), signal);
        return;
      }
      case 'severity_changed': {
        if (!link?.issueKey || this.silenced(finding)) return;
        const details = payload.details ?? {};
        await this.ensureComment(link.issueKey, marker, `Severity changed from ${String(details['from'])} to ${String(details['to'])} (run ${event.runId ?? 'n/a'}).`, signal);
        return;
      }
      case 'resolved': {
        // Level-triggered on the ledger: a replayed "resolved" for a finding that has since come back closes nothing.
        if (!link?.issueKey || this.stillActive(finding)) return;
        if (this.config.grouping === 'check-resource' && this.groupStillActive(finding)) {
          await this.ensureComment(link.issueKey, marker, `${finding.title} (${finding.key || finding.fingerprint.slice(0, 12)}) verified fixed by run ${event.runId}; other findings on ${finding.resourceId} remain open.`, signal);
          return;
        }
        const when = new Date(payload.at).toISOString();
        await this.ensureStatus(link.issueKey, groupKey, 'done', marker, `Verified fixed: Vigil run ${event.runId ?? 'n/a'} of ${finding.checkId} completed at ${when} and no longer saw this finding on ${finding.resourceId}.`, signal);
        return;
      }
      case 'decision_false_positive': {
        if (!link?.issueKey || this.currentDecision(finding.fingerprint) !== 'false_positive') return;
        await this.ensureStatus(link.issueKey, groupKey, 'wont_do', marker, `Marked as a false positive by ${payload.actor}: ${payload.reason ?? 'no reason given'}. Closed as won't do; Vigil will not alert or ticket this finding again.`, signal);
        return;
      }
      case 'decision_accepted': {
        if (!link?.issueKey) return;
        const until = payload.details?.['until'];
        const untilText = typeof until === 'number' ? new Date(until).toISOString().slice(0, 10) : 'an unknown date';
        await this.ensureComment(link.issueKey, marker, `Risk accepted by ${payload.actor} until ${untilText}: ${payload.reason ?? 'no reason given'}. Vigil alerts again if it is still present after that date.`, signal);
        return;
      }
      default:
        return;
    }
  }

  private reopenReason(payload: FindingEventPayload): string {
    const when = new Date(payload.at).toISOString();
    switch (payload.event) {
      case 'reopened':
        return `Reopened: Vigil saw this finding again at ${when} after it had been resolved.`;
      case 'accepted_expired':
        return `Reopened: the risk acceptance expired and the finding was still present at ${when}.`;
      case 'decision_cleared':
        return `Reopened: ${payload.actor} cleared the earlier decision (${payload.reason ?? 'no reason given'}) and the finding is still present.`;
      default:
        return `Reopened: the ticket was closed but Vigil still sees this finding (checked at ${when}). Close it once the fix is deployed; Vigil closes it itself after a clean run.`;
    }
  }

  /** Decisions are read from the ledger now, not from the event: a false positive marked since must not get a ticket. */
  private silenced(finding: AlertFinding): boolean {
    const current = this.currentDecision(finding.fingerprint);
    const decision = current !== undefined ? current : finding.decision;
    return decision === 'false_positive' || decision === 'accepted';
  }

  private silencedFingerprint(fingerprint: string): boolean {
    const decision = this.currentDecision(fingerprint);
    return decision === 'false_positive' || decision === 'accepted';
  }

  private currentDecision(fingerprint: string): string | null | undefined {
    const row = this.db.prepare(`SELECT decision, decision_until FROM findings WHERE fingerprint = ?`).get(fingerprint) as
      | { decision: 'false_positive' | 'accepted' | 'muted' | null; decision_until: number | null }
      | undefined;
    return row ? effectiveDecision({ decision: row.decision, decisionUntil: row.decision_until }, this.now()) : undefined;
  }

  /** A replayed "new" for a finding that has since resolved must not open a ticket. */
  private stillActive(finding: AlertFinding): boolean {
    const row = this.db.prepare(`SELECT status FROM findings WHERE fingerprint = ?`).get(finding.fingerprint) as { status: string } | undefined;
    return row ? row.status !== 'resolved' : finding.status !== 'resolved';
  }

  private groupStillActive(finding: AlertFinding): boolean {
    return (
      this.db
        .prepare(`SELECT 1 FROM findings WHERE check_id = ? AND resource_id = ? AND fingerprint <> ? AND status IN ('new','open','reopened') LIMIT 1`)
        .get(finding.checkId, finding.resourceId, finding.fingerprint) !== undefined
    );
  }

  /**
   * Tickets a person moved to done while the finding is still there: a finding seen again by a run since the link
   * was last checked gets its issue read, and reopened with a comment when it is done. Runs on the dispatcher's
   * sweep, since a finding that stays open writes no event. Per-finding tickets only (a group has no single finding).
   */
  async verifyOpenTickets(signal: AbortSignal, limit = 200): Promise<number> {
    if (this.config.grouping !== 'finding') return 0;
    const rows = this.db
      .prepare(
        `SELECT l.group_key, l.issue_key, f.last_run_id, f.last_seen, f.fingerprint FROM ticket_links l JOIN findings f ON f.fingerprint = l.group_key
         WHERE l.state = 'open' AND l.issue_key IS NOT NULL AND f.status IN ('new','open','reopened') AND f.last_seen > l.updated_at
         ORDER BY l.updated_at LIMIT ?`,
      )
      .all(limit) as { group_key: string; issue_key: string; last_run_id: string; last_seen: number; fingerprint: string }[];
    let reopened = 0;
    for (const row of rows) {
      if (this.silencedFingerprint(row.fingerprint)) {
        this.links.setState(row.group_key, 'open', this.now());
        continue;
      }
      const issue = await this.client.getIssue(row.issue_key, signal);
      if (issue.statusCategory === 'done') {
        const why = `Reopened: this ticket was moved to '${issue.statusName}' but Vigil run ${row.last_run_id} still saw the finding at ${new Date(row.last_seen).toISOString()}. Close it once the fix is deployed; Vigil closes it itself after a clean run.`;
        await this.ensureStatus(row.issue_key, row.group_key, 'open', `vigil:verify:${row.last_run_id}`, why, signal);
        reopened += 1;
      } else {
        this.links.setState(row.group_key, 'open', this.now());
      }
    }
    return reopened;
  }

  async ensureTicket(groupKey: string, finding: AlertFinding, signal: AbortSignal): Promise<string> {
    const link = this.links.get(groupKey);
    if (link?.issueKey) return link.issueKey;
    const label = ticketLabel(groupKey);
    if (link?.state === 'creating' && link.createStartedAt !== null) {
      const found = await this.client.searchByLabel(this.config.project, label, signal);
      if (found.length > 0) {
        const first = found[0]!;
        this.links.linked(groupKey, first.key, first.id, this.now());
        this.uncertainSince.delete(groupKey);
        if (found.length > 1) this.log.warn({ groupKey, issues: found.map((f) => f.key) }, 'several Jira issues carry one finding label; keeping the oldest');
        this.log.info({ groupKey, issue: first.key }, 'found the issue whose create answer was lost');
        return first.key;
      }
      if (!this.uncertainSince.has(groupKey)) this.uncertainSince.set(groupKey, this.now());
      const waitMs = Math.max(link.createStartedAt, this.uncertainSince.get(groupKey)!) + this.config.searchLag - this.now();
      if (waitMs > 0) throw new SinkDeferredError(`jira create for ${groupKey} may have committed; waiting ${waitMs} ms for search to catch up before creating again`, waitMs);
    }
    this.links.startCreate(groupKey, label, this.now());
    let created: { id: string; key: string };
    try {
      created = await this.client.createIssue(this.createFields(finding, label), signal);
    } catch (error) {
      if (error instanceof JiraCreateUncertainError) {
        this.uncertainSince.set(groupKey, this.now());
        throw new SinkDeferredError(`${describeError(error)}; will look for it by label after the search lag`, this.config.searchLag);
      }
      this.links.abandonCreate(groupKey);
      throw error;
    }
    this.links.linked(groupKey, created.key, created.id, this.now());
    this.uncertainSince.delete(groupKey);
    this.log.info({ groupKey, issue: created.key, check: finding.checkId }, 'jira issue created');
    return created.key;
  }

  private createFields(finding: AlertFinding, label: string): Record<string, unknown> {
    const text = ticketText(finding, itemFor('new', finding, this.context));
    const priority = this.config.priorities[finding.severity];
    const assignee = this.config.assignees.find((rule) => picomatch(rule.check, { dot: true })(finding.checkId))?.assignee;
    const labels = [...new Set(['vigil', finding.checkId, areaOf(finding.checkId), ...this.config.labels, label])];
    return {
      project: { key: this.config.project },
      issuetype: { name: this.config.issueType },
      summary: text.summary,
      description: this.client.version === '3' ? adfDocument(text) : wikiMarkup(text),
      labels,
      ...(priority ? { priority: { name: priority } } : {}),
      ...(this.config.components.length > 0 ? { components: this.config.components.map((name) => ({ name })) } : {}),
      ...(assignee ? { assignee: this.client.version === '3' ? { accountId: assignee } : { name: assignee } } : {}),
      ...this.config.customFields,
    };
  }

  async ensureComment(issueKey: string, marker: string, text: string, signal: AbortSignal): Promise<void> {
    const state = this.links.commentState(issueKey, marker);
    if (state === 'posted') return;
    const tagged = `${text} [${marker}]`;
    if (state === 'posting') {
      const texts = await this.client.getCommentTexts(issueKey, signal);
      if (texts.some((body) => body.includes(`[${marker}]`))) {
        this.links.commentPosted(issueKey, marker, this.now());
        return;
      }
    }
    this.links.commentPosting(issueKey, marker, this.now());
    await this.client.addComment(issueKey, commentBody(this.client.version, tagged), signal);
    this.links.commentPosted(issueKey, marker, this.now());
  }

  /** Brings the issue to the status category the finding calls for, commenting why first; a no-op when it is there. */
  async ensureStatus(issueKey: string, groupKey: string, desired: Desired, marker: string, why: string, signal: AbortSignal): Promise<void> {
    const issue = await this.client.getIssue(issueKey, signal);
    const wantDone = desired !== 'open';
    const isDone = issue.statusCategory === 'done';
    if (wantDone === isDone) {
      this.links.setState(groupKey, desired, this.now());
      // The comment belongs to a status change; if a person already made it, say nothing (they said why).
      if (this.links.commentState(issueKey, marker) === 'posting') await this.ensureComment(issueKey, marker, why, signal);
      return;
    }
    await this.ensureComment(issueKey, marker, why, signal);
    const transitions = await this.client.getTransitions(issueKey, signal);
    const target = this.pickTransition(transitions, desired);
    if (!target) {
      throw new Error(`jira issue ${issueKey}: no transition leads to a ${desired === 'open' ? 'to-do or in-progress' : 'done'} status from '${issue.statusName}'`);
    }
    const resolution = desired === 'done' ? this.config.doneResolution : desired === 'wont_do' ? (this.config.wontDoResolution ?? this.config.doneResolution) : undefined;
    await this.client.transition(issueKey, target.id, resolution, signal);
    this.links.setState(groupKey, desired, this.now());
    this.log.info({ issue: issueKey, to: target.toName, desired }, 'jira issue transitioned');
  }

  private pickTransition(transitions: readonly { id: string; toName: string; toCategory: StatusCategory }[], desired: Desired) {
    const named = desired === 'open' ? this.config.reopenStatus : desired === 'wont_do' ? (this.config.wontDoStatus ?? this.config.doneStatus) : this.config.doneStatus;
    if (named) return transitions.find((t) => t.toName.toLowerCase() === named.toLowerCase());
    // Transition ids are workflow-specific, so pick by the target's status category, never by a hard-coded id or name.
    if (desired !== 'open') return transitions.find((t) => t.toCategory === 'done');
    return transitions.find((t) => t.toCategory === 'new') ?? transitions.find((t) => t.toCategory === 'indeterminate');
  }
}

export function createJiraSink(db: Db, config: JiraConfig, context: RenderContext, log: Logger, now: () => number = Date.now): Sink {
  const client = new JiraClient({ flavor: config.flavor, url: config.url, email: config.email, apiToken: config.apiToken, token: config.token, timeoutMs: config.timeout });
  const sync = new JiraSync(db, client, config, context, log.child({ component: 'jira' }), now);
  return {
    name: 'jira',
    type: 'jira',
    digest: false,
    // Jira limits writes per issue; one at a time also keeps a finding's events strictly ordered.
    concurrency: 1,
    deliver: async (batch: DeliveryBatch, signal) => {
      for (const event of batch.events) await sync.handle(event, signal);
    },
    sweep: async (signal) => {
      await sync.verifyOpenTickets(signal);
    },
    sendTest: async (signal) => {
      await client.searchByLabel(config.project, 'vigil-connection-test', signal);
    },
  };
}

export type { TicketLink, TicketState };
