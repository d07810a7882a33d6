import { memo, type ReactNode } from 'react';
import type { RootContent } from 'hast';
import { CopyButton } from './CopyButton.tsx';
import { highlight } from './highlight.ts';

/** Highlighter tree → React spans. Only text and class names are taken from it, never markup. */
function toReact(nodes: RootContent[]): ReactNode[] {
  return nodes.map((node, i) => {
    if (node.type === 'text') return node.value;
    if (node.type !== 'element') return null;
    const className = node.properties.className;
    return (
      <span key={i} className={Array.isArray(className) ? className.join(' ') : undefined}>
        {toReact(node.children)}
      </span>
    );
  });
}

/** A fenced or indented code block with a language label and a Copy button. */
export const CodeBlock = memo(function CodeBlock({ code, lang }: { code: string; lang: string }) {
  const tree = highlight(code, lang);
  return (
    <div className="md-codeblock">
      <div className="md-codeblock-bar">
        <span className="md-codeblock-lang">{lang || 'text'}</span>
        <CopyButton text={code} label="Copy" />
      </div>
      <pre>
        <code>{tree ? toReact(tree.children) : code}</code>
      </pre>
    </div>
  );
});
