// Message rendering: Markdown + KaTeX for untrusted model output, incremental while streaming.

export { Markdown, type MarkdownProps } from './Markdown.tsx';
export { ThinkingBlock, type ThinkingBlockProps } from './ThinkingBlock.tsx';
export { AnswerCard } from './AnswerCard.tsx';

// Pure helpers (no DOM), unit tested.
export { BlockSplitter, splitBlocks, type Block } from './blocks.ts';
export { matchInlineMath, matchDisplayBlock, type MathMatch } from './math.ts';
export { lexMarkdown } from './lexer.ts';
export { safeHref } from './links.ts';
export { decodeEntities } from './entities.ts';
export { latexToText } from './plaintext.ts';
export { typeset, type Typeset } from './typeset.ts';
export { thinkingHeader, thinkingPhase, type ThinkingPhase, type ThinkingStatusInput } from './thinkingStatus.ts';
