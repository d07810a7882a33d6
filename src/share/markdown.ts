// Markdown export: readable anywhere, math left as the model's LaTeX, thinking in <details>.

import { consensusFacts, omittedNote, pathThinkingSummary, pathTitle, replyFacts, sharedLine, thinkingSummary, voteDistribution, voteHeadline } from './describe.ts';
import type { Transcript, TranscriptConsensus, TranscriptTurn } from './transcript.ts';

/**
 * Model text is Markdown already and goes in as written, except tags that would close or open our
 * own <details> structure; a renderer of the file is responsible for the rest of its HTML.
 */
const keepStructure = (text: string) => text.replace(/<(\/?)(details|summary)\b/gi, '&lt;$1$2');

/** User text is plain text: shown as a quote so a stray `#` or `---` stays text-like. */
const quote = (text: string) => text.split('\n').map((line) => `> ${line}`.trimEnd()).join('\n');

const details = (summary: string, body: string) => `<details>\n<summary>${keepStructure(summary)}</summary>\n\n${keepStructure(body.trim())}\n\n</details>`;

/** Answers are one-line LaTeX; a newline in one would end the list item or heading it sits in. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ');

/** After the answer: the vote, then every path (the chosen one's text is the reply above, not repeated). */
function consensusSection(c: TranscriptConsensus, omitted: boolean): string {
  // Headline, distribution and titles hold the paths' boxed answers: model text, kept from our structure.
  const line = (text: string) => keepStructure(oneLine(text));
  const parts = ['#### Consensus', `**${line(voteHeadline(c))}**`];
  const distribution = voteDistribution(c);
  if (distribution.length > 0) parts.push(distribution.map((d) => `- ${line(d)}`).join('\n'));
  parts.push(`*${oneLine(consensusFacts(c))}.*`);
  if (omitted) parts.push(`*${omittedNote(c.paths.length)}*`);
  c.paths.forEach((p, i) => {
    const chosen = i === c.chosenPath;
    const section = [`##### ${line(pathTitle(p, i, chosen))}`];
    if (chosen) section.push('*Its thinking and answer are the reply above.*');
    else {
      if (p.thinking !== null) section.push(details(pathThinkingSummary(p), p.thinking));
      if (p.answer.trim()) section.push(keepStructure(p.answer.trim()));
    }
    parts.push(section.join('\n\n'));
  });
  return parts.join('\n\n');
}

function turn(m: TranscriptTurn, t: Transcript): string {
  if (m.role === 'user') return `### You\n\n${quote(keepStructure(m.text))}`;
  const parts = ['### Model'];
  if (m.thinking !== null) parts.push(details(thinkingSummary(m), m.thinking));
  if (m.answer.trim()) parts.push(keepStructure(m.answer.trim()));
  if (m.status === 'error') parts.push(`*The reply failed: ${keepStructure(m.error ?? 'unknown error')}*`);
  else if (m.status === 'stopped') parts.push('*Stopped.*');
  else if (m.status === 'length') parts.push('*The reply reached the token limit.*');
  const facts = replyFacts(m);
  if (facts) parts.push(`<sub>${facts}</sub>`);
  if (m.consensus) parts.push(consensusSection(m.consensus, t.pathsOmitted === true));
  return parts.join('\n\n');
}

export function toMarkdown(t: Transcript): string {
  const header = `# ${keepStructure(t.title.replace(/\s+/g, ' '))}\n\n*${sharedLine(t)}*`;
  return `${[header, ...t.messages.map((m) => turn(m, t))].join('\n\n---\n\n')}\n`;
}
