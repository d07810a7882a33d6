import { describe, expect, it } from 'vitest';
import { BlockSplitter, MAX_DISPLAY_MATH_LINES, splitBlocks, type Block } from './blocks.ts';

const sources = (blocks: Block[]) => blocks.map((b) => b.source);

/** Deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces of R1-like output, including every construct that spans blank lines.
const FRAGMENTS = [
  'Okay, so I need to find $x$ such that $x^2 = 4$.\n\n',
  'First, note that\n\\[\n\\begin{aligned}\na &= b \\\\\n\n c &= d\n\\end{aligned}\n\\]\nso it follows.\n\n',
  '$$\n\\begin{cases} 1 & x > 0 \\\\\n\n0 & \\text{otherwise} \\end{cases}\n$$\n\n',
  '```python\ndef f(x):\n\n    return x  # $not math$\n```\n\n',
  '~~~\n```\n\n~~~\n\n',
  '1. **Step one**: compute.\n\n   Continued paragraph with \\(y\\).\n\n2. Step two\n   $$\n   M = \\begin{pmatrix} 1 & 2 \\\\\n\n 3 & 4 \\end{pmatrix}\n   $$\n\n',
  '- a\n- b\n\n  - nested\n\n',
  '    indented code\n\n    more code\n\n',
  '# Heading\n\n',
  '| a | b |\n|---|---|\n| 1 | 2 |\n\n',
  '> quote\n> more\n\n',
  'Costs $5 and $6.\n',
  'Wait, let me check again.\n\n\n',
  '---\n\n',
  '2024 was a year.\n\n',
  '**Final Answer**\n\\[\n\\boxed{42}\n\\]',
];

function randomDocument(next: () => number): string {
  let doc = '';
  const count = 3 + Math.floor(next() * 10);
  for (let i = 0; i < count; i++) doc += FRAGMENTS[Math.floor(next() * FRAGMENTS.length)];
  return doc;
}

/** Splits `text` as a stream: chunks of 1–8 characters, like tokens. Returns every intermediate result. */
function stream(text: string, next: () => number): Block[][] {
  const splitter = new BlockSplitter();
  const steps: Block[][] = [];
  for (let end = 0; end < text.length; ) {
    end = Math.min(text.length, end + 1 + Math.floor(next() * 8));
    steps.push(splitter.split(text.slice(0, end)));
  }
  return steps;
}

describe('splitBlocks', () => {
  it('keeps fenced code with blank lines in one block', () => {
    const text = 'Intro.\n\n```\na\n\n\nb\n```\n\nAfter.';
    expect(sources(splitBlocks(text))).toEqual(['Intro.\n\n', '```\na\n\n\nb\n```\n\n', 'After.']);
  });

  it('keeps display math spanning blank lines in one block, for $$ and \\[', () => {
    expect(sources(splitBlocks('$$\na\n\nb\n$$\n\nNext'))).toEqual(['$$\na\n\nb\n$$\n\n', 'Next']);
    expect(sources(splitBlocks('So\n\\[\na\n\n\\]\n\nNext'))).toEqual(['So\n\\[\na\n\n\\]\n\n', 'Next']);
  });

  it('does not open display math for $$...$$ closed on its own line', () => {
    expect(sources(splitBlocks('$$a$$\n\nNext'))).toEqual(['$$a$$\n\n', 'Next']);
  });

  it('keeps a loose list, its continuation paragraphs and nested items together', () => {
    const list = '1. one\n\n   more of one\n\n2. two\n\n   - nested\n\n';
    expect(sources(splitBlocks(`${list}After the list.`))).toEqual([list, 'After the list.']);
  });

  it('closes a fence that sits in a list item at that item\'s indentation', () => {
    const item = '10. ```\n    a\n\n      ```\n\n';
    expect(sources(splitBlocks(`${item}Text`))).toEqual([item, 'Text']);
  });

  it('keeps indented code across blank lines', () => {
    expect(sources(splitBlocks('    a\n\n    b\n\nText'))).toEqual(['    a\n\n    b\n\n', 'Text']);
  });

  it('tiles the text: sources concatenate to the input and starts are offsets', () => {
    const text = '\n\nLeading blanks.\n\nSecond.\n\n\nThird';
    const blocks = splitBlocks(text);
    expect(blocks.map((b) => b.source).join('')).toBe(text);
    for (const b of blocks) expect(text.slice(b.start, b.start + b.source.length)).toBe(b.source);
  });

  it('keeps an unclosed fence open to the end (streaming code)', () => {
    expect(sources(splitBlocks('Text\n\n```js\nlet a;\n\nlet b;'))).toEqual(['Text\n\n', '```js\nlet a;\n\nlet b;']);
  });

  it(`stops waiting for a display-math closer after ${MAX_DISPLAY_MATH_LINES} lines`, () => {
    const body = 'x\n\n'.repeat(MAX_DISPLAY_MATH_LINES);
    const blocks = splitBlocks(`$$\n${body}Later\n\nEnd`);
    expect(blocks.length).toBeGreaterThan(2);
    expect(blocks.at(-1)?.source).toBe('End');
  });

  it('settles a block as soon as the next line certainly starts a new block', () => {
    expect(sources(splitBlocks('Para.\n\nN'))).toEqual(['Para.\n\n', 'N']);
    // After a list, "1" may still become "1. item": wait. "**" cannot be a list item: settle.
    expect(sources(splitBlocks('- a\n\n1'))).toEqual(['- a\n\n1']);
    expect(sources(splitBlocks('- a\n\n**B'))).toEqual(['- a\n\n', '**B']);
  });
});

describe('BlockSplitter (incremental)', () => {
  it('equals one-shot splitting over random chunkings (seeded property test)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = rng(seed);
      const text = randomDocument(next);
      const steps = stream(text, next);
      const final = splitBlocks(text);
      expect(steps.at(-1), `seed ${seed}`).toEqual(final);
      // Every block but the last of any intermediate split is settled: it is in the final split unchanged.
      const finalByStart = new Map(final.map((b) => [b.start, b.source]));
      for (const step of steps) {
        for (const block of step.slice(0, -1)) expect(finalByStart.get(block.start), `seed ${seed}`).toBe(block.source);
      }
    }
  });

  it('hands out the same object for a settled block on every update, so memoized renders skip it', () => {
    const splitter = new BlockSplitter();
    const first = splitter.split('One.\n\nTwo');
    const second = splitter.split('One.\n\nTwo and more');
    expect(second[0]).toBe(first[0]);
    expect(splitter.split('One.\n\nTwo and more')).toBe(second);
  });

  it('starts over when the new text does not extend the old one', () => {
    const splitter = new BlockSplitter();
    splitter.split('Alpha.\n\nBeta.\n\nGamma');
    expect(sources(splitter.split('Other.\n\nText'))).toEqual(['Other.\n\n', 'Text']);
    expect(sources(splitter.split('Oth'))).toEqual(['Oth']);
    expect(splitter.split('')).toEqual([]);
  });
});
