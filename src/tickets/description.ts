import type { DigestItem } from '../notify/digest.js';
import type { AlertFinding } from '../notify/events.js';

/**
 * Ticket and comment bodies in both Jira dialects: ADF documents for Cloud v3, wiki-markup strings for Server/DC v2.
 * The sections are the same: what, where, evidence (already redacted by the check), first step, and links back.
 */
export interface TicketText {
  readonly summary: string;
  readonly sections: readonly { readonly heading: string; readonly text: string; readonly code?: boolean }[];
  readonly links: readonly { readonly text: string; readonly href: string }[];
}

export function ticketText(finding: AlertFinding, item: DigestItem): TicketText {
  return {
    summary: `[${finding.severity}] ${finding.title}`.slice(0, 250),
    sections: [
      { heading: 'Finding', text: `${finding.title}\nCheck: ${finding.checkId}\nResource: ${finding.resourceId}\nTarget: ${finding.targetId}\nFingerprint: ${finding.fingerprint}` },
      { heading: 'Location', text: item.location ?? finding.resourceId },
      { heading: 'Evidence (redacted)', text: JSON.stringify(finding.evidence, null, 2), code: true },
      { heading: 'Remediation', text: item.remediation },
    ],
    links: [...(item.runbook ? [{ text: 'Runbook', href: item.runbook }] : []), ...(item.link ? [{ text: 'Finding in Vigil', href: item.link }] : [])],
  };
}

export function adfDocument(text: TicketText): unknown {
  const content: unknown[] = [];
  for (const section of text.sections) {
    content.push({ type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: section.heading }] });
    content.push(
      section.code
        ? { type: 'codeBlock', attrs: { language: 'json' }, content: [{ type: 'text', text: section.text }] }
        : { type: 'paragraph', content: lines(section.text) },
    );
  }
  if (text.links.length > 0) {
    content.push({
      type: 'paragraph',
      content: text.links.flatMap((link, index) => [
        ...(index > 0 ? [{ type: 'text', text: ' · ' }] : []),
        { type: 'text', text: link.text, marks: [{ type: 'link', attrs: { href: link.href } }] },
      ]),
    });
  }
  return { type: 'doc', version: 1, content };
}

function lines(text: string): unknown[] {
  return text.split('\n').flatMap((line, index) => [...(index > 0 ? [{ type: 'hardBreak' }] : []), ...(line ? [{ type: 'text', text: line }] : [])]);
}

export function wikiMarkup(text: TicketText): string {
  const parts = text.sections.map((section) => `h3. ${section.heading}\n${section.code ? `{code:json}\n${section.text}\n{code}` : escapeWiki(section.text)}`);
  if (text.links.length > 0) parts.push(text.links.map((link) => `[${link.text}|${link.href}]`).join(' · '));
  return parts.join('\n\n');
}

function escapeWiki(text: string): string {
  return text.replace(/([{}[\]|*_+^~-])/g, '\\$1');
}

export function commentBody(version: '2' | '3', text: string): unknown {
  if (version === '2') return text;
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: lines(text) }] };
}
