import './render.css';
import { memo, useMemo, useState } from 'react';
import { BlockSplitter } from './blocks.ts';
import { lexMarkdown } from './lexer.ts';
import { renderBlocks } from './MarkdownTokens.tsx';

export interface MarkdownProps {
  /** Markdown with TeX math, from the model: untrusted. */
  text: string;
  /** True while tokens are still arriving. */
  streaming: boolean;
}

/**
 * One top-level block. Memoized on its source, so a settled block is parsed and typeset once;
 * while streaming only the last (open) block's source changes. The wrapper lets the browser skip
 * off-screen blocks (content-visibility in render.css).
 */
const MarkdownBlock = memo(function MarkdownBlock({ source }: { source: string }) {
  const tokens = useMemo(() => lexMarkdown(source), [source]);
  return <div className="md-block">{renderBlocks(tokens)}</div>;
});

/** Renders model output as Markdown + KaTeX, incrementally while it streams. */
export function Markdown({ text, streaming }: MarkdownProps) {
  // Per message: the splitter keeps a cursor past the settled prefix so each token costs O(new text).
  const [splitter] = useState(() => new BlockSplitter());
  const blocks = useMemo(() => splitter.split(text), [splitter, text]);
  return (
    <div className="md" aria-busy={streaming}>
      {blocks.map((block) => (
        // Keyed by offset: the open block keeps its component as it grows, and a changed source
        // at the same offset (a different text) re-renders through memo's prop check.
        <MarkdownBlock key={block.start} source={block.source} />
      ))}
    </div>
  );
}
