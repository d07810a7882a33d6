// Markdown export: readable anywhere, math left as the model's LaTeX, thinking in <details>.

import { replyFacts, sharedLine, thinkingSummary } from './describe.ts';
import type { Transcript, TranscriptTurn } from './transcript.ts';

/**
 * Model text is Markdown already and goes in as written, except tags that would close or open our
 * own <details> structure; a renderer of the file is responsible for the rest of its HTML.
 */
const keepStructure = (text: string) => text.replace(/<(\/?)(details|summary)\b/gi, '&lt;$1$2');

/** User text is plain text: shown as a quote so a stray `#` or `---` stays text-like. */
const quote = (text: string) => text.split('\n').map((line) => `> ${line}`.trimEnd()).join('\n');

function turn(m: TranscriptTurn): string {
  if (m.role === 'user') return `### You\n\n${quote(keepStructure(m.text))}`;
  const parts = ['### Model'];
  if (m.thinking !== null) {
    parts.push(`<details>\n<summary>${thinkingSummary(m)}</summary>\n\n${keepStructure(m.thinking.trim())}\n\n</details>`);
  }
  if (m.answer.trim()) parts.push(keepStructure(m.answer.trim()));
  if (m.status === 'error') parts.push(`*The reply failed: ${keepStructure(m.error ?? 'unknown error')}*`);
  else if (m.status === 'stopped') parts.push('*Stopped.*');
  else if (m.status === 'length') parts.push('*The reply reached the token limit.*');
  const facts = replyFacts(m);
  if (facts) parts.push(`<sub>${facts}</sub>`);
  return parts.join('\n\n');
}

export function toMarkdown(t: Transcript): string {
  const header = `# ${keepStructure(t.title.replace(/\s+/g, ' '))}\n\n*${sharedLine(t)}*`;
  return `${[header, ...t.messages.map(turn)].join('\n\n---\n\n')}\n`;
}
