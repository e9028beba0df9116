import { z } from 'zod';
import { SinkUnavailableError, describeError } from '../check-api/errors.js';
import { classify } from '../notify/http.js';
import { SinkRateLimitedError, SinkRejectedError } from '../notify/sink.js';

/**
 * The handful of Jira REST calls ticket sync needs, for Cloud (v3, ADF bodies, email + API token) and Server/Data
 * Center (v2, wiki-markup strings, personal access token). Written on fetch rather than jira.js because sync must see
 * exactly how a create failed (refused, rate-limited, or lost after Jira may have committed it) and must own retries;
 * responses are checked with zod at this edge.
 */
export type JiraFlavor = 'cloud' | 'server';
export type StatusCategory = 'new' | 'indeterminate' | 'done';

export interface JiraClientOptions {
  readonly flavor: JiraFlavor;
  readonly url: string;
  readonly email?: string | undefined;
  readonly apiToken?: string | undefined;
  readonly token?: string | undefined;
  readonly timeoutMs: number;
}

/** The create reached Jira but we do not know whether it committed (connection lost, 5xx, timeout). */
export class JiraCreateUncertainError extends SinkUnavailableError {}

const issueRefSchema = z.object({ id: z.string(), key: z.string() });
const statusSchema = z.object({ name: z.string(), statusCategory: z.object({ key: z.enum(['new', 'indeterminate', 'done']) }) });
const issueSchema = z.object({ id: z.string(), key: z.string(), fields: z.object({ status: statusSchema, labels: z.array(z.string()).default([]) }) });
const transitionsSchema = z.object({ transitions: z.array(z.object({ id: z.string(), name: z.string(), to: statusSchema })) });
const searchSchema = z.object({ issues: z.array(z.object({ id: z.string(), key: z.string() })) });
const commentsSchema = z.object({ comments: z.array(z.object({ id: z.string(), body: z.unknown() })), total: z.number().optional() });

export interface JiraIssue {
  readonly id: string;
  readonly key: string;
  readonly statusName: string;
  readonly statusCategory: StatusCategory;
}

export interface JiraTransition {
  readonly id: string;
  readonly name: string;
  readonly toName: string;
  readonly toCategory: StatusCategory;
}

export class JiraClient {
  readonly version: '2' | '3';
  private readonly auth: string;

  constructor(private readonly options: JiraClientOptions) {
    this.version = options.flavor === 'cloud' ? '3' : '2';
    this.auth =
      options.flavor === 'cloud'
        ? `Basic ${Buffer.from(`${options.email ?? ''}:${options.apiToken ?? ''}`).toString('base64')}`
        : `Bearer ${options.token ?? ''}`;
  }

  get flavor(): JiraFlavor {
    return this.options.flavor;
  }

  async createIssue(fields: Record<string, unknown>, signal: AbortSignal): Promise<{ id: string; key: string }> {
    let status = 0;
    try {
      const { body, status: code } = await this.request('POST', 'issue', signal, { fields });
      status = code;
      return issueRefSchema.parse(body);
    } catch (error) {
      // Refusals (4xx, 429) created nothing. Anything else may have committed: the caller must look before retrying.
      if (error instanceof SinkRejectedError || error instanceof SinkRateLimitedError) throw error;
      if (status >= 200 && status < 300) throw new JiraCreateUncertainError(`jira create answered ${status} with an unreadable body: ${describeError(error)}`);
      throw new JiraCreateUncertainError(`jira create: ${describeError(error)}`, { cause: error });
    }
  }

  /** Issues carrying a label. Cloud's /search/jql is eventually consistent: a fresh issue may be missing. */
  async searchByLabel(project: string, label: string, signal: AbortSignal): Promise<{ id: string; key: string }[]> {
    const jql = `project = "${project}" AND labels = "${label}" ORDER BY created ASC`;
    const { body } =
      this.version === '3'
        ? await this.request('POST', 'search/jql', signal, { jql, fields: ['status', 'labels'], maxResults: 50 })
        : await this.request('GET', `search?jql=${encodeURIComponent(jql)}&fields=status,labels&maxResults=50`, signal);
    return searchSchema.parse(body).issues;
  }

  async getIssue(key: string, signal: AbortSignal): Promise<JiraIssue> {
    const { body } = await this.request('GET', `issue/${encodeURIComponent(key)}?fields=status,labels`, signal);
    const issue = issueSchema.parse(body);
    return { id: issue.id, key: issue.key, statusName: issue.fields.status.name, statusCategory: issue.fields.status.statusCategory.key };
  }

  async getTransitions(key: string, signal: AbortSignal): Promise<JiraTransition[]> {
    const { body } = await this.request('GET', `issue/${encodeURIComponent(key)}/transitions`, signal);
    return transitionsSchema.parse(body).transitions.map((t) => ({ id: t.id, name: t.name, toName: t.to.name, toCategory: t.to.statusCategory.key }));
  }

  async transition(key: string, transitionId: string, resolution: string | undefined, signal: AbortSignal): Promise<void> {
    await this.request('POST', `issue/${encodeURIComponent(key)}/transitions`, signal, {
      transition: { id: transitionId },
      ...(resolution ? { fields: { resolution: { name: resolution } } } : {}),
    });
  }

  /** Comment bodies as plain text (ADF flattened on Cloud), newest last. */
  async getCommentTexts(key: string, signal: AbortSignal): Promise<string[]> {
    const { body } = await this.request('GET', `issue/${encodeURIComponent(key)}/comment?maxResults=1000`, signal);
    return commentsSchema.parse(body).comments.map((comment) => (typeof comment.body === 'string' ? comment.body : adfText(comment.body)));
  }

  async addComment(key: string, body: unknown, signal: AbortSignal): Promise<void> {
    await this.request('POST', `issue/${encodeURIComponent(key)}/comment`, signal, { body });
  }

  private async request(method: 'GET' | 'POST' | 'PUT', path: string, signal: AbortSignal, json?: unknown): Promise<{ status: number; body: unknown }> {
    const url = `${this.options.url.replace(/\/+$/, '')}/rest/api/${this.version}/${path}`;
    const what = `jira ${method} /rest/api/${this.version}/${path.split('?')[0]}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: this.auth, accept: 'application/json', ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs)]),
        redirect: 'error',
      });
    } catch (error) {
      throw new SinkUnavailableError(`${what}: ${describeError(error)}${(error as { cause?: unknown }).cause ? ` (${describeError((error as { cause?: unknown }).cause)})` : ''}`, { cause: error });
    }
    const text = await response.text().catch((error: unknown) => {
      throw new SinkUnavailableError(`${what}: response body lost: ${describeError(error)}`);
    });
    classify({ status: response.status, body: text, headers: response.headers }, what);
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }
}

/** Flattens an Atlassian Document Format node to its text, enough to find our comment markers. */
export function adfText(node: unknown): string {
  if (node === null || typeof node !== 'object') return '';
  const record = node as { text?: unknown; content?: unknown };
  const own = typeof record.text === 'string' ? record.text : '';
  const children = Array.isArray(record.content) ? record.content.map(adfText).join(' ') : '';
  return `${own}${own && children ? ' ' : ''}${children}`;
}
